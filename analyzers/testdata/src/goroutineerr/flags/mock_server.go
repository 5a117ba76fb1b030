package flags

import "net/http"

// reported with -goroutineerr.tests: a file named for a test double is test code.
func startMock(srv *http.Server) {
	go srv.ListenAndServe() // want `error returned by srv.ListenAndServe is discarded by the go statement`
}
