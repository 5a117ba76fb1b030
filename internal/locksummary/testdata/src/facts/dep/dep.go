package dep

import "sync"

type Store struct {
	mu    sync.Mutex
	state struct{ mu sync.RWMutex }
	n     int
}

// Persist locks s.mu and releases it: it acquires p0.mu.
func (s *Store) Persist() { // want Persist:`acquires\(p0.mu\)`
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
}

// Flush acquires through Persist.
func (s *Store) Flush() { // want Flush:`acquires\(p0.mu\)`
	s.Persist()
}

// Lock is an acquire helper: it returns holding s.mu.
func (s *Store) Lock() { // want Lock:`acquires\(p0.mu\) holds\(p0.mu\)`
	s.mu.Lock()
}

// Unlock is a release helper: it expects s.mu held.
func (s *Store) Unlock() { // want Unlock:`releases\(p0.mu\)`
	s.mu.Unlock()
}

// Read locks a nested field for reading.
func (s *Store) Read() int { // want Read:`acquires\(p0.state.mu:R\)`
	s.state.mu.RLock()
	defer s.state.mu.RUnlock()
	return s.n
}

// Both takes the nested lock while holding s.mu: a lock-order pair.
func (s *Store) Both() { // want Both:`order\(\(\*facts/dep.Store\).mu→\(\*facts/dep.Store\).state.mu\)`
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.mu.Lock()
	s.state.mu.Unlock()
}

// Wait releases and reacquires: it expects s.mu held and returns holding it; not an acquire a holder
// deadlocks on.
func (s *Store) Wait() { // want Wait:`^holds\(p0.mu\) releases\(p0.mu\)$`
	s.mu.Unlock()
	s.n++
	s.mu.Lock()
}

// Try holds s.mu only where TryLock succeeded, and releases it there: no summary (a failed TryLock holds
// nothing, and a TryLock is no acquisition a holder deadlocks on).
func (s *Store) Try() bool {
	if !s.mu.TryLock() {
		return false
	}
	s.mu.Unlock()
	return true
}

// TryNamed is Try with TryLock's result stored in a named result first (AdGuard Home's
// tryRefreshFilters): the lock is held only where ok is true, so no summary either.
func (s *Store) TryNamed() (ok bool) {
	if ok = s.mu.TryLock(); !ok {
		return ok
	}
	defer s.mu.Unlock()
	s.n++
	return ok
}

// TryDefine keeps TryLock's result in a variable of its own.
func (s *Store) TryDefine() bool {
	ok := s.mu.TryLock()
	if ok {
		s.n++
		s.mu.Unlock()
	}
	return ok
}

// TryOverwritten's ok no longer holds TryLock's result at the if: the lock is not known to be held, and
// the Unlock releases the caller's.
func (s *Store) TryOverwritten(force bool) { // want TryOverwritten:`releases\(p0.mu\)`
	ok := s.mu.TryLock()
	ok = ok || force
	if ok {
		s.mu.Unlock()
	}
}

var global sync.Mutex

// Global locks a package-level mutex.
func Global() { // want Global:`acquires\(facts/dep.global\)`
	global.Lock()
	global.Unlock()
}

// Local locks a mutex of its own: nothing its caller sees.
func Local() {
	var mu sync.Mutex
	mu.Lock()
	mu.Unlock()
}

// Param locks a mutex given as a parameter.
func Param(mu *sync.Mutex) { // want Param:`acquires\(p0\)`
	mu.Lock()
	defer mu.Unlock()
}

// Exit never returns: it holds nothing at a return.
func (s *Store) Exit() { // want Exit:`^acquires\(p0.mu\)$`
	s.mu.Lock()
	panic("no")
}

type Node struct {
	mu     sync.Mutex
	parent *Node
}

// Up reassigns its receiver: the locks it takes after that are not its caller's.
func (n *Node) Up() {
	for n != nil {
		n.mu.Lock()
		n.mu.Unlock()
		n = n.parent
	}
}

// LockWhenReady is an acquire helper too: past the last case of its select it waits, it does not return.
func (s *Store) LockWhenReady(ready chan struct{}) { // want LockWhenReady:`acquires\(p0.mu\) holds\(p0.mu\)`
	select {
	case <-ready:
		s.mu.Lock()
		return
	}
}

// WaitDeferred releases and reacquires through a defer, as Wait does in line.
func (s *Store) WaitDeferred() error { // want WaitDeferred:`^holds\(p0.mu\) releases\(p0.mu\)$`
	s.mu.Unlock()
	defer s.mu.Lock()
	if s.n > 0 {
		return nil
	}
	s.n++
	return nil
}

// Ensure expects s.mu held, and returns holding it on every path: early with it untouched, or after it
// unlocked it and locked it again (rclone's vfscache Item._ensure).
func (s *Store) Ensure(n int) error { // want Ensure:`^holds\(p0.mu\) releases\(p0.mu\)$`
	if n == 0 {
		return nil
	}
	s.mu.Unlock()
	defer s.mu.Lock()
	s.n += n
	return nil
}

// MaybeLock holds s.mu only where it locked it: no holds (its caller did not hold it); it acquires only
// when c is true.
func (s *Store) MaybeLock(c bool) { // want MaybeLock:`^acquires\(p0.mu if p1\)$`
	if c {
		s.mu.Lock()
	}
}

// Update locks only when asked to (rclone's union updateUsageCore).
func (s *Store) Update(lock bool) { // want Update:`^acquires\(p0.mu if p1\)$`
	if lock {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	s.n++
}

// UpdateLocked passes false: it acquires nothing.
func (s *Store) UpdateLocked() {
	s.Update(false)
}

// Refresh passes its own parameter on: the guard follows it.
func (s *Store) Refresh(lock bool) { // want Refresh:`^acquires\(p0.mu if p1\)$`
	s.Update(lock)
}

// FindRoot creates, and locks, only when create is true (rclone's mega findRoot → mkdir).
func (s *Store) FindRoot(create bool) error { // want FindRoot:`^acquires\(p0.mu if p1\)$`
	if !create || s.n > 0 {
		return nil
	}
	s.Persist()
	return nil
}

// WaitUntil waits in a loop through WaitDeferred: s.mu is its caller's, released for a while and given
// back, so it only releases it (crypto/tls's quicReadHandshakeBytes around quicWaitForSignal).
func (s *Store) WaitUntil(n int) { // want WaitUntil:`^releases\(p0.mu\)$`
	for s.n < n {
		s.WaitDeferred()
	}
}

// PersistIf acquires only when ok is true: the && form, which the control flow graph does not split.
func (s *Store) PersistIf(ok bool) bool { // want PersistIf:`^acquires\(p0.mu if p1\)$`
	return ok && s.persisted()
}

func (s *Store) persisted() bool {
	s.Persist()
	return true
}

// ByExpression calls Update as a method expression: the receiver is its first argument, and false is
// passed for the guard: nothing acquired.
func (s *Store) ByExpression() {
	(*Store).Update(s, false)
}

// ByExpressionTrue passes true: Update acquires s.mu, reached from the first argument.
func (s *Store) ByExpressionTrue() { // want ByExpressionTrue:`^acquires\(p0.mu\)$`
	(*Store).Update(s, true)
}
