package roles

import (
	"net"
	"sync"
	"time"
)

// A stream reads frames from a connection; s.mu guards the connection and the last error.
type stream struct {
	mu   sync.Mutex
	conn net.Conn
	err  error
}

// Err is a fast path.
func (s *stream) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// ok: the read is bounded by the deadline set just before: Err waits at most that long.
func (s *stream) ReadFrame(buf []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	return s.conn.Read(buf) // ok: deadline-bounded
}

// reported: a write deadline does not bound a read.
func (s *stream) ReadFrameNoDeadline(buf []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return s.conn.Read(buf) // want `s.conn.Read called while s.mu is held \(locked at deadline.go:33\); s.mu also guards Err \(deadline.go:18\), which waits until s.conn.Read returns`
}
