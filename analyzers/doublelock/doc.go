// Package doublelock defines an Analyzer that reports a goroutine locking a mutex it already holds.
//
// # Analyzer doublelock
//
// doublelock: report a mutex locked again by the goroutine that holds it
//
// Go's mutexes are not reentrant: a goroutine that calls Lock on a sync.Mutex it holds, or Lock on a
// sync.RWMutex it holds for reading (an upgrade), blocks forever. The analyzer reports a Lock or RLock of a
// lock held on every path that reaches it in the same function, directly or through a chain of calls, in
// this package or another, that locks it (s.mu.Lock(); s.flush() where flush locks s.mu). A recursive
// RLock also deadlocks, as soon as a writer queues between the two read locks (Go's RWMutex blocks new
// readers behind a waiting writer), so it is reported when the package also locks that mutex for writing,
// and the message names that writer (the related positions list every writer, up to five, since which
// one can run between the two read locks depends on callers outside the package).
//
// WRONG:
//
//	func (s *Server) Save() {
//		s.mu.Lock()
//		defer s.mu.Unlock()
//		s.flush() // flush locks s.mu: this goroutine deadlocks
//	}
//
// RIGHT:
//
//	func (s *Server) Save() {
//		s.mu.Lock()
//		defer s.mu.Unlock()
//		s.flushLocked() // expects s.mu held, does not lock it
//	}
//
// To avoid false positives, the analyzer is silent when the lock is held on some paths only, when the two
// locks are provably different instances (a.mu and b.mu of two values of one type), when a call that might
// lock goes through an interface or a function value (unknown), when the lock is released in between on
// every path (by Unlock, by a release helper, or because a TryLock failed; a deferred Unlock runs only at
// return), when the function has an Unlock that the analysis cannot match to a lock, when the lock's owner
// (s for s.mu) is captured by a function literal, such as a goroutine that may unlock it in between, when
// the call passes the constant false for a bool parameter without which the callee does not lock
// (f.update(false) with func (f *Fs) update(lock bool) { if lock { f.mu.Lock() } }, or an early
// if !create { return } before the locking call), or the constant true for one that must be false
// (r.readErr(true) with if !locked { r.mu.Lock() }), when the callee locks only when a parameter is nil (a
// default it fills in: if key == nil { key = c.Key; c.lookup() }) and the call passes a value that is not
// nil nor a variable (a field, an address, a call's result: taken to be set), for a
// recursive RLock of a mutex that the package never locks for writing outside test code (a writer that
// only tests and test support take cannot block the program), and in _test.go files
// unless -doublelock.tests is set.
// Suppress a justified finding with //conclint:ignore doublelock <reason>.
package doublelock
