// Package orphangoroutine defines an Analyzer that reports goroutines nobody waits for and nobody can stop.
//
// # Analyzer orphangoroutine
//
// orphangoroutine: report goroutines nobody waits for or can stop
//
// A goroutine whose lifetime is tied to nothing can outlive the code that started it: its work is cut
// off when the program exits, and it can never be shut down cleanly. The analyzer reports a go statement
// in main.main (and, with -orphangoroutine.tests, in a test or a function it runs with t.Run) after
// which the function can return without waiting for the goroutine, since the program or test may end
// before the goroutine finishes; and a goroutine whose body, directly or through the function it runs, loops forever with no
// return, break or cancellation, waiting on nothing but timers.
//
// WRONG:
//
//	go func() {
//		for {
//			refresh()
//			time.Sleep(time.Minute)
//		}
//	}()
//
// RIGHT:
//
//	go func() {
//		ticker := time.NewTicker(time.Minute)
//		defer ticker.Stop()
//		for {
//			select {
//			case <-ticker.C:
//				refresh()
//			case <-ctx.Done():
//				return
//			}
//		}
//	}()
//
// To avoid false positives, the analyzer is silent when the function waits on every path to its return
// (any channel receive or select, a WaitGroup or errgroup Wait, a call that may wait, t.Cleanup, or a call
// that does not return, such as os.Exit or t.Fatal), when main never returns (it ends in select {} or
// waits for a signal), when a possible wait is in a loop (how many goroutines it waits for is not
// tracked), for the runtime's own goroutines, for a loop started by main.main (it lives as long as the
// program by design), and when the goroutine's loop receives from a channel other than a timer's, or
// calls ctx.Err or ctx.Done. Goroutines started through errgroup.Group.Go and sync.WaitGroup.Go are
// joined by their group and never reported. A goroutine started by a function that takes a
// context.Context but neither passes it to the goroutine nor waits for it is reported only with
// -orphangoroutine.ctx. Suppress a justified finding with //conclint:ignore orphangoroutine <reason>.
package orphangoroutine
