// Package dep is imported by lostunlock/a: a helper of another package.
package dep

import "sync"

type Store struct {
	mu sync.Mutex
	n  int
}

// Lock is an acquire helper: it returns holding s.mu.
func (s *Store) Lock() { s.mu.Lock() }

// Unlock is a release helper.
func (s *Store) Unlock() { s.mu.Unlock() }

// Locked holds s.mu on every return: an acquire helper, silent.
func (s *Store) Locked() *Store {
	s.mu.Lock()
	return s
}
