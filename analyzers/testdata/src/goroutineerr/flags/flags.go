// Package flags holds the cases goroutineerr reports only with -goroutineerr.calls, -goroutineerr.blank and
// -goroutineerr.tests.
package flags

import (
	"errors"
	"net"
	"net/http"

	"golang.org/x/sync/errgroup"

	"goroutineerr/dep"
)

// process fails on an empty x.
func process(x string) error {
	if x == "" {
		return errors.New("empty")
	}
	return nil
}

// reported with -goroutineerr.calls: a side call of a goroutine that does other work.
func sideCall(c net.Conn, data chan []byte) {
	go func() {
		for b := range data {
			c.Write(b) // want `goroutine discards the error returned by c.Write`
		}
	}()
}

// reported with -goroutineerr.blank: an error assigned to _.
func blank(srv *http.Server) {
	go func() { _ = srv.ListenAndServe() }() // want `goroutine discards the error returned by srv.ListenAndServe`
}

// reported with -goroutineerr.blank: the result of Wait assigned to _, with a fix.
func blankWait(xs []string) error {
	var g errgroup.Group
	for _, x := range xs {
		g.Go(func() error { return process(x) })
	}
	_ = g.Wait() // want `error returned by g.Wait is not checked: the group's failures are lost`
	return nil
}

// ok: a Close error is still conventionally ignored.
func closed(c net.Conn) {
	go func() {
		for {
			if _, err := c.Write(nil); err != nil {
				c.Close()
				return
			}
		}
	}()
}

// reported with -goroutineerr.logged: the callee logs its error before returning it.
func logsItself(dir string) {
	go dep.Clean(dir) // want `error returned by dep.Clean \(it logs the error before returning it\) is discarded`
}

// reported with -goroutineerr.serve: a Serve on a listener whose bind was checked.
func bindThenServe(srv *http.Server) error {
	l, err := net.Listen("tcp", ":8080")
	if err != nil {
		return err
	}
	go srv.Serve(l) // want `error returned by srv.Serve is discarded by the go statement`
	return nil
}

// ok: still silent with every flag: the callee can only return nil.
func neverFails() {
	go dep.Flush()
}
