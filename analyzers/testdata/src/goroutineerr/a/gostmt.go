// Package a holds the cases goroutineerr reports with its default flags, and those it stays silent on.
package a

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"time"
)

type server struct{ conn net.Conn }

func (s *server) run() error { return errors.New("run") }

func (s *server) loop() {}

func serve(l net.Listener) error { return errors.New("serve") }

// Case 1: go f(...) where f returns an error.

// reported: the typical case: "address already in use" is never seen.
func listen(srv *http.Server) {
	go srv.ListenAndServe() // want `error returned by srv.ListenAndServe is discarded by the go statement; send it on a channel or use errgroup`
}

// reported: a function.
func function(l net.Listener) {
	go serve(l) // want `error returned by serve \(it fails at gostmt.go:18\) is discarded by the go statement`
}

// reported: a method value.
func methodValue(s *server) {
	run := s.run
	go run() // want `error returned by run is discarded by the go statement`
}

// reported: a method expression.
func methodExpr(s *server) {
	go (*server).run(s) // want `error returned by \(\*server\).run \(it fails at gostmt.go:14\) is discarded by the go statement`
}

// reported: a function literal that returns an error.
func literal(s *server) {
	go func() error { // want `error returned by the function literal is discarded by the go statement`
		return s.run()
	}()
}

// ok: the error is sent on a channel that is received from.
func sent(srv *http.Server) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-time.After(time.Second):
		return nil
	}
}

// ok: loop returns nothing.
func noError(s *server) {
	go s.loop()
}

// ok: (*bytes.Buffer).WriteString is documented never to return an error.
func documentedNeverFails(buf *bytes.Buffer) {
	go buf.WriteString("x")
}

// ok: a Close error is conventionally ignored: closing in the background unblocks a reader.
func closes(s *server) {
	go s.conn.Close()
}

// runReporting hands its error on itself, in a deferred function that reads its named result.
func (s *server) runReporting() (err error) {
	defer func() { s.fail(err) }()
	return s.run()
}

func (s *server) fail(err error) {}

// ok: runReporting reports its own error.
func reportsOwn(s *server) {
	go s.runReporting()
}

// ok: a justified finding is silenced.
func ignored(srv *http.Server) {
	//conclint:ignore goroutineerr a health check restarts the process when the server is down
	go srv.ListenAndServe()
}

// conn's run hands its error on itself; in the test build of the package, a test hook (wrappedConn.run in
// a_test.go) stands in for it.
type conn struct{}

func (c *conn) run() (err error) {
	defer func() { c.close(err) }()
	return errors.New("run")
}

func (c *conn) close(err error) {}

type wrappedConn struct{ *conn }

// ok: in the package, run is conn's; in its test build, a test hook replaces it.
func testHook(w *wrappedConn) {
	go w.run()
}
