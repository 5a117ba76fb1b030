package a

import (
	"context"
	"errors"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

func fetch(url string) string { return url }

var errTimeout = errors.New("timeout")

// reported: the timeout case returns while the goroutine still has to send.
func timeoutSelect(url string) (string, error) {
	ch := make(chan string)
	go func() {
		ch <- fetch(url) // want `goroutine may block forever sending on ch: the receiver in timeoutSelect can return first \(select at a.go:22\); make ch buffered \(capacity 1\)`
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(time.Second):
		return "", errTimeout
	}
}

// reported: the same with ctx.Done().
func ctxDone(ctx context.Context, url string) (string, error) {
	ch := make(chan string)
	go func() {
		ch <- fetch(url) // want `goroutine may block forever sending on ch: the receiver in ctxDone can return first \(select at a.go:36\)`
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// reported: an early error return between the go statement and the receive.
func earlyReturn(url string, check func() error) (string, error) {
	ch := make(chan string)
	go func() {
		ch <- fetch(url) // want `goroutine may block forever sending on ch: the receiver in earlyReturn can return first \(return at a.go:51\)`
	}()
	if err := check(); err != nil {
		return "", err
	}
	return <-ch, nil
}

// ok: the channel is buffered for the single send.
func buffered(url string) (string, error) {
	ch := make(chan string, 1)
	go func() {
		ch <- fetch(url)
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(time.Second):
		return "", errTimeout
	}
}

// ok: the goroutine's send is a select case beside ctx.Done(), so it can give up.
func senderSelects(ctx context.Context, url string) (string, error) {
	ch := make(chan string)
	go func() {
		select {
		case ch <- fetch(url):
		case <-ctx.Done():
		}
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// ok: a select with default on the sending side never blocks.
func senderDefault(url string) string {
	ch := make(chan string)
	go func() {
		select {
		case ch <- fetch(url):
		default:
		}
	}()
	select {
	case r := <-ch:
		return r
	case <-time.After(time.Second):
		return ""
	}
}

// ok: the channel escapes (returned), so its other users are unknown.
func escapes(url string) <-chan string {
	ch := make(chan string)
	go func() { ch <- fetch(url) }()
	return ch
}

type holder struct{ ch chan string }

// ok: the channel escapes into a field.
func (h *holder) escapesField(url string) {
	ch := make(chan string)
	h.ch = ch
	go func() { ch <- fetch(url) }()
}

func consume(ch chan string) {}

// ok: the channel is passed to a function that is not a goroutine body started here.
func escapesCall(url string) {
	ch := make(chan string)
	go func() { ch <- fetch(url) }()
	consume(ch)
}

// ok: the parent receives on every path.
func alwaysReceives(url string) string {
	ch := make(chan string)
	go func() { ch <- fetch(url) }()
	return <-ch
}

// ok: a WaitGroup wait precedes the early return.
func waitGroupFirst(url string, skip bool) string {
	ch := make(chan string)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		ch <- fetch(url)
	}()
	if skip {
		wg.Wait()
		return ""
	}
	return <-ch
}

// reported: goroutines started in a loop, and the receiving loop returns on the first error.
func fanIn(urls []string) error {
	errs := make(chan error)
	for _, u := range urls {
		go func() {
			errs <- check(u) // want `goroutines started in a loop may block forever sending on errs: the receiving loop in fanIn can return early \(return at a.go:162\); make errs buffered \(capacity len\(urls\)\)`
		}()
	}
	for range urls {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

func check(u string) error { return nil }

// ok: the receiving loop receives once per goroutine, whatever the errors.
func fanInAll(urls []string) error {
	errs := make(chan error)
	for _, u := range urls {
		go func() { errs <- check(u) }()
	}
	var first error
	for range urls {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// ok: a buffered channel sized for the goroutines.
func fanInBuffered(urls []string) error {
	errs := make(chan error, len(urls))
	for _, u := range urls {
		go func() { errs <- check(u) }()
	}
	for range urls {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

// reported: range over a channel that nothing closes.
func rangeNoClose(items []int) {
	ch := make(chan int)
	go func() {
		for v := range ch { // want `goroutine ranges over ch, which is never closed: it blocks forever after the last value; close ch when done sending`
			_ = v
		}
	}()
	for _, it := range items {
		ch <- it
	}
}

// ok: the parent closes the channel when done.
func rangeClosed(items []int) {
	ch := make(chan int)
	go func() {
		for v := range ch {
			_ = v
		}
	}()
	for _, it := range items {
		ch <- it
	}
	close(ch)
}

// ok: a deferred close runs on every return.
func rangeDeferClose(items []int) error {
	ch := make(chan int)
	defer close(ch)
	go func() {
		for v := range ch {
			_ = v
		}
	}()
	for _, it := range items {
		if it < 0 {
			return errors.New("negative")
		}
		ch <- it
	}
	return nil
}

// reported: the early return skips the close.
func rangeEarlyReturn(items []int) error {
	ch := make(chan int)
	go func() {
		for v := range ch { // want `goroutine may block forever ranging over ch: rangeEarlyReturn can return without closing it \(return at a.go:254\)`
			_ = v
		}
	}()
	for _, it := range items {
		if it < 0 {
			return errors.New("negative")
		}
		ch <- it
	}
	close(ch)
	return nil
}

// reported: the goroutine waits for a value that the early return never sends.
func receiverAbandoned(fail bool) error {
	start := make(chan struct{})
	go func() {
		<-start // want `goroutine may block forever receiving from start: receiverAbandoned can return without sending on or closing start \(return at a.go:269\)`
	}()
	if fail {
		return errors.New("failed")
	}
	close(start)
	return nil
}

// reported: nothing ever sends on the channel the parent waits on.
func nobodySends() {
	done := make(chan struct{})
	go func() {}()
	<-done // want `receive from done blocks forever: nothing sends on done or closes it`
}

// reported: a send inside a function literal that the goroutine calls.
func nestedLiteral(url string) (string, error) {
	ch := make(chan string)
	go func() {
		deliver := func(s string) {
			ch <- s // want `goroutine may block forever sending on ch: the receiver in nestedLiteral can return first \(select at a.go:291\)`
		}
		deliver(fetch(url))
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(time.Second):
		return "", errTimeout
	}
}

// ok: errgroup's Wait precedes the return.
func errgroupWait(urls []string) error {
	var g errgroup.Group
	results := make(chan string)
	for _, u := range urls {
		g.Go(func() error {
			select {
			case results <- fetch(u):
			default:
			}
			return nil
		})
	}
	return g.Wait()
}

// reported: a goroutine started by a named function of the package, receiving the channel as a parameter.
func namedBody(url string) (string, error) {
	ch := make(chan string)
	go produce(ch, url)
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(time.Second):
		return "", errTimeout
	}
}

func produce(ch chan string, url string) {
	ch <- fetch(url) // want `goroutine may block forever sending on ch: the receiver in namedBody can return first`
}

// ok: another goroutine receives; when is not tracked.
func twoGoroutines(url string) {
	ch := make(chan string)
	go func() { ch <- fetch(url) }()
	go func() { <-ch }()
}

// ok: silenced with a directive.
func silenced(url string) (string, error) {
	ch := make(chan string)
	go func() {
		//conclint:ignore chanleak the test harness drains ch after the timeout
		ch <- fetch(url)
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(time.Second):
		return "", errTimeout
	}
}

// silent: the idiom that blocks forever on purpose, on a channel made in the receive itself.
func blockForever() {
	go func() {}()
	<-make(chan struct{}) // ok: what the code says it does; no other code can name the channel
}
