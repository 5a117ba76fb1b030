package a

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"time"

	"golang.org/x/sync/errgroup"

	"goroutineerr/dep"
)

// Case 7: what the callee can return (errclass facts), across packages and within one.

// ok: dep.Flush can only return nil.
func neverFailsDep() {
	go dep.Flush()
}

// ok: the same in a goroutine body.
func neverFailsBody() {
	go func() { dep.Flush() }()
}

// ok: flush, of this package, can only return nil.
func neverFailsLocal(d *daemon) {
	go d.flush()
}

// reported: dep.Unmount may fail.
func mayFail(dir string) {
	go dep.Unmount(dir) // want `error returned by dep.Unmount is discarded by the go statement`
}

// ok: dep.Run returns only its context's error, and the context is the caller's own.
func ownContext(ctx context.Context) {
	go dep.Run(ctx)
}

// ok: the context is cancelled by the caller.
func cancelledContext() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go dep.Run(ctx)
}

// ok: the context is cancelled by the caller: signal.NotifyContext's stop.
func signalContext() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() { dep.Run(ctx) }()
}

// ok: the context of an errgroup, which Wait cancels.
func groupContext(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return nil })
	go dep.Run(gctx)
	return g.Wait()
}

// reported: the context is a field that someone else cancels, or not: its end is news to no one here.
func fieldContext(d *daemon) {
	go dep.Run(d.ctx) // want `error returned by dep.Run \(it returns only the error of its context d.ctx\) is discarded`
}

// ok: dep.Serve returns only http.ErrServerClosed, its normal end.
func normalEnd(quit chan struct{}) {
	go dep.Serve(quit)
}

// reported: dep.Loop returns only dep.ErrStopped, which is not documented as a normal end.
func otherSentinel(quit chan struct{}) {
	go dep.Loop(quit) // want `error returned by dep.Loop \(it returns only dep.ErrStopped\) is discarded`
}

// ok: dep.Clean logs its error before returning it (reported with -goroutineerr.logged).
func logsItself(dir string) {
	go dep.Clean(dir)
}

// reported: remount fails when unmount does, and the message says where.
func remount(d *daemon) {
	go d.remount() // want `error returned by d.remount \(it fails at facts.go:\d+ when d.unmount fails\) is discarded by the go statement`
}

// ok: an errgroup callback returns nil after a call that can only return nil: there is nothing to lose.
func nilCallee(g *errgroup.Group) {
	g.Go(func() error {
		if err := dep.Flush(); err != nil {
			return nil
		}
		return nil
	})
}

type daemon struct {
	ctx context.Context
	dir string
}

func (d *daemon) flush() error { return nil }

func (d *daemon) unmount() error {
	if d.dir == "" {
		return errors.New("not mounted")
	}
	return os.Remove(d.dir)
}

func (d *daemon) remount() error {
	if err := d.flush(); err != nil {
		return err
	}
	if err := d.unmount(); err != nil {
		return err
	}
	return nil
}

// ok: the context is created and cancelled in the goroutine body itself.
func cancelledInBody() {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		dep.Run(ctx)
	}()
}

// reported: the cancel function is dropped: nothing but its timeout ends the context, and the caller never
// learns whether it did.
func cancelDropped() {
	ctx, _ := context.WithTimeout(context.Background(), time.Second)
	go dep.Run(ctx) // want `error returned by dep.Run \(it returns only the error of its context ctx\) is discarded`
}

// ok: every callback returns the error of dep.Flush, which can only be nil: Wait always returns nil.
func groupNeverFails(n int) {
	var g errgroup.Group
	for range n {
		g.Go(func() error { return dep.Flush() })
	}
	g.Wait()
}

// reported: dep.Unmount may fail.
func groupMayFail(dirs []string) {
	var g errgroup.Group
	for _, d := range dirs {
		g.Go(func() error { return dep.Unmount(d) })
	}
	g.Wait() // want `error returned by g.Wait is not checked: the group's failures are lost`
}
