package ids

import (
	"os"
	"sync"
)

type State struct{ mu sync.RWMutex }

type Conn struct {
	mu    sync.Mutex
	state State
}

type Server struct {
	sync.Mutex
	mu   sync.Mutex
	conn *Conn
}

var global sync.Mutex

// Classes: a field of the receiver, a nested field, a field through a pointer field, a package variable.
func (s *Server) classes() {
	s.mu.Lock()               // want `Lock \(\*ids.Server\).mu same=false must=\[\]`
	s.conn.state.mu.RLock()   // want `RLock \(\*ids.Conn\).state.mu same=false must=\[s.mu\]`
	s.conn.mu.Lock()          // want `Lock \(\*ids.Conn\).mu same=false must=\[s.mu s.conn.state.mu:R\]`
	global.Lock()             // want `Lock ids.global same=false`
	global.Unlock()           // want `Unlock ids.global same=true`
	s.conn.mu.Unlock()        // want `Unlock \(\*ids.Conn\).mu same=false`
	s.conn.state.mu.RUnlock() // want `RUnlock \(\*ids.Conn\).state.mu same=false`
	s.mu.Unlock()             // want `Unlock \(\*ids.Server\).mu same=false must=\[s.mu\]`
} // implicit returns have no position

// Spellings: an embedded mutex is its struct's field; an alias of the address is the same lock.
func (s *Server) spellings() {
	s.Lock()         // want `Lock \(\*ids.Server\).Mutex same=false`
	s.Mutex.Unlock() // want `Unlock \(\*ids.Server\).Mutex same=true must=\[s\]`
	m := &s.mu
	m.Lock()      // want `Lock \(\*ids.Server\).mu same=false`
	s.mu.Unlock() // want `Unlock \(\*ids.Server\).mu same=true must=\[m\]`
} // implicit returns have no position

// Instances: two values of one type are one class, two instances.
func two(a, b *Server) {
	a.mu.Lock()   // want `Lock \(\*ids.Server\).mu same=false`
	b.mu.Lock()   // want `Lock \(\*ids.Server\).mu same=false must=\[a.mu\]`
	b.mu.Unlock() // want `Unlock \(\*ids.Server\).mu same=true`
	a.mu.Unlock() // want `Unlock \(\*ids.Server\).mu same=false must=\[a.mu\]`
} // implicit returns have no position

// Must and may: a lock taken on one branch is not must-held after the join; a deferred unlock applies at
// every return; a path that exits holds nothing at a return.
func (s *Server) flow(b bool) int {
	if b {
		s.mu.Lock() // want `Lock \(\*ids.Server\).mu same=false must=\[\]`
	}
	global.Lock()         // want `Lock ids.global same=false must=\[\]`
	defer global.Unlock() // want `defer Unlock ids.global same=true must=\[global\]`
	if s.conn == nil {
		os.Exit(1)
	}
	if !b {
		return 0 // want `return holding \[\]`
	}
	return 1 // want `return holding \[\]`
}

// TryLock: held on its true branch only.
func (s *Server) try() bool {
	if s.mu.TryLock() { // want `TryLock \(\*ids.Server\).mu same=false must=\[\]`
		return true // want `return holding \[s.mu\]`
	}
	return false // want `return holding \[\]`
}

// A local mutex has no class.
func local() {
	var mu sync.Mutex
	mu.Lock()   // want `Lock mu same=false`
	mu.Unlock() // want `Unlock mu same=true must=\[mu\]`
} // implicit returns have no position

// An element locked by one stage of a pipeline and unlocked by the next: once the function publishes it
// (sends it, stores it) and never unlocks it itself, the lock is handed off, not held.
type elem struct {
	sync.Mutex
	v int
}

func getElem() *elem { return new(elem) }

func handOff(out chan *elem, batch *[]*elem) {
	e := getElem()
	e.Lock() // want `Lock \(\*ids.elem\).Mutex same=false must=\[\]`
	out <- e
	f := getElem()
	f.Lock() // want `Lock \(\*ids.elem\).Mutex same=false must=\[\]`
	*batch = append(*batch, f)
	return // want `return holding \[\]`
}

// Published, but unlocked by the function itself: still held until its Unlock.
func publishLocked(m map[int]*elem) {
	e := getElem()
	e.Lock() // want `Lock \(\*ids.elem\).Mutex same=false must=\[\]`
	m[0] = e
	e.v++
	e.Unlock() // want `Unlock \(\*ids.elem\).Mutex same=true must=\[e\]`
}
