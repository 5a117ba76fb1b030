// Package defaults holds what lockorder reports with its default flags: two instances of one class that
// nothing orders; cycles of classes only with -lockorder.cycles.
package defaults

import "sync"

type Server struct {
	mu   sync.Mutex
	peer *Peer
}

type Peer struct {
	mu  sync.Mutex
	srv *Server
}

func (s *Server) notify() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.peer.mu.Lock() // ok: a cycle (see onMessage), reported with -lockorder.cycles
	s.peer.mu.Unlock()
}

func (p *Peer) onMessage() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.srv.mu.Lock()
	p.srv.mu.Unlock()
}

type Account struct {
	mu  sync.Mutex
	bal int
}

// reported: two parameters of one type locked in turn, and nothing orders them.
func transfer(from, to *Account, n int) {
	from.mu.Lock()
	defer from.mu.Unlock()
	to.mu.Lock() // want `to.mu acquired while from.mu is held: two instances of \(\*Account\).mu that nothing orders`
	defer to.mu.Unlock()
	from.bal -= n
	to.bal += n
}
