// Package benign calls the functions whose calls SA1025, SA1029, SA2002 and SA6002 look at, but never as
// they report: a Reset whose result it discards, pointers put in a pool, context keys of defined types,
// t.Fatal outside goroutines and goroutines that do not call it. No IR is built for it.
package benign

import (
	"context"
	"sync"
	"testing"
	"time"
)

func reset(t *time.Timer) {
	t.Reset(time.Second)
	defer t.Reset(time.Minute)
}

type buffer struct{ b []byte }

var pool = sync.Pool{New: func() any { return new(buffer) }}

func put(b *buffer) {
	pool.Put(b)
}

type ctxKey struct{}

type name string

func withValues(ctx context.Context) context.Context {
	ctx = context.WithValue(ctx, ctxKey{}, 1)
	return context.WithValue(ctx, name("user"), "x")
}

func check(t *testing.T, done chan struct{}) {
	go func() {
		close(done)
	}()
	go wait(done)
	<-done
	t.Fatal("in the test's goroutine")
}

func wait(done chan struct{}) { <-done }
