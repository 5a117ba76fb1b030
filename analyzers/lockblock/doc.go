// Package lockblock defines an Analyzer that reports blocking operations performed while a mutex is held.
//
// # Analyzer lockblock
//
// lockblock: report blocking operations while a mutex is held
//
// A goroutine that sleeps, waits on a channel, a WaitGroup or an errgroup, or does network, HTTP, database
// or process I/O while it holds a sync.Mutex or sync.RWMutex stalls every other goroutine that needs the
// lock; when what it waits for itself needs the lock, the program deadlocks. The analyzer follows each
// function's lock state on every path (Lock, RLock, TryLock, Unlock, defer Unlock) and collects every
// critical section of each lock (a field such as c.mu, whatever the instance, or a variable). A lock with
// a critical section that cannot block (a getter, a counter update, a map access) is a state lock: a
// blocking operation under it is reported, naming that fast path, which waits until the operation
// returns. A lock whose every critical section may block serializes that work on purpose and is reported
// only with -lockblock.serializing. A wait under a lock for a goroutine that takes the same lock (a
// WaitGroup or errgroup Wait, a receive from a channel the goroutine closes or sends on) may deadlock and
// is reported whatever the lock's role, unless the wait runs only when a flag the goroutine sets says it
// got there (if responded { <-ch }). A lock taken on a value that the function then publishes (sends,
// stores) and never unlocks is handed off with the value, not held. A read or write that follows a
// SetDeadline (SetReadDeadline, SetWriteDeadline) on the same connection in the function is bounded and
// not reported. By default the operation reported under a state lock is a sleep: a wait (-lockblock.wait)
// and network, HTTP, database or process I/O (-lockblock.io) are off, since reviewers judged none of
// those findings on the corpus's applications real (the lock serialized the I/O on purpose, or the wait
// was bounded); a deadlock is reported whatever the flags. With -lockblock.channel the analyzer also
// reports channel operations, and with -lockblock.calls a call to a function, in this package or
// another, that may block, with the chain of calls that leads to the blocking operation.
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
// To avoid false positives, the analyzer is silent when no critical section of the lock is a fast path
// (every section of it may block, or, under RLock, every other section is a reader too), when the call goes
// through an interface or a function value (what it calls is unknown), when the channel operation is a case
// of a select with a default, when a select has a timer or ctx.Done() case (it is bounded), when the send
// is on a channel made in the same function with a buffer large enough for every send on it (or for the
// most sends any path makes: a send followed by a return, one send per element of xs into a buffer made
// with len(xs)) and not passed on, when the send is on a channel the function just made, with no other use
// of it since the make and no more sends before it than its capacity, when the send fills a token channel
// within its capacity or gives back a token the same goroutine took from it, when the range or the receive follows a close of the same channel
// earlier in the same block (a range drains the buffer and ends), when the receive takes a token of a
// counting semaphore filled at creation whose every taker gives it back, when the receive drains an armed
// timer that fired (if d.armed { d.armed = false; if !d.timer.Stop() { <-d.cancel } }, the timer's function
// only closing d.cancel), when the receive runs only under a flag that the sender sets, under the same
// lock, just after its send, on a channel nobody else receives from (if responded { <-ch }), when the Wait
// is on a local
// WaitGroup whose goroutines cannot block, when cmd.Wait follows a failed cmd.Start, when a helper called
// under the lock unlocks it before it blocks, when the call passes the constant false for a bool parameter
// that every blocking operation of the callee needs true (if doFlush { c.flush() }), the constant true for
// one they need false (if !buffered { c.flush() }), or a value that is
// not nil nor a variable for a parameter that they need nil (if opts == nil { opts = c.load() }), when sync.Cond.Wait
// releases the held lock, when the mutex is reached through a slice or map element, and when an Unlock
// cannot be matched to a lock (the lock is then taken as released), and on a pause: a sleep of at most
// 100ms (a constant, or an unexported variable or field that the package only ever assigns such
// constants and whose address it never takes) that is not in a loop inside the critical section, so that
// it stalls a fast path once, by at most that much (tailscale's systray). With -lockblock.serializing it
// stays silent on a lock whose every critical section calls Add or Wait of the WaitGroup waited for (it
// keeps them apart). It is silent on a wait for goroutines that
// were told to stop (a cancel or a close) earlier in the same critical section and that do not take the
// lock, and in test code (_test.go files, test-support packages and files such as fake_fs.go, testdata)
// unless -lockblock.tests is set. Suppress a justified finding with //conclint:ignore lockblock <reason>.
package lockblock
