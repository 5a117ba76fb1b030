package a

import (
	"errors"
	"sync"
)

func run() error { return errors.New("x") }

func use(chan int) {}

// Reported: the error branch closes done and goes on to the close below.
func closeInBranchThenAgain() {
	done := make(chan struct{})
	if err := run(); err != nil {
		close(done)
	}
	close(done) // want `second close of done on this path: closing a closed channel panics`
}

// Reported: the deferred close runs again at return.
func deferredAndDirect() error {
	done := make(chan struct{})
	defer close(done)
	if err := run(); err != nil {
		close(done) // want `close of done on a path where the deferred close\(done\) runs too, at return`
		return err
	}
	return nil
}

// Reported: two deferred closes of one channel.
func twoDeferred() {
	ch := make(chan int, 1)
	defer close(ch)
	ch <- 1
	defer close(ch) // want `ch closed by two deferred closes on one path`
}

// Reported: a goroutine body that closes its channel twice.
func twiceInGoroutine() {
	results := make(chan int)
	go func() {
		close(results)
		close(results) // want `second close of results on this path`
	}()
	for range results {
	}
}

// Reported: the send follows the close on every path.
func sendAfterClose(n int) {
	ch := make(chan int, n)
	close(ch)
	ch <- 1 // want `send on ch after it is closed: a send on a closed channel panics`
}

// Reported: a select send case after close.
func selectSendAfterClose(quit chan bool) {
	ch := make(chan int, 1)
	close(ch)
	select {
	case ch <- 1: // want `send on ch after it is closed`
	case <-quit:
	}
}

// ok: the two closes are on exclusive branches.
func closeOnEitherBranch(x bool) {
	ch := make(chan int)
	if x {
		close(ch) // ok: the else branch holds the other close
	} else {
		close(ch) // ok: exclusive with the first
	}
}

// ok: the branch that closes returns.
func closeThenReturn() {
	ch := make(chan int)
	if err := run(); err != nil {
		close(ch)
		return
	}
	close(ch) // ok: the first close returned
}

// ok: a flag keeps the close from running twice in the loop.
func flagInLoop(in chan int) {
	done := make(chan struct{})
	closed := false
	for v := range in {
		if v > 0 && !closed {
			close(done) // ok: guarded by closed
			closed = true
		}
	}
	<-done
}

// ok: correlated conditions: at most one close runs.
func correlated(x bool) {
	ch := make(chan int)
	if x {
		close(ch)
	}
	if !x {
		close(ch) // ok: not reached after the first close on every path
	}
}

// ok: the select-default idiom closes only an open channel (on one path; it is racy between goroutines).
func selectDefault() {
	ch := make(chan int)
	select {
	case <-ch:
	default:
		close(ch)
	}
	select {
	case <-ch:
	default:
		close(ch) // ok: only if ch is still open
	}
}

// ok: the channel escapes to use, which the analyzer does not follow.
func escapes() {
	ch := make(chan int)
	use(ch)
	close(ch)
	close(ch) // ok: ch escapes to use
}

// ok: each iteration makes a new channel.
func newEachIteration(n int) {
	for i := 0; i < n; i++ {
		ch := make(chan int)
		close(ch) // ok: a new channel each time
	}
}

// ok: the single owner closes after joining its senders.
func waitThenClose(n int) {
	out := make(chan int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- i
		}()
	}
	wg.Wait()
	close(out) // ok: every sender is joined first
	for range out {
	}
}

// ok: sends come before the close.
func sendThenClose() {
	ch := make(chan int, 2)
	ch <- 1
	ch <- 2
	close(ch) // ok: after the sends
}

// ok: identity trap: a local function named close.
func shadowedClose() {
	ch := make(chan int)
	close := func(chan int) {}
	close(ch)
	close(ch) // ok: not the builtin
}

// ok: a justified finding silenced with a directive.
func ignored() {
	done := make(chan struct{})
	if err := run(); err != nil {
		close(done)
	}
	//conclint:ignore closemisuse the test panics on purpose
	close(done) // ok: silenced
}

// Reported: the goroutine and its starter both close done.
func goroutineAndParentClose() {
	done := make(chan struct{})
	go func() {
		run()
		close(done) // want `done closed by this goroutine and by the function that starts it \(close at local.go:\d+\)`
	}()
	<-done
	close(done)
}

// Reported: the goroutine closes, and the starter's deferred close runs at return.
func goroutineAndDeferredClose() {
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(done) // want `done closed by this goroutine and by the function that starts it \(deferred close at`
		run()
	}()
	<-done
}

// ok: the goroutine closes only on error, and the parent only when the goroutine did not.
func goroutineClosesOnError() {
	done := make(chan struct{})
	go func() {
		if err := run(); err != nil {
			close(done) // ok: conditional
		}
	}()
	select {
	case <-done:
	default:
		close(done) // ok: the select-default idiom
	}
}

// ok: the goroutine closes, the parent only receives.
func goroutineCloses() {
	done := make(chan struct{})
	go func() {
		defer close(done) // ok: the only close
		run()
	}()
	<-done
}
