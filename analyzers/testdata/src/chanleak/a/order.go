package a

import "context"

func produceAll(n int) ([]int, error) { return make([]int, n), nil }

// ok: the goroutine sends its error on errc after its last send on data, and the parent returns only
// after receiving from errc: by then every send on data has completed.
func doneAfterData(n int) ([]int, error) {
	data := make(chan int)
	errc := make(chan error)
	go func() {
		vs, err := produceAll(n)
		for _, v := range vs {
			data <- v
		}
		errc <- err
	}()
	var out []int
	for {
		select {
		case v := <-data:
			out = append(out, v)
		case err := <-errc:
			return out, err
		}
	}
}

// ok: the same with a deferred close of done, which runs after every send.
func closedAfterData(n int) []int {
	data := make(chan int)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range n {
			data <- i
		}
	}()
	var out []int
	for {
		select {
		case v := <-data:
			out = append(out, v)
		case <-done:
			return out
		}
	}
}

// reported: the error can be sent before a send on data (the loop goes on after it), so the parent can
// return on errc while the goroutine still has a value to send.
func doneBeforeData(n int) ([]int, error) {
	data := make(chan int)
	errc := make(chan error)
	go func() {
		for i := range n {
			if i == 3 {
				errc <- context.Canceled
			}
			data <- i // want `goroutine may block forever sending on data: the receiver in doneBeforeData can return first \(select at order.go:66\)`
		}
	}()
	var out []int
	for {
		select {
		case v := <-data:
			out = append(out, v)
		case err := <-errc:
			return out, err
		}
	}
}

// reported: the parent can also return on ctx.Done() without receiving the goroutine's last message.
func doneOrCtx(ctx context.Context, n int) ([]int, error) {
	data := make(chan int)
	errc := make(chan error, 1) // room for the error: only data is abandoned
	go func() {
		vs, err := produceAll(n)
		for _, v := range vs {
			data <- v // want `goroutine may block forever sending on data: the receiver in doneOrCtx can return first \(select at order.go:88\)`
		}
		errc <- err
	}()
	var out []int
	for {
		select {
		case v := <-data:
			out = append(out, v)
		case err := <-errc:
			return out, err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
