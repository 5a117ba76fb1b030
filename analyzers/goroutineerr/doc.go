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
// package that hands its named error result on in a deferred function; when the callee, by what its
// returns show (a fact computed across packages), can only return nil, or only its context's error while
// that context is the caller's own parameter or one the caller cancels, or only a value documented as a
// normal end (http.ErrServerClosed, io.EOF, net.ErrClosed, context.Canceled), or logs or hands on every
// error before returning it (passes it to a call, sends it, stores it in a field); for a go statement
// or a goroutine body that exists to run a cleanup (Close, Shutdown…, Delete…, Remove…, Unsubscribe…,
// Release…): its error is dropped on purpose; for a goroutine that only waits for a process to exit (os.Process.Wait, exec.Cmd.Wait) and
// closes or sends on a channel to say so; for one direction of a relay (io.Copy(a, b) while the same
// function also copies io.Copy(b, a), in a goroutine or itself: the end of either copy is the relay's only
// outcome); for a Serve-style call (its callee takes a net.Listener) on a listener whose creating call's
// error was checked before the goroutine started (or on a field the function set to such a listener:
// p.ln = ln, then go func() { p.srv.Serve(p.ln) }()); for errgroup callbacks that return nil after
// ctx.Err(), or after counting the failure (n++, an atomic Add, a send, a variable outside the callback),
// and for groups whose callbacks all return nil; for error channels that are unbuffered (chanleak reports
// those), received from, passed on, or whose len is checked; for error variables assigned under a mutex,
// by one goroutine at a time, or declared per loop iteration; and on a line with //nolint, //nolint:all
// or a //nolint: list naming errcheck or goroutineerr. A call dropped beside other work in the goroutine
// is reported only with -goroutineerr.calls, a go statement on a function other than a ListenAndServe
// (whose bind error nothing else reports) only with -goroutineerr.gostmt (reviewers judged none of those
// on the corpus real: the error was recorded elsewhere, or did not matter), an error assigned to _ only
// with -goroutineerr.blank, a callee that logs or hands on its error only with -goroutineerr.logged, a
// Serve on a checked listener only with -goroutineerr.serve, and test code (syntax.IsTestCode: _test.go
// files, test-support packages and files such as fake*, mock*, *test, and files that import testing) only
// with -goroutineerr.tests. Suppress a
// justified finding with //conclint:ignore goroutineerr <reason>.
package goroutineerr
