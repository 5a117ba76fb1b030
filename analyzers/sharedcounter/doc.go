// Package sharedcounter defines an Analyzer that reports variables written by goroutines without
// synchronization.
//
// # Analyzer sharedcounter
//
// sharedcounter: report shared variables written by goroutines unsynchronized
//
// A variable that several goroutines write without a lock loses updates: count++ from many goroutines
// counts less than it should, results = append(results, r) loses elements, and concurrent writes to a map
// crash the program with "fatal error: concurrent map writes". The analyzer reports a write, inside a
// goroutine body (a go statement's function literal, an errgroup.Group.Go or sync.WaitGroup.Go
// callback), to a variable of the enclosing function or of the package, with no mutex held, when the body
// runs in several goroutines at once (it is started in a loop) or when the enclosing function reads or
// writes the variable after starting the goroutine and before waiting for it. It also reports a variable
// updated with sync/atomic functions in one place and accessed plainly in another.
//
// WRONG:
//
//	var count int
//	for _, u := range urls {
//		wg.Go(func() {
//			if fetch(u) == nil {
//				count++
//			}
//		})
//	}
//
// RIGHT:
//
//	var count atomic.Int64
//	for _, u := range urls {
//		wg.Go(func() {
//			if fetch(u) == nil {
//				count.Add(1)
//			}
//		})
//	}
//
// To avoid false positives, the analyzer is silent when any mutex is held at the write, for per-goroutine
// copies (loop variables since Go 1.22, parameters of the goroutine, variables declared inside it), for
// slice elements (each goroutine usually writes its own index), for accesses by the enclosing function
// after it waits (WaitGroup or errgroup Wait, any channel receive, or a call handed a channel it can
// receive from, such as a helper that selects on a done channel and a context, or the read end of an
// io.Pipe the goroutine writes to and closes), for writes inside
// function literals nested in the goroutine, for plain accesses to an atomically updated variable in
// init functions, and in _test.go files unless -sharedcounter.tests is set.
//
// With -sharedcounter.guarded, it also infers which lock guards each struct field, without annotations:
// a lock held (on every path, by the function or by every caller in the package) on the same value at
// three or more of the field's accesses and at 75% or more of them. It reports an access without that
// lock, and a write under its read lock (RLock), in a function that runs in a goroutine the package
// starts (or is called from one), or in an exported method of a type one of whose methods does. The kind
// is off by default: reviewers judged 4 of 15 of its findings on the corpus real (the field was written
// only by the reading goroutine, its lock was held by every caller, or the inferred lock was not its
// guard).
//
// WRONG:
//
//	func (s *Status) Rate(k string) float64 {
//		s.mu.Lock()
//		defer s.mu.Unlock()
//		return s.rates[k]
//	}
//
//	func (s *Status) update() { // go s.update()
//		s.rates = compute()
//	}
//
// RIGHT:
//
//	func (s *Status) update() {
//		rates := compute()
//		s.mu.Lock()
//		s.rates = rates
//		s.mu.Unlock()
//	}
//
// That kind is silent for a value created in the function (or by every caller) and a local copy, for
// fields accessed with sync/atomic, for a field that is only read once the value is shared, for an access
// after a WaitGroup or errgroup Wait in its function (or in a function called after one), in init
// functions, in test code unless -sharedcounter.tests is set, and in a function whose callers it cannot
// all see (a function value, a defer, a literal passed to another function) or that loses track of its
// locks (lock and unlock helpers).
// Suppress a justified finding with //conclint:ignore sharedcounter <reason>.
package sharedcounter
