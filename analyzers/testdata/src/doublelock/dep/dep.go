// Package dep is imported by doublelock/a: its functions' lock summaries (facts of the locksummary engine)
// cross the package boundary.
package dep

import "sync"

type Store struct {
	mu sync.Mutex
	n  int
}

func (s *Store) Persist() {
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
}

// Unlock is a release helper.
func (s *Store) Unlock() {
	s.mu.Unlock()
}

// FlushLocked expects s.mu held and does not lock it.
func (s *Store) FlushLocked() {
	s.n = 0
}

// Bump locks mu to update n.
func Bump(mu *sync.Mutex, n *int) {
	mu.Lock()
	*n++
	mu.Unlock()
}

// Add locks mu through Bump.
func Add(mu *sync.Mutex, n *int) {
	Bump(mu, n)
}

// Counters reaches counter through an embedded field: its exported methods are promoted, so another
// package calls them and needs their summaries. No other package can reach tally: its methods have none.
type Counters struct {
	counter
	t tally
}

type counter struct{}

// Add locks mu through Bump.
func (counter) Add(mu *sync.Mutex, n *int) {
	Bump(mu, n)
}

type tally struct{}

func (tally) Add(mu *sync.Mutex, n *int) {
	Bump(mu, n)
}
