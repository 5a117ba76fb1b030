// Package dep declares functions whose error classes (errclass facts) package a imports: what a callee in
// another package can return decides whether goroutineerr reports a goroutine that drops it.
package dep

import (
	"context"
	"errors"
	"log"
	"net"
	"net/http"
	"os"
)

// ErrStopped is returned by Stop when the loop was told to quit.
var ErrStopped = errors.New("stopped")

// Flush never fails.
func Flush() error { return nil } // want Flush:`errNil`

// Run returns only its context's error.
func Run(ctx context.Context) error { // want Run:`errCtx\(0\)`
	<-ctx.Done()
	return ctx.Err()
}

// Serve returns only http.ErrServerClosed, its documented normal end.
func Serve(quit chan struct{}) error { // want Serve:`errSentinel\(net/http.ErrServerClosed\)`
	<-quit
	return http.ErrServerClosed
}

// Loop returns only ErrStopped, which is not a documented normal end.
func Loop(quit chan struct{}) error { // want Loop:`errSentinel\(goroutineerr/dep.ErrStopped\)`
	<-quit
	return ErrStopped
}

// Clean logs its error before returning it.
func Clean(dir string) error { // want Clean:`errLogged`
	if err := os.RemoveAll(dir); err != nil {
		log.Printf("clean %s: %v", dir, err)
		return err
	}
	return nil
}

// Unmount may fail: no fact.
func Unmount(dir string) error { return os.Remove(dir) }

// Server is a server with its own Serve-style method: it takes a net.Listener.
type Server struct{}

func (*Server) Serve(l net.Listener) error {
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		c.Close()
	}
}

// Start binds inside, as http.Server.ListenAndServe does: no listener to check beforehand.
func (s *Server) Start(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(l)
}
