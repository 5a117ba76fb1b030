package a

import (
	"crypto/tls"
	"log"
	"net"
	"net/http"

	"goroutineerr/dep"
)

// Case 8: bind before serve.

// ok: the listener was created, and its error checked, before the go statement: Serve ends on close or
// on rare accept errors (reported with -goroutineerr.serve).
func bindThenServe(srv *http.Server) error {
	l, err := net.Listen("tcp", ":8080")
	if err != nil {
		return err
	}
	go srv.Serve(l)
	return nil
}

// ok: the same through a listener that wraps the checked one, in a goroutine body.
func bindTLS(srv *http.Server, cfg *tls.Config) {
	l, err := net.Listen("tcp", ":8443")
	if err != nil {
		log.Fatal(err)
	}
	tl := tls.NewListener(l, cfg)
	go func() {
		srv.Serve(tl)
	}()
}

// ok: a Serve-style method of another package: it takes a net.Listener.
func bindDep(s *dep.Server) error {
	l, err := net.Listen("tcp", ":9000")
	if err != nil {
		return err
	}
	go s.Serve(l)
	return nil
}

// reported: the bind's error is not checked.
func bindUnchecked(srv *http.Server) {
	l, _ := net.Listen("tcp", ":8080")
	go srv.Serve(l) // want `error returned by srv.Serve is discarded by the go statement`
}

// reported: the error is checked only after the goroutine started.
func bindCheckedLate(srv *http.Server) error {
	l, err := net.Listen("tcp", ":8080")
	go srv.Serve(l) // want `error returned by srv.Serve is discarded by the go statement`
	return err
}

// reported: a listener handed in: its creation is not in view.
func serveGiven(s *dep.Server, l net.Listener) {
	go s.Serve(l) // want `error returned by s.Serve is discarded by the go statement`
}

// reported: binds inside, as ListenAndServe does.
func bindInside(s *dep.Server) {
	go s.Start(":9000") // want `error returned by s.Start is discarded by the go statement`
}

type plugin struct {
	ln  net.Listener
	srv *http.Server
}

// ok: the checked listener is kept in a field first, as plugins that start and stop a server do.
func (p *plugin) startup() error {
	ln, err := net.Listen("tcp", ":8080")
	if err != nil {
		return err
	}
	p.ln = ln
	p.srv = &http.Server{}
	go func() { p.srv.Serve(p.ln) }()
	return nil
}

// reported: the field holds a listener whose error is not checked.
func (p *plugin) startupUnchecked() {
	ln, _ := net.Listen("tcp", ":8080")
	p.ln = ln
	go func() { p.srv.Serve(p.ln) }() // want `goroutine discards the error returned by p.srv.Serve`
}

// reported: the field is not assigned here: the listener's creation is not in view.
func (p *plugin) restart() {
	go func() { p.srv.Serve(p.ln) }() // want `goroutine discards the error returned by p.srv.Serve`
}

// reported: the field's last assignment before the start is not the checked listener.
func (p *plugin) startupReplaced(other net.Listener) error {
	ln, err := net.Listen("tcp", ":8080")
	if err != nil {
		return err
	}
	p.ln = ln
	p.ln = other
	go func() { p.srv.Serve(p.ln) }() // want `goroutine discards the error returned by p.srv.Serve`
	return nil
}
