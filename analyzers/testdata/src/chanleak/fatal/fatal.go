// Package fatal serves HTTP/1 and HTTP/3 side by side and waits for the first to fail (centrifugo's
// runHTTPServers): a select case that ends in zerolog's log.Fatal().Err(err).Msg(...) ends the process,
// so the other server's sender is not left blocked by it.
package fatal

import (
	"errors"

	"github.com/rs/zerolog/log"
)

var errClosed = errors.New("closed")

type server struct{}

func (*server) Serve() error { return errClosed }
func (*server) Close() error { return nil }

func serveBoth(h, q *server) {
	hErr := make(chan error)
	qErr := make(chan error)
	go func() {
		hErr <- h.Serve() // ok: the receiver returns without it only after qErr, whose case ends the process
	}()
	go func() {
		qErr <- q.Serve() // want `goroutine may block forever sending on qErr: the receiver in serveBoth can return first`
	}()

	select {
	case err := <-hErr:
		_ = q.Close()
		if !errors.Is(err, errClosed) {
			log.Fatal().Err(err).Msg("serve")
		}
	case err := <-qErr:
		log.Fatal().Err(err).Msg("serve HTTP/3")
	}
}

func serveBothLogged(h, q *server) {
	hErr := make(chan error)
	qErr := make(chan error)
	go func() {
		hErr <- h.Serve() // want `goroutine may block forever sending on hErr: the receiver in serveBothLogged can return first`
	}()
	go func() {
		qErr <- q.Serve() // want `goroutine may block forever sending on qErr: the receiver in serveBothLogged can return first`
	}()

	select {
	case err := <-hErr:
		log.Error().Err(err).Msg("serve") // an error event returns
	case err := <-qErr:
		log.Error().Err(err).Msg("serve HTTP/3")
	}
}
