package a

import (
	"net"
	"net/http"
	"testing"
)

// ok: a test helper (its file imports testing) counts as a test.
func StartServer(t *testing.T, l net.Listener) *http.Server {
	srv := &http.Server{}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return srv
}
