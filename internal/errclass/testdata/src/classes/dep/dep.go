// Package dep declares functions of each class, whose facts package a imports.
package dep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"os"
)

var ErrStopped = errors.New("stopped")

// Always nil.
func Nop() error { return nil } // want Nop:`errNil`

// Always nil: a named result never assigned, and a variable that holds only nil.
func Named() (err error) { // want Named:`errNil`
	var e error
	if e != nil {
		return e
	}
	return
}

// Only its context's error.
func Run(ctx context.Context) error { // want Run:`errCtx\(0\)`
	<-ctx.Done()
	return ctx.Err()
}

// Only its context's error, wrapped, or as the cause, at parameter index 1.
func Wait(n int, ctx context.Context) error { // want Wait:`errCtx\(1\)`
	if n > 0 {
		return fmt.Errorf("waiting for %d: %w", n, ctx.Err())
	}
	return context.Cause(ctx)
}

// Only sentinels.
func Stop(quit chan struct{}) error { // want Stop:`errSentinel\(classes/dep.ErrStopped,io.EOF\)`
	select {
	case <-quit:
		return ErrStopped
	default:
		return io.EOF
	}
}

// Only http.ErrServerClosed.
func Closed() error { return http.ErrServerClosed } // want Closed:`errSentinel\(net/http.ErrServerClosed\)`

// Logged before returned.
func Remove(dir string) error { // want Remove:`errLogged`
	if err := os.RemoveAll(dir); err != nil {
		log.Printf("remove %s: %v", dir, err)
		return err
	}
	err := os.Remove(dir + ".lock")
	if err != nil {
		slog.Error("remove lock", "err", err)
		return fmt.Errorf("remove lock: %w", err)
	}
	return nil
}

// No fact: any error.
func Open(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	return f.Close()
}

// No fact: the error is logged on one path only.
func HalfLogged(dir string) error {
	err := os.RemoveAll(dir)
	if dir == "" {
		log.Print(err)
	}
	return err
}

// No fact: the error logged is not the one returned.
func Reassigned(dir string) error {
	err := os.RemoveAll(dir)
	log.Print(err)
	err = os.Remove(dir)
	return err
}

// No fact: a fresh error.
func Fresh() error { return errors.New("fresh") }

// No fact: a parameter.
func Param(err error) error { return err }

// No fact: a context that is not a parameter.
type Server struct{ ctx context.Context }

func (s *Server) Run() error {
	<-s.ctx.Done()
	return s.ctx.Err()
}

// No fact: a concrete nil pointer is a non-nil error.
type myErr struct{}

func (*myErr) Error() string { return "my" }

func Typed() error {
	var e *myErr
	return e
}

// No fact: the variable is assigned by a function literal.
func Captured(f func(func())) error {
	var err error
	f(func() { err = errors.New("x") })
	return err
}

// No fact: an interface method.
type Runner interface{ Run(context.Context) error }

func Via(r Runner, ctx context.Context) error { return r.Run(ctx) }

// No fact: the error reaches both returned variables through a cycle of assignments.
func Cycle(n int) error {
	var a, b error
	for i := 0; i < n; i++ {
		if i == 1 {
			return a
		}
		a = b
		b = os.Remove("x")
		b = a
	}
	return b
}

// Always nil, through a cycle of assignments that holds only nil.
func NilCycle(n int) error { // want NilCycle:`errNil`
	var a, b error
	for i := 0; i < n; i++ {
		a = b
		b = a
	}
	return b
}

// No fact: the deferred function replaces the nil that the return statement sets.
func Recovered(f func()) (err error) {
	defer func() {
		if e := recover(); e != nil {
			err = errors.New("panic")
		}
	}()
	f()
	return nil
}

// No fact: the result's address is handed to a deferred call.
func Deferred(f func()) (err error) {
	defer setErr(&err)
	f()
	return nil
}

func setErr(p *error) { *p = errors.New("x") }

// A Reporter reports its failures to an event box and keeps the last one.
type Reporter struct {
	events  chan error
	last    error
	onError func(error)
}

func (r *Reporter) set(kind int, err error) {}

// Handed on before returned: to a method, on a channel, in a field.
func (r *Reporter) Loop(init func() error) error { // want Loop:`errLogged`
	if err := init(); err != nil {
		r.set(1, err)
		return err
	}
	if err := init(); err != nil {
		r.events <- err
		return err
	}
	if err := init(); err != nil {
		r.last = err
		return err
	}
	return nil
}

// No fact: the error is only wrapped into a local before it is returned.
func (r *Reporter) Wrapped(init func() error) error {
	if err := init(); err != nil {
		wrapped := fmt.Errorf("init: %w", err)
		return wrapped
	}
	return nil
}
