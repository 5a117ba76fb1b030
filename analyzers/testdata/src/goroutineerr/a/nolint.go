package a

import "net/http"

// Case 9: the author's word, in golangci-lint's //nolint directive.

// ok: //nolint:errcheck on the line.
func nolintErrcheck(srv *http.Server) {
	go srv.ListenAndServe() //nolint:errcheck
}

// ok: a bare //nolint, with an explanation.
func nolintBare(srv *http.Server) {
	go srv.ListenAndServe() //nolint // a health check restarts the process
}

// ok: a list that names goroutineerr, in a goroutine body.
func nolintList(srv *http.Server) {
	go func() {
		srv.ListenAndServe() //nolint:gosec,goroutineerr // served until exit
	}()
}

// reported: the list names other linters only.
func nolintOther(srv *http.Server) {
	go srv.ListenAndServe() //nolint:gosec // want `error returned by srv.ListenAndServe is discarded`
}

// reported: "// nolint" with a space is not a directive.
func nolintSpaced(srv *http.Server) {
	go srv.ListenAndServe() // nolint:errcheck // want `error returned by srv.ListenAndServe is discarded`
}
