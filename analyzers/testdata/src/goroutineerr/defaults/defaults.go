// Package defaults holds what goroutineerr reports with its default flags: of the go statements, only
// ListenAndServe calls (-goroutineerr.gostmt reports the others); and the other kinds, as in package a.
package defaults

import (
	"errors"
	"net"
	"net/http"
)

func serve(l net.Listener) error { return errors.New("serve") }

// reported: "address already in use" is never seen, and nothing else reports it.
func listen(srv *http.Server) {
	go srv.ListenAndServe() // want `error returned by srv.ListenAndServe is discarded by the go statement; send it on a channel or use errgroup`
}

// ok: by default a go statement on another function is not reported (-goroutineerr.gostmt): on the
// corpus, such errors were recorded elsewhere or did not matter.
func function(l net.Listener) {
	go serve(l)
}

// reported: the goroutine exists to run fetch, and drops its error.
func dropped(fetch func() error) {
	go func() {
		fetch() // want `goroutine discards the error returned by fetch`
	}()
}

// reported: goroutines race on err.
func shared(tasks []func() error) error {
	var err error
	done := make(chan struct{})
	for _, t := range tasks {
		go func() {
			err = t() // want `goroutine assigns err of the enclosing function`
			done <- struct{}{}
		}()
	}
	for range tasks {
		<-done
	}
	return err
}
