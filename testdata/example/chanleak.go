package example

import (
	"context"
	"fmt"
	"time"
)

// A fetchResult is the outcome of one Fetch, sent from the goroutine that ran it.
type fetchResult struct {
	value []byte
	err   error
}

// FetchTimeoutLeaky fetches key, giving up after d.
//
// WRONG: ch is unbuffered, so the goroutine's send completes only when someone receives. When d
// elapses first, FetchTimeoutLeaky returns and nobody ever receives from ch: the goroutine blocks
// forever on its send, and with it the fetched value. Each timeout leaks one goroutine, exactly when
// upstream is slow and timeouts are frequent.
func (f *Fetcher) FetchTimeoutLeaky(key string, d time.Duration) ([]byte, error) {
	ch := make(chan fetchResult)
	go func() {
		v, err := f.Fetch(context.Background(), key)
		ch <- fetchResult{v, err}
	}()
	select {
	case r := <-ch:
		return r.value, r.err
	case <-time.After(d):
		return nil, fmt.Errorf("fetch %s: timed out after %v", key, d)
	}
}

// FetchTimeout fetches key, giving up after d.
//
// RIGHT: ch has capacity 1, so the single send always completes, and the goroutine exits whether or not
// FetchTimeout is still waiting. (Passing a context with a deadline to Fetch also stops the fetch itself;
// the buffer is what keeps the goroutine from leaking.)
func (f *Fetcher) FetchTimeout(key string, d time.Duration) ([]byte, error) {
	ch := make(chan fetchResult, 1)
	go func() {
		v, err := f.Fetch(context.Background(), key)
		ch <- fetchResult{v, err}
	}()
	select {
	case r := <-ch:
		return r.value, r.err
	case <-time.After(d):
		return nil, fmt.Errorf("fetch %s: timed out after %v", key, d)
	}
}
