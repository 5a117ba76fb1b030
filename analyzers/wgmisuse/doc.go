// Package wgmisuse defines an Analyzer that reports sync.WaitGroup counts that never reach zero and Waits
// that wait for themselves.
//
// # Analyzer wgmisuse
//
// wgmisuse: report WaitGroup counts that never reach zero
//
// A sync.WaitGroup's Wait returns only when every Add is matched by a Done. The analyzer reports a
// goroutine counted by wg.Add that can return without calling wg.Done (an early return, or the end of a
// body whose only Done is on another path); a wg.Add(n) whose constant n differs from the number of
// goroutines started before wg.Wait; a continue or break that skips the goroutine an Add already
// counted for this item; a goroutine counted by wg that calls wg.Wait before its own Done, so it waits
// for itself; and wg.Wait inside the loop that starts the goroutine it waits for, which runs the
// goroutines one at a time; and a wg.Add in a goroutine that wg does not count, started by the function
// that then waits on wg with nothing in between that waits for it: Wait can see a zero count and return
// before the work is added. In each case Wait blocks forever, returns too early, or the work is not
// concurrent at all.
//
// WRONG:
//
//	wg.Add(1)
//	go func() {
//		if err := fetch(u); err != nil {
//			return // wg.Wait blocks forever
//		}
//		save(u)
//		wg.Done()
//	}()
//	wg.Wait()
//
// RIGHT:
//
//	wg.Add(1)
//	go func() {
//		defer wg.Done()
//		if err := fetch(u); err != nil {
//			return
//		}
//		save(u)
//	}()
//	wg.Wait()
//
// A goroutine literal that can end without its Done carries a suggested fix: defer wg.Done() as its
// first statement, its Done statements deleted, when each of them ends the goroutine (followed by a bare
// return, or last on the way to the end of the body), no other call is deferred in the body, and each
// Done statement has its lines to itself. The other findings name the fix in the message.
//
// To avoid false positives, the analyzer is silent when the goroutine defers wg.Done, when the group
// reaches code it cannot see (the group, or the value that holds it, is passed to another function or to
// a nested function literal), when the count is not a constant or the goroutines are started in branches
// or loops it cannot count, when a path ends in a call that does not return (panic, os.Exit, log.Fatal),
// when a goroutine calls Done before Wait (a barrier), when the group counts jobs rather than goroutines
// (a goroutine calls Done once per element of a range loop, for the jobs it discards or drains; or the
// count is followed by a send on a channel that running goroutines take jobs from), when the only way out
// of a for-select loop calls Done (past its last case the select waits, it does not end the goroutine),
// when a goroutine runs a function value it cannot see (a variable assigned one function literal is seen:
// publish := func(...) { defer wg.Done() }; go publish(a)), when an iteration that waits for its own
// goroutine does work of its own in between (a call or a channel operation: the goroutine runs alongside
// it), and in test code unless -wgmisuse.tests is set.
// It does not report an Add inside a goroutine that the group counts (go vet's waitgroup and
// staticcheck's SA2000 do), nor a late Add that is the goroutine's first statement (they report it
// too), nor a WaitGroup passed by value (go vet's copylocks does).
// Suppress a justified finding with //conclint:ignore wgmisuse <reason>.
package wgmisuse
