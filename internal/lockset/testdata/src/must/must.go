package must

import "sync"

type Conn struct {
	mu sync.Mutex
	n  int
}

type Server struct {
	mu   sync.RWMutex
	hits int
	conn *Conn
}

// MustAt: the locks held on every path before a field address; IDOf: its root and path.
func (s *Server) fields(c bool) {
	s.hits = 1  // want `hits path=.hits must=\[\]`
	s.mu.Lock() // want `mu path=.mu must=\[\]`
	s.hits = 2  // want `hits path=.hits must=\[s.mu\]`
	if c {
		s.conn.mu.Lock() // want `conn path=.conn must=\[s.mu\]` `mu path=.conn.mu must=\[s.mu\]`
	}
	s.conn.n = 3   // want `conn path=.conn must=\[s.mu\]` `n path=.conn.n must=\[s.mu\]`
	s.mu.Unlock()  // want `mu path=.mu must=\[s.mu\]`
	s.mu.RLock()   // want `mu path=.mu must=\[\]`
	_ = s.hits     // want `hits path=.hits must=\[s.mu:R\]`
	s.mu.RUnlock() // want `mu path=.mu must=\[s.mu:R\]`
}
