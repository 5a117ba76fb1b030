// Package chanleak defines an Analyzer that reports goroutines left blocked forever on a channel.
//
// # Analyzer chanleak
//
// chanleak: report goroutines left blocked forever on a channel
//
// A goroutine blocked on a channel operation that can never complete is leaked for the life of the
// process, with its stack and everything it references. For each channel made in a function and shared
// only with goroutines that function starts, the analyzer follows every send, receive, select and close,
// and reports: a goroutine that sends while the function can return without receiving (a select on a
// timeout, ctx.Done() or an early return); goroutines started in a loop that send while the receiving loop
// can return early; a goroutine that receives or ranges while the function can return without sending or
// closing; an operation that nothing can ever complete; and a goroutine whose only way out is <-ctx.Done()
// on a context nobody can cancel (context.Background() or TODO(), perhaps with values). For the channels
// in unexported struct fields, followed by field across the package, it reports a plain send that can run
// once the type's receiving loop has returned on its stop signal (a field closed on the component's own
// events: a peer gone away, a failed dial, an idle timeout), and a receive from a field that nothing in
// the package sends on or closes.
//
// WRONG:
//
//	ch := make(chan result)
//	go func() { ch <- fetch(url) }()
//	select {
//	case r := <-ch:
//		return r, nil
//	case <-time.After(time.Second):
//		return result{}, errTimeout // the goroutine blocks on its send forever
//	}
//
// RIGHT:
//
//	ch := make(chan result, 1) // the send always succeeds, received or not
//
// By default a goroutine's send is reported only on an unbuffered channel; a buffered channel that the
// receiver can leave full is reported with -chanleak.buffered (reviewers judged none of those on the
// corpus real: filling the buffer took an unlikely sequence of events). To avoid false positives, the
// analyzer is also silent when the channel is made in a command's main (its return ends the process),
// when a goroutine left sending or receiving is abandoned by a function that runs at most once per
// process, so that it is left behind once at most (main or init; in package main, a plain function
// called from one place, outside loops, in such a function, up to three callers up; a function literal
// made and called outside the loops of such a function, or handed there to code that runs it once
// (errgroup's or WaitGroup's Go, sync.Once's Do, an AfterFunc; a literal handed to anything else, such
// as http.HandleFunc, may run per request and is not counted, nor is a named function used as a value,
// or a method; calls from test code count only with -chanleak.tests),
// on <-make(chan struct{}) (blocking forever on purpose, on a channel no other code can name),
// when the channel escapes (returned, stored in a field or a global, passed to a function other than a
// goroutine body started here, captured by a closure that is not such a body), when its capacity is not a constant, when on every path out its buffer holds the sends
// still pending after the function's last receive (sends counted per path, a send in a loop as unbounded,
// and a worker's one reply per request received from the function as one per request sent), when the
// function returns only after receiving, on a second channel, a message the goroutine sends (or a close)
// after its last send, when the goroutine's operation is a select case beside others or a default, when
// another goroutine started here may do the other side, when a WaitGroup or errgroup Wait precedes the
// return, when the path out fails the test or exits (t.Fatal, log.Fatal, os.Exit), and when the function
// gives up on a context's Done while the goroutine sends only inside if ctx.Err() == nil, or the function is
// a shutdown (Stop…, Shutdown…, Close…, or a helper only they call) giving up on its deadline: the
// goroutine is then left behind once, as the component goes away. It is silent too when the goroutine sends an
// error only if it is not http.ErrServerClosed (err != http.ErrServerClosed or !errors.Is(err,
// http.ErrServerClosed), in the condition or as an early return) and every path out of the function
// that receives nothing calls Shutdown or Close of a net/http.Server (any server: the instance is not
// matched with the one the goroutine serves), since Serve then returns http.ErrServerClosed and the
// goroutine ends without sending. For a context, it is
// silent when a cancelable context is derived from it anywhere, when it comes from a parameter or a field,
// when the variable that holds it is assigned twice or has its address taken, and when the goroutine is
// started from a function that runs at most once per process, as above (once for the life of the process). For a struct field, it is silent when the
// field is exported, when its channel is made elsewhere or passed out (returned, passed to a function,
// stored elsewhere), when it is buffered or closed, when another function receives from it too, when the
// send is in a select (with the stop signal or a default), when the stop signal is sent rather than
// closed, when only the owner's stop method closes the stop signal (an exported Close…, Stop… or
// Shutdown… method, any exported method when the field is assigned once, since closing it again would
// panic and the method ends the value, as a Leave does, or a helper only such methods call: a send after
// the caller stopped the component is a use after Close, which the API's contract forbids), and when every function that closes the stop
// signal also sets a state field that the sender
// checks first (w.state = closed; close(w.done) where it stops, and if w.state != open { return } or an
// assertOpen helper before the send, or in every caller of an unexported sender), and when the sending
// function is the only one that closes the stop signal and never sends after a close (it leaves its loop
// once it has stopped the receivers), and when every close comes after every send of the threads that can
// reach the sending function (through static calls only) in the same run of the loop (when every function
// that starts the loop makes it a new stop channel, runs started by different ones are taken not to
// overlap): a close after W.Wait() of a WaitGroup field counted one Add(1) per go statement of a worker
// that calls Done last, or a close in the thread's own function after its last call of the sender (btcd's
// CPU miner). Channels and goroutines in _test.go files are checked only with -chanleak.tests, since most
// test leaks are on paths that fail the test anyway.
// Suppress a justified finding with //conclint:ignore chanleak <reason>.
package chanleak
