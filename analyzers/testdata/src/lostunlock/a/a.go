package a

import (
	"errors"
	"lostunlock/dep"
	"os"
	"sync"
)

var errNotFound = errors.New("not found")

type Cache struct {
	mu      sync.Mutex
	entries map[string][]byte
}

// reported: the early return keeps c.mu locked; the other path unlocks it.
func (c *Cache) Get(key string) ([]byte, error) {
	c.mu.Lock()
	v, ok := c.entries[key]
	if !ok {
		return nil, errNotFound // want `c.mu is still locked at this return, while other paths of Get unlock it \(locked at a.go:19\); call c.mu.Unlock before returning, or defer it`
	}
	c.mu.Unlock()
	return v, nil
}

// reported: a return inside the loop keeps c.mu locked; the return after the loop does not.
func (c *Cache) first(keys []string) []byte {
	for _, k := range keys {
		c.mu.Lock()
		if v := c.entries[k]; v != nil {
			return v // want `c.mu is still locked at this return, while other paths of first unlock it`
		}
		c.mu.Unlock()
	}
	return nil
}

// reported: the implicit return at the end of a function literal, while its early return unlocks.
func (c *Cache) set(key string, v []byte) {
	func() {
		c.mu.Lock()
		if v == nil {
			c.mu.Unlock()
			return
		}
		if v[0] == 0 {
			return // want `c.mu is still locked at this return, while other paths of the function literal in`
		}
		c.entries[key] = v
		c.mu.Unlock()
	}()
}

// reported: unlocked twice.
func (c *Cache) twice() {
	c.mu.Lock()
	c.entries = nil
	c.mu.Unlock()
	c.mu.Unlock() // want `c.mu is unlocked while it is not locked on any path reaching here \(locked at a.go:58\): a fatal error at run time`
}

// reported: the deferred unlock runs after an explicit one.
func (c *Cache) deferTwice(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries[key] == nil {
		c.mu.Unlock()
		return // want `the deferred c.mu.Unlock \(line 67\) runs at this return while c.mu is not locked on any path reaching it`
	}
	delete(c.entries, key)
}

// reported: the unlock after a failed TryLock.
func (c *Cache) try() {
	if !c.mu.TryLock() {
		c.mu.Unlock() // want `c.mu is unlocked while it is not locked on any path reaching here`
		return
	}
	c.mu.Unlock()
}

// reported: a deferred unlock in a loop runs only at return.
func (c *Cache) each(keys []string) {
	for _, k := range keys {
		c.mu.Lock()
		defer c.mu.Unlock() // want `deferred unlock of c.mu in a loop runs only when each returns: c.mu stays locked into the next iteration`
		delete(c.entries, k)
	}
}

type Table struct {
	mu   sync.RWMutex
	rows []string
}

// reported: a read lock kept on the early return.
func (t *Table) row(i int) string {
	t.mu.RLock()
	if i >= len(t.rows) {
		return "" // want `t.mu is still locked at this return, while other paths of row unlock it \(locked at a.go:100\); call t.mu.RUnlock before returning`
	}
	r := t.rows[i]
	t.mu.RUnlock()
	return r
}

// ok: deferred unlock releases it on every path.
func (c *Cache) getDefer(key string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.entries[key]
	if !ok {
		return nil, errNotFound // ok: the deferred unlock runs
	}
	return v, nil
}

// ok: an acquire helper holds the lock on every return; its caller unlocks.
func (c *Cache) lock() {
	c.mu.Lock() // ok: held on every return
}

func (c *Cache) unlock() { c.mu.Unlock() }

// ok: acquire and release helpers used in pairs.
func (c *Cache) pair(key string) {
	c.lock()
	delete(c.entries, key)
	c.unlock() // ok: a release helper
}

// ok: a release helper of this package releases it on the early path.
func (c *Cache) viaHelper(key string) error {
	c.mu.Lock()
	if c.entries[key] == nil {
		c.unlock()
		return errNotFound // ok: released by c.unlock
	}
	c.mu.Unlock()
	return nil
}

// ok: held only where TryLock succeeded, released there.
func (c *Cache) tryOK() bool {
	if !c.mu.TryLock() {
		return false // ok: TryLock failed, nothing is held
	}
	defer c.mu.Unlock()
	return true
}

