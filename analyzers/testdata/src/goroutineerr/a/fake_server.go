package a

import "net/http"

// ok: a file named for a test double is test code (syntax.IsTestCode), checked only with
// -goroutineerr.tests.
func startFake(srv *http.Server) {
	go srv.ListenAndServe()
}
