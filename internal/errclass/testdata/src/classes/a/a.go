// Package a shows the facts of package dep crossing the package boundary, and the fixpoint over recursion.
package a

import (
	"context"
	"errors"

	"classes/dep"
)

// Nil through a call of another package.
func CallsNop() error { return dep.Nop() } // want CallsNop:`errNil`

// Its own context passed to a function that returns only its context's error: its context's error.
func Serve(ctx context.Context) error { // want Serve:`errCtx\(0\)`
	if err := dep.Run(ctx); err != nil {
		return err
	}
	return dep.Wait(1, ctx)
}

// No fact: the context passed is not a parameter.
func Background() error { return dep.Run(context.Background()) }

// Sentinels through a call.
func Stop(q chan struct{}) error { return dep.Stop(q) } // want Stop:`errSentinel\(classes/dep.ErrStopped,io.EOF\)`

// Logged through a call.
func Clean(dir string) error { return dep.Remove(dir) } // want Clean:`errLogged`

// No fact: a logged error joined with a sentinel.
func Mixed(dir string, q chan struct{}) error {
	if err := dep.Remove(dir); err != nil {
		return err
	}
	return dep.Stop(q)
}

// Recursion: only nil on every path, found by the fixpoint.
func Walk(n int) error { // want Walk:`errNil`
	if n == 0 {
		return nil
	}
	return Walk(n - 1)
}

// Mutual recursion: even returns odd's error, which may be a fresh one.
func even(n int) error {
	if n == 0 {
		return nil
	}
	return odd(n - 1)
}

func odd(n int) error {
	if n == 0 {
		return errors.New("odd")
	}
	return even(n - 1)
}

// Mutual recursion that returns only the context's error.
func Ping(ctx context.Context, n int) error { // want Ping:`errCtx\(0\)`
	if n == 0 {
		return ctx.Err()
	}
	return Pong(n-1, ctx)
}

func Pong(n int, ctx context.Context) error { // want Pong:`errCtx\(1\)`
	return Ping(ctx, n)
}

// Generic functions: the fact is on the origin.
func First[T any](xs []T) (T, error) { // want First:`errSentinel\(classes/dep.ErrStopped\)`
	var zero T
	if len(xs) == 0 {
		return zero, dep.ErrStopped
	}
	return xs[0], nil
}

func UseFirst(xs []int) error { // want UseFirst:`errSentinel\(classes/dep.ErrStopped\)`
	_, err := First(xs)
	return err
}
