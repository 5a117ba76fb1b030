package a

import (
	"net/http"
	"testing"
)

// ok: _test.go files are checked only with -goroutineerr.tests: a test server's error is rarely the point.
func TestServer(t *testing.T) {
	srv := &http.Server{Addr: "localhost:0"}
	go srv.ListenAndServe()
	defer srv.Close()
}

// run is a test hook that replaces conn's run in the test build of the package.
func (w *wrappedConn) run() error { return nil }
