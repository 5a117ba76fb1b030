// Package orphangoroutine defines an Analyzer that reports goroutines nobody waits for and nobody can stop.
//
// # Analyzer orphangoroutine
//
// orphangoroutine: report goroutines nobody waits for or can stop
//
// A goroutine whose lifetime is tied to nothing can outlive the code that started it. The analyzer
// reports a goroutine whose body, directly or through the function it runs, loops forever with no
// return, break or cancellation, waiting on nothing but timers, when its start runs again and again, so
// that such goroutines pile up: in a loop, or on each request to an HTTP handler. Through a fact, the
// report lands at the call in another package that repeats the start. With -orphangoroutine.callers it
// also takes as evidence a function called from more than one place (a constructor whose values are made
// more than once: calls from test code count only for a function of test code; two calls on the two
// sides of an if/else, in two cases of a switch, or after a return of the first, are one; a call that is
// the whole body of a function, as in func Init() { initInternal(true) }, counts as that function, whose
// own calls are the evidence). That evidence is off by default: two calls that each run once make two
// goroutines, not a pile-up, and of the six findings it gave on applications outside the corpus,
// independent reviewers judged one real (a library's exported constructor), four harmless (a TCP and a
// UDP port manager made once per server, an SFTP client started by Open or Create of a command-line
// tool) and one wrong. The analyzer
// also reports a go statement in main.main (and, with -orphangoroutine.tests, in a test or a function it
// runs with t.Run) after which the function can return without waiting for the goroutine, since the
// program or test may end before the goroutine finishes; a goroutine that only relays on channels
// (<-sigs; done <- true) has no work to cut off and is not reported.
//
// On bench/'s corpus (27 modules, 14 of them applications) the default flags report nothing; the three
// findings they gave before these rules were judged 0 real (2 wrong, 1 harmless) by independent
// reviewers. With -orphangoroutine.tests the corpus gives 122 findings in tests;
// of a sample of 10, reviewers judged 1 real (the test races on a variable the goroutine writes), 5
// harmless and 4 wrong (the join was a receive in the function under test, or a deferred wait).
//
// WRONG:
//
//	func (c *Cache) StartRefresh() {
//		go func() {
//			for {
//				c.refresh()
//				time.Sleep(time.Minute)
//			}
//		}()
//	}
//
//	for _, c := range shards {
//		c.StartRefresh() // each call adds a loop that nothing stops
//	}
//
// RIGHT:
//
//	func (c *Cache) StartRefresh(ctx context.Context) {
//		go func() {
//			ticker := time.NewTicker(time.Minute)
//			defer ticker.Stop()
//			for {
//				select {
//				case <-ticker.C:
//					c.refresh()
//				case <-ctx.Done():
//					return
//				}
//			}
//		}()
//	}
//
// To avoid false positives, the analyzer is silent about a goroutine that loops forever when it is
// started once for the process: in main or init (except in a loop that runs once per event, such as an
// accept loop), in a package-level variable's initialization, in sync.Once.Do or sync.OnceFunc and the
// like, or in functions called only from those; when its start depends on state that outlives the call
// (if s.started { return }); when no loop or handler repeats its start: the function that starts it is
// called once, from a fixed number of places (unless -orphangoroutine.callers), or only where it cannot
// tell how often (a function literal stored for later, a function used as a value, an interface call);
// and when the loop receives from a channel other than a timer's, or calls ctx.Err or ctx.Done. It is
// silent about main when main waits on every path to its return (any channel receive or select, a
// WaitGroup or errgroup Wait, a call that may wait, such as a server's ListenAndServe, or a call that
// does not return, such as os.Exit or log.Fatal), when it never returns (it ends in select {} or waits
// for a signal), when a possible wait is in a loop (how many goroutines it waits for is not tracked),
// when the goroutine has no end to wait for (it loops forever, or serves HTTP until it fails), and when
// it is a watchdog, with no work to cut off: directly or through at most two static calls, it only
// waits (a receive, a select with no send, a Wait, a sleep, an io.Reader's Read), computes nothing but
// what it waits on (os.NewFile(fd), time.After(d), signal.Notify), and ends the process (os.Exit,
// log.Fatal, zerolog's log.Fatal().Msg(s)) on every path; one that writes, sends, logs or returns on some
// path is reported. Nor is a
// signal handler that ends by telling the program to stop reported: it first waits for an os.Signal, and
// the last call of each of its paths cancels a context or closes a channel, so that main returns before
// it has done anything or after it has done everything (one that ends in srv.Shutdown is reported: main's
// return can cut the shutdown short).
// It is silent for the runtime's own goroutines, and in test code (test files, test-support
// packages and files, testfiles directories) unless -orphangoroutine.tests is set. Goroutines started
// through errgroup.Group.Go and sync.WaitGroup.Go are joined by their group and never reported. A
// goroutine started by a function that takes a context.Context but neither passes it to the goroutine
// nor waits for it is reported only with -orphangoroutine.ctx. Suppress a justified finding with
// //conclint:ignore orphangoroutine <reason>.
package orphangoroutine
