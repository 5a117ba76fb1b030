package a

import "sync"

func fetch(int) (int, error) { return 0, nil }

// Reported: the receiver closes results on the first error while other senders still run.
func closeOnFirstError(ids []int) error {
	results := make(chan error)
	for _, id := range ids {
		go func() {
			_, err := fetch(id)
			results <- err
		}()
	}
	for range ids {
		if err := <-results; err != nil {
			close(results) // want `results closed inside the loop that receives from it, while goroutines started in a loop may still send on it`
			return err
		}
	}
	return nil
}

// Reported: the deferred close runs on the early return from the receiving loop.
func deferredCloseEarlyReturn(ids []int) error {
	errc := make(chan error, 1)
	defer close(errc) // want `deferred close of errc runs on a return from the loop that receives from it`
	for _, id := range ids {
		go func() {
			_, err := fetch(id)
			errc <- err
		}()
	}
	for range ids {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// ok: the senders are joined before the close.
func joinedThenClose(ids []int) {
	results := make(chan int, len(ids))
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, _ := fetch(id)
			results <- v
		}()
	}
	for range ids {
		if v := <-results; v < 0 {
			wg.Wait()
			close(results) // ok: wg.Wait joins the senders first
			return
		}
	}
}

// ok: the deferred close runs only after every sender's value is received.
func deferredCloseAllReceived(ids []int) int {
	results := make(chan int)
	defer close(results) // ok: no return inside the receiving loop
	for _, id := range ids {
		go func() {
			v, _ := fetch(id)
			results <- v
		}()
	}
	sum := 0
	for range ids {
		sum += <-results
	}
	return sum
}

// ok: one sender per iteration, received in the same iteration.
func onePerIteration(ids []int) {
	ch := make(chan int)
	for _, id := range ids {
		go func() {
			v, _ := fetch(id)
			ch <- v
		}()
		if <-ch < 0 {
			close(ch) // ok: every sender started so far has sent
			return
		}
	}
}

// Reported: every worker closes done.
func everyWorkerCloses(ids []int) {
	done := make(chan struct{})
	for _, id := range ids {
		go func() {
			fetch(id)
			close(done) // want `each goroutine started in the loop closes done: the second close panics`
		}()
	}
	<-done
}

// ok: the last worker out closes done.
func lastWorkerCloses(ids []int) {
	done := make(chan struct{})
	var mu sync.Mutex
	left := len(ids)
	for _, id := range ids {
		go func() {
			fetch(id)
			mu.Lock()
			left--
			if left == 0 {
				close(done) // ok: only the last one
			}
			mu.Unlock()
		}()
	}
	<-done
}

// ok: each goroutine gets its own channel.
func channelPerWorker(ids []int) {
	for _, id := range ids {
		done := make(chan struct{})
		go func() {
			fetch(id)
			close(done) // ok: a new channel per goroutine
		}()
		<-done
	}
}

// ok: the senders check a flag under the lock the receiver closes under.
func flagGuardedSenders(ids []int) error {
	results := make(chan error, len(ids)) // room for every send: a sender never blocks holding mu
	var mu sync.Mutex
	closed := false
	for _, id := range ids {
		go func() {
			_, err := fetch(id)
			mu.Lock()
			defer mu.Unlock()
			if !closed {
				results <- err
			}
		}()
	}
	for range ids {
		if err := <-results; err != nil {
			mu.Lock()
			closed = true
			close(results) // ok: senders check closed under mu
			mu.Unlock()
			return err
		}
	}
	return nil
}
