package a

import (
	"context"
	"errors"
)

func upload(ctx context.Context) error { return errors.New("upload") }

// ok: the goroutine sends only if ctx was not done when it checked, and the receiver gives up only when
// ctx is done: at most a send that raced with the cancellation is left behind.
func trigger(ctx context.Context) error {
	done := make(chan error)
	go func() {
		if err := upload(ctx); err != nil {
			if ctx.Err() == nil {
				done <- err
			}
		}
		close(done)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// reported: the check is of another context than the one the receiver gives up on.
func triggerOther(ctx, other context.Context) error {
	done := make(chan error)
	go func() {
		if other.Err() == nil {
			done <- upload(ctx) // want `goroutine may block forever sending on done: the receiver in triggerOther can return first`
		}
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

type plugin struct{ stop chan chan struct{} }

// ok: a shutdown that gives up when its deadline passes: the flush is left behind once, as the plugin goes
// away.
func (p *plugin) Stop(ctx context.Context) {
	done := make(chan struct{})
	go func() {
		upload(ctx)
		done <- struct{}{}
	}()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// ok: the same in a helper that only Stop-like methods call.
func (p *plugin) Shutdown(ctx context.Context) { p.flush(ctx) }

func (p *plugin) flush(ctx context.Context) {
	done := make(chan bool)
	go func() {
		upload(ctx)
		done <- true
	}()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// reported: a request that gives up on its context leaves one goroutine behind per request.
func (p *plugin) Handle(ctx context.Context) error {
	done := make(chan error)
	go func() {
		done <- upload(ctx) // want `goroutine may block forever sending on done: the receiver in Handle can return first`
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
