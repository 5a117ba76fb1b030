package a

import (
	"errors"
	"time"
)

// ok: the goroutine sends once on every path (each send ends it), and the buffer holds one value.
func oneSendPerPath(url string) (string, error) {
	res := make(chan string, 1)
	go func() {
		if url == "" {
			res <- "empty"
			return
		}
		res <- fetch(url)
	}()
	select {
	case r := <-res:
		return r, nil
	case <-time.After(time.Second):
		return "", errors.New("timeout")
	}
}

// reported: two sends on one path, one buffered slot.
func twoSends(url string) (string, error) {
	res := make(chan string, 1)
	go func() {
		res <- "start"    // ok: the buffer holds the first send
		res <- fetch(url) // want `goroutine may block forever sending on res after its send at paths.go:30: the receiver in twoSends can return first \(select at paths.go:33\); receive every value before returning, or give res room for every send`
	}()
	select {
	case r := <-res:
		return r, nil
	case <-time.After(time.Second):
		return "", errors.New("timeout")
	}
}

// reported: the implicit return at the end of the function is named by its closing brace.
func implicitReturn(ok bool) {
	ch := make(chan int)
	go func() { ch <- 1 }() // want `goroutine may block forever sending on ch: the receiver in implicitReturn can return first \(end of function at paths.go:48\); make ch buffered \(capacity 1\)`
	if ok {
		<-ch
	}
}

func worker(done chan bool) { done <- true }

// ok: the parent receives once per goroutine in a counted loop (HammerRWMutex in sync's tests).
func countedReceives(n int) {
	done := make(chan bool)
	go worker(done)
	for i := 0; i < n; i++ {
		go worker(done)
	}
	for i := 0; i < n+1; i++ {
		<-done
	}
}

// reported: the buffer is too small for a goroutine that sends in a loop.
func smallBuffer(items []int) int {
	out := make(chan int, 2)
	go func() {
		for _, it := range items {
			out <- it // want `goroutine may block forever sending on out: the receiver in smallBuffer can return first \(select at paths.go:72\); receive every value before returning, or give out room for every send`
		}
	}()
	select {
	case v := <-out:
		return v
	case <-time.After(time.Second):
		return 0
	}
}
