package a

import (
	"context"
	"time"
)

type ctxKey struct{}

func tick() {}

// reported: the goroutine returns only when ctx is done, and nothing can cancel context.Background().
func pollForever() {
	ctx := context.Background()
	go func() { // want `goroutine never ends: its only way out is <-ctx.Done\(\), and ctx is context.Background\(\), which is never canceled; derive ctx with context.WithCancel and cancel it when the goroutine should stop`
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				tick()
			}
		}
	}()
}

// reported: a named body, and a context derived from context.TODO() with values only.
func watchWithValues() {
	ctx := context.WithValue(context.TODO(), ctxKey{}, "watch")
	go watch(ctx) // want `goroutine never ends: its only way out is <-ctx.Done\(\), and ctx derives from context.TODO\(\) with values only, so it is never canceled`
}

func watch(ctx context.Context) {
	<-ctx.Done()
	tick()
}

// ok: the goroutine's context can be canceled, by stop.
func pollCancelable() (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-ctx.Done()
	}()
	return cancel
}

// ok: a cancel func is derived from the background context (even if the goroutine listens to the
// background one, someone meant to cancel it).
func cancelDerived() context.CancelFunc {
	base := context.Background()
	_, cancel := context.WithCancel(base)
	go func() {
		<-base.Done()
	}()
	return cancel
}

// ok: ctx comes from the caller, who may cancel it.
func pollParam(ctx context.Context) {
	go func() {
		<-ctx.Done()
	}()
}

// ok: the variable that holds ctx escapes (its address is passed on), so another context may be put in it.
func ctxEscapes(set func(*context.Context)) {
	ctx := context.Background()
	set(&ctx)
	go func() {
		<-ctx.Done()
	}()
}

// ok: the goroutine has another way out, when in is closed.
func otherWayOut(in <-chan int) {
	ctx := context.Background()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case _, ok := <-in:
				if !ok {
					return
				}
			}
		}
	}()
}

// ok: started once from init, the goroutine lives as long as the process anyway.
func init() {
	ctx := context.Background()
	go func() {
		<-ctx.Done()
	}()
}

// Identity trap: a local Background whose context's Done channel is closed.

type closedCtx struct{ context.Context }

func (closedCtx) Done() <-chan struct{} {
	ch := make(chan struct{})
	close(ch)
	return ch
}

func Background() closedCtx { return closedCtx{context.Background()} }

// ok: the local Background is not context.Background, and its Done is not context.Context's.
func localBackground() {
	ctx := Background()
	go func() {
		<-ctx.Done()
	}()
}
