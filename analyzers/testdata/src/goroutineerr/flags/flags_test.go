package flags

import (
	"net/http"
	"testing"
)

// reported with -goroutineerr.tests.
func TestServer(t *testing.T) {
	srv := &http.Server{Addr: "localhost:0"}
	go srv.ListenAndServe() // want `error returned by srv.ListenAndServe is discarded by the go statement`
	defer srv.Close()
}
