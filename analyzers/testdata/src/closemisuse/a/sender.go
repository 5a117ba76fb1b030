package a

import (
	"sync"
	"time"
)

func compute() int { return 1 }

// Reported: on timeout the parent closes ch while the goroutine may still send.
func closeAfterTimeout(d time.Duration) int {
	ch := make(chan int, 1)
	go func() {
		ch <- compute()
	}()
	select {
	case v := <-ch:
		return v
	case <-time.After(d):
	}
	close(ch) // want `close of ch on a path where the goroutine that sends on it may not have sent yet`
	return 0
}

// Reported: the deferred close runs on the timeout return.
func deferredCloseTimeout(d time.Duration) int {
	ch := make(chan int)
	defer close(ch) // want `deferred close of ch runs on a return where the goroutine that sends on it may not have sent yet`
	go func() {
		ch <- compute()
	}()
	select {
	case v := <-ch:
		return v
	case <-time.After(d):
		return 0
	}
}

// ok: the parent receives the goroutine's value before closing.
func receiveThenClose() int {
	ch := make(chan int)
	go func() {
		ch <- compute()
	}()
	v := <-ch
	close(ch) // ok: the only send has completed
	return v
}

// ok: the goroutine signals on done after its send, and the parent waits for that.
func signalledByOtherChannel() {
	ch := make(chan int, 1)
	done := make(chan struct{})
	go func() {
		ch <- compute()
		close(done)
	}()
	<-done
	close(ch) // ok: done says the send is over
}

// ok: the sender is joined by a WaitGroup.
func joinedSender() {
	ch := make(chan int, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		ch <- compute()
	}()
	wg.Wait()
	close(ch) // ok: joined
}