// ok: a conditional acquire helper: it returns holding c.mu when it succeeds, and unlocks when it fails.
func (c *Cache) lockOpen() bool {
	c.mu.Lock()
	if c.entries == nil {
		c.mu.Unlock()
		return false // ok: released on failure
	}
	return true // ok: the caller unlocks after success
}

// ok: the same, ending with the implicit return.
func (c *Cache) lockFor(key string) {
	c.mu.Lock()
	if c.entries[key] == nil {
		c.mu.Unlock()
		return
	}
} // ok: held at the end, a conditional acquire helper

// ok: a conditional lock and unlock on the same condition; the analysis cannot correlate them and stays
// silent rather than guess.
func (c *Cache) maybe(lock bool) {
	if lock {
		c.mu.Lock()
	}
	c.entries = nil
	if lock {
		c.mu.Unlock() // ok: held on some paths only
	}
}

// ok: the path that keeps the lock ends the process.
func (c *Cache) fatal(key string) {
	c.mu.Lock()
	if c.entries == nil {
		os.Exit(1) // ok: no return follows
	}
	c.mu.Unlock()
}

// ok: the path that keeps the lock panics.
func (c *Cache) mustGet(key string) []byte {
	c.mu.Lock()
	v, ok := c.entries[key]
	if !ok {
		panic("missing " + key) // ok: a panic is no return
	}
	c.mu.Unlock()
	return v
}

// ok: a helper of another package holds and releases the store's lock.
func storeOps(s *dep.Store) {
	s.Lock()
	s.Unlock()
	s.Locked().Unlock()
}

// ok: an unknown call might release it; an Unlock the analysis cannot match silences the function.
func (c *Cache) viaLocker(l sync.Locker, key string) error {
	c.mu.Lock()
	if c.entries[key] == nil {
		l.Unlock()
		return errNotFound // ok: the state is lost after an Unlock of an unknown mutex
	}
	c.mu.Unlock()
	return nil
}

// Identity trap: a local type with unrelated Lock and Unlock methods.
type gate struct{ open bool }

func (g *gate) Lock()   { g.open = false }
func (g *gate) Unlock() { g.open = true }

func trap(g *gate, b bool) {
	g.Lock()
	if b {
		return // ok: not a sync mutex
	}
	g.Unlock()
}

// A suppressed finding.
func (c *Cache) suppressed(b bool) {
	c.mu.Lock()
	if b {
		return //conclint:ignore lostunlock fixture for the directive
	}
	c.mu.Unlock()
}

// ok: it releases its caller's lock and takes it again, as sync.Cond.Wait does.
func (c *Cache) waitLocked(ch chan struct{}) {
	c.mu.Unlock() // ok: the caller holds c.mu
	<-ch
	c.mu.Lock()
}

// ok: read locks are counted; two are held, two are released.
func (t *Table) twoReaders() {
	t.mu.RLock()
	t.mu.RLock()
	t.mu.RUnlock()
	t.mu.RUnlock() // ok: the second of two read locks
}

type node struct {
	mu     sync.Mutex
	parent *node
	done   bool
}

// ok: a different mutex each iteration, each held until return on purpose.
func (n *node) firstRunning() *node {
	for p := n.parent; p != nil; p = p.parent {
		p.mu.Lock()
		defer p.mu.Unlock() // ok: p changes every iteration
		if !p.done {
			return p
		}
	}
	return nil
}

// ok: TryLock's result assigned to a named result in the if's init, then tested (AdGuard Home's
// tryRefreshFilters): the deferred unlock runs only after TryLock succeeded.
func (c *Cache) tryRefresh() (n int, ok bool) {
	if ok = c.mu.TryLock(); !ok {
		return 0, false
	}
	defer c.mu.Unlock()
	c.entries = nil
	return len(c.entries), ok
}

// reported: the same with the test the wrong way round: held at the first return, not at the second.
func (c *Cache) tryRefreshInverted() (n int, ok bool) {
	if ok = c.mu.TryLock(); ok {
		return 0, false // want `c.mu is still locked at this return, while other paths of tryRefreshInverted unlock it`
	}
	defer c.mu.Unlock()
	c.entries = nil
	return len(c.entries), ok // want `the deferred c.mu.Unlock \(line \d+\) runs at this return while c.mu is not locked on any path reaching it`
}
