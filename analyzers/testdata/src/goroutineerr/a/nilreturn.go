package a

import (
	"context"
	"log"
	"net"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// Case 3: an errgroup callback that checks an error and returns nil.

// reported: the read error is checked and dropped: Wait never sees it.
func swallowed(ctx context.Context, c net.Conn) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		buf := make([]byte, 512)
		n, err := c.Read(buf)
		if err != nil {
			return nil // want `errgroup callback returns nil when c.Read fails: the group never sees the error; return err`
		}
		return process(string(buf[:n]))
	})
	return g.Wait()
}

// reported: the same with the call in the if statement, in a loop.
func swallowedInLoop(xs []string) error {
	var g errgroup.Group
	for _, x := range xs {
		g.Go(func() error {
			if err := process(x); err != nil {
				return nil // want `errgroup callback returns nil when process fails`
			}
			return nil
		})
	}
	return g.Wait()
}

// reported: the same in a TryGo callback.
func swallowedTry(x string) error {
	var g errgroup.Group
	g.SetLimit(1)
	g.TryGo(func() error {
		err := process(x)
		if err != nil {
			return nil // want `errgroup callback returns nil when process fails`
		}
		return nil
	})
	return g.Wait()
}

// ok: the error is logged before the callback returns nil.
func loggedThenNil(xs []string) error {
	var g errgroup.Group
	for _, x := range xs {
		g.Go(func() error {
			if err := process(x); err != nil {
				log.Printf("skipping %s: %v", x, err)
				return nil
			}
			return nil
		})
	}
	return g.Wait()
}

// ok: stopping quietly on cancellation is deliberate: the failure that canceled ctx reaches Wait.
func canceled(ctx context.Context, xs []string) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, x := range xs {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return nil
			}
			return process(x)
		})
	}
	return g.Wait()
}

// ok: a sync.WaitGroup.Go callback returns nothing: case 2 applies, not this one.
func waitGroupReturn(x string) {
	go func() {
		if err := process(x); err != nil {
			return
		}
	}()
}

// ok: the callback counts the failure and returns nil on purpose, so that one failure does not cancel the
// group: the failure is recorded elsewhere.
func countedFailures(xs []string, failed *atomic.Int64) error {
	var g errgroup.Group
	for _, x := range xs {
		g.Go(func() error {
			if err := process(x); err != nil {
				failed.Add(1)
				return nil
			}
			return nil
		})
	}
	return g.Wait()
}

// ok: the same with a counter under a lock.
func countedLocked(xs []string) (int, error) {
	var g errgroup.Group
	var mu sync.Mutex
	failures := 0
	for _, x := range xs {
		g.Go(func() error {
			if err := process(x); err != nil {
				mu.Lock()
				failures++
				mu.Unlock()
				return nil
			}
			return nil
		})
	}
	err := g.Wait()
	return failures, err
}

// reported: cleaning up is not recording the failure.
func cleanedUp(xs []string, c net.Conn) error {
	var g errgroup.Group
	for _, x := range xs {
		g.Go(func() error {
			if err := process(x); err != nil {
				c.Close()
				return nil // want `errgroup callback returns nil when process fails`
			}
			return nil
		})
	}
	return g.Wait()
}
