// Package stop holds the cases of -closemisuse.stop: Stop and Close methods of exported types whose close
// has no guard.
package stop

import "sync"

// Reported with -closemisuse.stop: a caller that closes twice panics.
type Service struct {
	done chan struct{}
}

func (s *Service) Close() error {
	close(s.done) // want `s.done closed with no guard by the exported Service.Close: a second call panics`
	return nil
}

// ok: an unexported type's Close is the package's own business.
type worker struct {
	done chan struct{}
}

func (w *worker) Close() { close(w.done) } // ok: unexported type

// ok: guarded by sync.Once.
type Guarded struct {
	once sync.Once
	done chan struct{}
}

func (g *Guarded) Stop() { g.once.Do(func() { close(g.done) }) } // ok: sync.Once

// ok: not a Stop or Close method.
type Broadcaster struct {
	ready chan struct{}
}

func (b *Broadcaster) MarkReady() { close(b.ready) } // ok: not Stop or Close
