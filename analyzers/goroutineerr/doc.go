// Package goroutineerr defines an Analyzer that reports errors lost in goroutines.
//
// # Analyzer goroutineerr
//
// goroutineerr: report errors lost in goroutines
//
// A goroutine has no caller to return an error to: an error produced inside one is lost unless it is sent
// on a channel, stored under a lock, or returned through errgroup, and a failure (a port already in use, a
// failed write) turns into silence. The analyzer reports a go statement whose function returns an error; a
// goroutine body (a go statement's function literal, an errgroup.Group.Go or sync.WaitGroup.Go callback)
// that exists to run one call and drops its error, or that assigns a call's error to a variable never read
// afterwards; an errgroup callback that checks an error and returns nil; an errgroup.Group.Wait whose
// result is dropped; a buffered channel of errors that goroutines send on and nothing can receive from;
// and goroutines, started in a loop or side by side, that assign the same error variable of the function
// that starts them.
//
// WRONG:
//
//	go srv.ListenAndServe() // "address already in use" is never seen
//
//	for _, u := range urls {
//		g.Go(func() error { return fetch(ctx, u) })
//	}
//	g.Wait()
//
// RIGHT:
//
//	errc := make(chan error, 1)
//	go func() { errc <- srv.ListenAndServe() }()
//
//	for _, u := range urls {
//		g.Go(func() error { return fetch(ctx, u) })
//	}
//	if err := g.Wait(); err != nil {
//		return err
//	}
//
// To avoid false positives, the analyzer is silent when the error is read in any way (logged, passed to a
// function, sent, stored, returned, wrapped into a panic); for deferred calls and calls in function
// literals nested in the goroutine; for calls whose error is documented never to be non-nil, that
// errcheck ignores by default (fmt.Print*, writes to a bytes.Buffer, a strings.Builder or a hash.Hash), or
// that are conventionally dropped (Close, SetDeadline, io.Copy to io.Discard); for a function of the
// package that hands its named error result on in a deferred function; for errgroup callbacks that return
// nil after ctx.Err() and for groups whose callbacks all return nil; for error channels that are
// unbuffered (chanleak reports those), received from, passed on, or whose len is checked; and for error
// variables assigned under a mutex, by one goroutine at a time, or declared per loop iteration. A call
// dropped beside other work in the goroutine is reported only with -goroutineerr.calls, an error assigned
// to _ only with -goroutineerr.blank, and tests and test helpers (files that import testing) only with
// -goroutineerr.tests. Suppress a justified finding with //conclint:ignore goroutineerr <reason>.
package goroutineerr
