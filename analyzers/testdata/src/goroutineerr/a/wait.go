package a

import (
	"context"
	"time"

	"golang.org/x/sync/errgroup"
)

// Case 4: errgroup.Group.Wait whose result is not used.

// reported, with a fix: the function returns an error, so Wait's can be returned.
func gather(xs []string) error {
	var g errgroup.Group
	for _, x := range xs {
		g.Go(func() error { return process(x) })
	}
	g.Wait() // want `error returned by g.Wait is not checked: the group's failures are lost`
	return nil
}

// reported, with a fix returning zero values for the other results.
func gatherCount(ctx context.Context, xs []string) (int, string, error) {
	g, ctx := errgroup.WithContext(ctx)
	for _, x := range xs {
		g.Go(func() error { return process(x) })
	}
	g.Wait() // want `error returned by g.Wait is not checked`
	return len(xs), "", ctx.Err()
}

type stats struct{ n int }

// reported without a fix: the zero value of stats needs its type's name.
func gatherStats(xs []string) (stats, error) {
	var g errgroup.Group
	for _, x := range xs {
		g.Go(func() error { return process(x) })
	}
	g.Wait() // want `error returned by g.Wait is not checked`
	return stats{len(xs)}, nil
}

// reported without a fix: the function returns no error.
func gatherNoError(xs []string) {
	g := new(errgroup.Group)
	for _, x := range xs {
		g.Go(func() error { return process(x) })
	}
	g.Wait() // want `error returned by g.Wait is not checked`
}

// ok: checked.
func checked(xs []string) error {
	var g errgroup.Group
	for _, x := range xs {
		g.Go(func() error { return process(x) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return nil
}

// ok: every callback returns nil, so Wait always returns nil: the group is used as a WaitGroup.
func neverFails(xs []string) {
	var g errgroup.Group
	g.SetLimit(4)
	for range xs {
		g.Go(func() error {
			time.Sleep(time.Millisecond)
			return nil
		})
	}
	g.Wait()
}

// ok: assigned to _, a deliberate discard (reported with -goroutineerr.blank).
func blankWait(xs []string) error {
	var g errgroup.Group
	for _, x := range xs {
		g.Go(func() error { return process(x) })
	}
	_ = g.Wait()
	return nil
}

// ok: a deferred Wait is a safety net that joins the goroutines on early returns; deferred calls are not
// reported.
func deferredWait(xs []string) error {
	var g errgroup.Group
	defer g.Wait()
	for _, x := range xs {
		if x == "" {
			return nil
		}
		g.Go(func() error { return process(x) })
	}
	return g.Wait()
}
