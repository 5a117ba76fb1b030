// Package lockblock defines an Analyzer that reports blocking operations performed while a mutex is held.
//
// # Analyzer lockblock
//
// lockblock: report blocking operations while a mutex is held
//
// A goroutine that sleeps, waits on a channel, a WaitGroup or an errgroup, or does network, HTTP, database
// or process I/O while it holds a sync.Mutex or sync.RWMutex stalls every other goroutine that needs the
// lock; when what it waits for itself needs the lock, the program deadlocks. The analyzer follows each
// function's lock state on every path (Lock, RLock, TryLock, Unlock, defer Unlock) and reports each blocking
// operation reached while a lock may be held, naming the lock and where it was taken: a sleep, a wait,
// or network, HTTP, database or process I/O. With -lockblock.channel it also reports channel operations,
// and with -lockblock.calls a call to a function, in this package or another, that may block, with the
// chain of calls that leads to the blocking operation. Both are off by default because on real code the
// lock usually serializes the hand-off or the I/O on purpose.
//
// WRONG:
//
//	c.mu.Lock()
//	defer c.mu.Unlock()
//	resp, err := http.Get(url) // every reader of c waits for the network
//
// RIGHT:
//
//	resp, err := http.Get(url)
//	...
//	c.mu.Lock()
//	c.entries[url] = body
//	c.mu.Unlock()
//
// To avoid false positives, the analyzer is silent when the call goes through an interface or a function
// value (what it calls is unknown), when the channel operation is a case of a select with a default, when
// the send is on a channel made in the same function with a buffer large enough for every send on it, when
// sync.Cond.Wait releases the held lock, when the mutex is reached through a slice or map element, and when
// an Unlock cannot be matched to a lock (the lock is then taken as released), and in _test.go files
// unless -lockblock.tests is set. Suppress a justified finding
// with //conclint:ignore lockblock <reason>.
package lockblock
