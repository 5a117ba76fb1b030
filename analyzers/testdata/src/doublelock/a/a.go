package a

import (
	"doublelock/dep"
	"sync"
)

type Server struct {
	mu    sync.Mutex
	n     int
	store *dep.Store
}

// reported: Lock twice on every path.
func (s *Server) twice() {
	s.mu.Lock()
	s.n++
	s.mu.Lock() // want `s.mu locked again while already held \(locked at a.go:16\): this goroutine deadlocks`
	s.mu.Unlock()
}

func (s *Server) persist() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n = 0
}

func (s *Server) flush() { s.persist() }

// reported: flush locks s.mu through persist, while Save holds it (a deferred unlock runs only at exit).
func (s *Server) Save() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flush() // want `s.mu locked again through s.flush → s.persist \(a.go:23\) while already held \(locked at a.go:32\): this goroutine deadlocks`
}

func (s *Server) storeTwice(st *dep.Store) {
	st.Persist()
	st.Persist() // ok: released in between by Persist itself
}

type Cache struct {
	mu sync.RWMutex
	m  map[string]int
}

// reported: a call chain into another package locks s.mu.
func (s *Server) bumpLocked() {
	s.mu.Lock()
	defer s.mu.Unlock()
	dep.Add(&s.mu, &s.n) // want `s.mu locked again through dep.Add → Bump \(dep.go:30\) while already held \(locked at a.go:49\)`
}

type Counter struct {
	sync.Mutex
	n int
}

// reported: an embedded mutex is its struct's field, and two spellings of one lock are one lock.
func (c *Counter) incr() {
	c.Lock()
	m := &c.Mutex
	m.Lock() // want `c locked again while already held`
	c.n++
	c.Unlock()
}

// reported: RLock then Lock, an upgrade.
func (c *Cache) upgrade(k string) {
	c.mu.RLock()
	if _, ok := c.m[k]; !ok {
		c.mu.Lock() // want `c.mu locked for writing while this goroutine holds it for reading \(read-locked at a.go:70\): RWMutex cannot upgrade`
		c.m[k] = 1
		c.mu.Unlock()
	}
	c.mu.RUnlock()
}

func (c *Cache) get(k string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[k]
}

// reported: a recursive read lock, while put locks c.mu for writing.
func (c *Cache) getTwo(a, b string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[a] + c.get(b) // want `c.mu read-locked again through c.get \(a.go:80\) while this goroutine holds it for reading \(read-locked at a.go:87\): a writer queued in between \(c.mu.Lock at a.go:72, or 1 other writer\)`
}

func (c *Cache) put(k string, v int) {
	c.mu.Lock()
	c.m[k] = v
	c.mu.Unlock()
}

type Stats struct {
	mu sync.RWMutex
	n  int
}

func (s *Stats) read() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.n
}

// ok: a recursive read lock of a mutex the package never locks for writing.
func (s *Stats) readTwice() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.read() + s.n
}

// ok: unlocked in between.
func (s *Server) relock() {
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
	s.mu.Lock() // ok: released on every path
	s.mu.Unlock()
}

func (s *Server) unlock() { s.mu.Unlock() }

// ok: a release helper of this package releases it.
func (s *Server) viaHelper() {
	s.mu.Lock()
	s.unlock()
	s.mu.Lock() // ok: released by s.unlock
	s.mu.Unlock()
}

// ok: a release helper of another package releases it.
func (s *Server) viaDepHelper(st *dep.Store) {
	st.Persist()
	st.FlushLocked()
	st.Unlock()
	st.Persist() // ok: st.mu is not held here
}

// ok: held on some paths only.
func (s *Server) sometimes(b bool) {
	if b {
		s.mu.Lock()
	}
	s.mu.Lock() // ok: not held on every path
	s.mu.Unlock()
}

// ok: a failed TryLock holds nothing.
func (s *Server) try() {
	if !s.mu.TryLock() {
		s.mu.Lock() // ok: TryLock failed, the lock is not held
	}
	s.mu.Unlock()
}

// ok: two distinct instances of one type.
func transfer(a, b *Server) {
	a.mu.Lock()
	defer a.mu.Unlock()
	b.mu.Lock() // ok: another instance (a lock order question, not a double lock)
	b.mu.Unlock()
}

type flusher interface{ flush() }

// ok: a call through an interface is unknown.
func (s *Server) dynamic(f flusher) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f.flush() // ok: unknown callee
}

// ok: another goroutine locks it, not this one.
func (s *Server) inGoroutine() {
	s.mu.Lock()
	defer s.mu.Unlock()
	go func() {
		s.mu.Lock() // ok: another goroutine waits, it does not deadlock itself
		s.mu.Unlock()
	}()
}

// Identity trap: a local type with an unrelated Lock method.
type door struct{}

func (door) Lock()   {}
func (door) Unlock() {}

func trap(d door) {
	d.Lock()
	d.Lock() // ok: not a sync mutex
}

// A suppressed finding.
func (s *Server) suppressed() {
	s.mu.Lock()
	s.mu.Lock() //conclint:ignore doublelock fixture for the directive
}

// ok: a goroutine unlocks the mutex, so the second Lock waits for it rather than for itself.
func handoff() {
	var mu sync.Mutex
	mu.Lock()
	go func() {
		mu.Unlock()
	}()
	mu.Lock() // ok: mu is captured by a function literal that unlocks it
}

// reported: a method promoted from an unexported type of another package locks s.mu.
func (s *Server) bumpPromoted(c dep.Counters) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.Add(&s.mu, &s.n) // want `s.mu locked again through c.Add → Bump \(dep.go:30\) while already held \(locked at a.go:216\)`
}
