package a

import (
	"facts/dep"
	"sync"
)

type Server struct {
	mu    sync.Mutex
	store *dep.Store
}

// Save acquires the store's lock through two calls of package dep.
func (s *Server) Save() { // want Save:`acquires\(p0.store.mu\)`
	s.store.Flush()
}

// under holds s.mu while dep.Store.Persist takes the store's lock: an order pair across packages.
func (s *Server) under() { // want under:`order\(\(\*facts/a.Server\).mu→\(\*facts/dep.Store\).mu\)`
	s.mu.Lock()
	defer s.mu.Unlock()
	s.store.Persist()
}

// LockStore is an acquire helper through dep's.
func LockStore(st *dep.Store) { // want LockStore:`holds\(p0.mu\)`
	st.Lock()
}

// Locker calls have no static callee: nothing is known.
func ViaLocker(l sync.Locker) { // want ViaLocker:`acquires\(p0\)`
	l.Lock()
	l.Unlock()
}

type iface interface{ Persist() }

// An interface call: unknown, no summary.
func dynamic(i iface) {
	i.Persist()
}

// No fact: no other package can call flushStore, and it orders no locks.
func (s *Server) flushStore() {
	s.store.Flush()
}

// Recycle acquires the locks of dep's unexported types through the methods dep's API reaches: the promoted
// Close and the Release of Get's result.
func Recycle(p *dep.Pool) { // want Recycle:`acquires\(p0.poolConn.mu\)`
	p.Close()
	p.Get().Release()
}

// Sum calls Add through an interface: unknown, no summary, with or without a fact on dep's adder.Add.
func Sum(a dep.Adder) {
	a.Add()
}
