package a

import (
	"context"
	"errors"
	"time"
)

func lookup(k string) (string, error) { return k, nil }

// ok: the worker sends one reply, on results or on errs, per request it receives, and the parent waits for
// the reply (or returns) before its next request: at most one reply is pending on each channel when the
// parent returns, and each has room for one.
func oneReplyPerRequest(ctx context.Context, keys []string) ([]string, error) {
	reqs := make(chan string, 1)
	results := make(chan string, 1)
	errs := make(chan error, 1)
	defer close(reqs)
	go func() {
		for k := range reqs {
			v, err := lookup(k)
			if err != nil {
				errs <- err
				continue
			}
			results <- v
		}
	}()
	var out []string
	for _, k := range keys {
		reqs <- k
		select {
		case v := <-results:
			out = append(out, v)
		case err := <-errs:
			return nil, err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return out, nil
}

// reported: two requests are sent before the first reply is received, so two replies can be pending when
// the parent gives up, and results has room for one.
func twoRequestsPending(ctx context.Context, a, b string) (string, error) {
	reqs := make(chan string, 1)
	results := make(chan string, 1)
	defer close(reqs)
	go func() {
		for k := range reqs {
			v, _ := lookup(k)
			results <- v // want `goroutine may block forever sending on results: the receiver in twoRequestsPending can return first \(select at pending.go:58\); receive every value before returning, or give results room for every send`
		}
	}()
	reqs <- a
	reqs <- b
	select {
	case v := <-results:
		return v, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// reported: the worker sends a greeting before its first request, so a request's reply can find the
// buffer full: the sends are not one per request.
func greetingBeforeRequests(ctx context.Context, k string) (string, error) {
	reqs := make(chan string, 1)
	results := make(chan string, 1)
	defer close(reqs)
	go func() {
		results <- "hello" // want `goroutine may block forever sending on results: the receiver in greetingBeforeRequests can return first`
		for k := range reqs {
			v, _ := lookup(k)
			results <- v
		}
	}()
	reqs <- k
	select {
	case v := <-results:
		return v, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// ok: two sends on every path (one in each branch, one after), and room for two.
func sendsPerPath(fast bool) (string, error) {
	res := make(chan string, 2)
	go func() {
		if fast {
			res <- "fast"
		} else {
			res <- "slow"
		}
		res <- "done"
	}()
	select {
	case r := <-res:
		return r, nil
	case <-time.After(time.Second):
		return "", errors.New("timeout")
	}
}

// reported: three sends and room for one: after the parent's one receive, two are still pending when the
// second select times out.
func morePendingThanRoom() (string, error) {
	res := make(chan string, 1)
	go func() {
		res <- "a" // ok: the parent receives it
		res <- "b" // ok: the buffer holds it
		res <- "c" // want `goroutine may block forever sending on res after its send at pending.go:113: the receiver in morePendingThanRoom can return first \(select at pending.go:117\)`
	}()
	first := <-res
	select {
	case r := <-res:
		return first + r, nil
	case <-time.After(time.Second):
		return "", errors.New("timeout")
	}
}

// ok: three sends, room for one, and two receives before any return: one send at most is pending.
func receivesAllButRoom() string {
	res := make(chan string, 1)
	go func() {
		res <- "a"
		res <- "b"
		res <- "c"
	}()
	return <-res + <-res
}
