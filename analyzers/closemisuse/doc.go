// Package closemisuse defines an Analyzer that reports channels closed twice, sends on a closed
// channel, and sends and receives on a channel that is nil on every path.
//
// # Analyzer closemisuse
//
// closemisuse: report double closes, sends after close, and nil channel ops
//
// Closing a closed channel panics, and so does a send on a closed channel. The analyzer reports a local
// channel closed a second time on a path that already closed it (two close calls, or a close and a
// deferred close that runs again at return), and a send on a local channel that every path after a
// close(ch) reaches in the same function, or a close by the function that starts the one goroutine that
// sends on the channel, on a path that neither receives the goroutine's value nor waits for it (a
// timeout); and a close that every goroutine started in a loop runs, of a
// channel made before the loop, or that one goroutine closes on every path through its body while the
// function that starts it closes it too. For a struct field, it reports two closes of one field of one
// value on one path (close(s.done), or calls of a method that closes s.done on every path, such as
// s.Stop()), and a method that closes its receiver's field on every path with no guard when two functions
// of the package call it on their receiver, each on every path through it: when both run, the second
// call panics. And it reports a close by the function that receives from a channel, from inside its
// receiving loop (or a deferred close run by a return from that loop), while goroutines started in a loop
// may still send on it: their sends panic. The select { case <-ch: default: close(ch) } idiom is
// reported when goroutines started in a loop run it at once on one channel (in their body, or through a
// method called on one value), with no lock, sync.Once or atomic to serialize them: two can both find ch
// open. For a struct field, it also reports a method that closes its receiver's field on every path
// while a goroutine started by go x.m() (or by a function literal started in a method) may still send on
// that field, and nothing orders the two: the closer does not wait for the sender or signal it first, so
// the sender's next send panics. It also reports a send, a receive or a range (outside a select) on a channel that is nil on
// every path to it, which blocks forever: a local variable never assigned a channel on any path, or an
// unexported struct field or package variable that the package never assigns.
//
// WRONG:
//
//	done := make(chan struct{})
//	defer close(done)
//	if err := run(); err != nil {
//		close(done) // the deferred close panics at return
//		return err
//	}
//
// RIGHT:
//
//	done := make(chan struct{})
//	defer close(done)
//	if err := run(); err != nil {
//		return err
//	}
//
// WRONG (no constructor makes s.events, so Next blocks forever):
//
//	type Stream struct{ events chan Event }
//	func (s *Stream) Next() Event { return <-s.events }
//
// RIGHT:
//
//	func NewStream() *Stream { return &Stream{events: make(chan Event)} }
//
// WRONG (loop may still be sending when Close runs):
//
//	func (p *Pump) Start() { go p.loop() }
//	func (p *Pump) loop()  { for { p.out <- work() } }
//	func (p *Pump) Close() { close(p.out) }
//
// RIGHT:
//
//	func (p *Pump) loop() {
//		defer p.wg.Done()
//		for {
//			select {
//			case p.out <- work():
//			case <-p.done:
//				return
//			}
//		}
//	}
//	func (p *Pump) Close() { close(p.done); p.wg.Wait(); close(p.out) }
//
// To avoid false positives, the analyzer is silent when the channel escapes to code it cannot follow
// (passed to a function, stored in a structure, returned, captured by a closure other than a goroutine
// body), when the second close or the send is not reached by every path after the first close (a flag, a
// correlated condition, a return or a loop in between may keep it from running), when a select with a
// default case receives from the channel (the select { case <-ch: default: close(ch) } idiom, which is
// racy between two goroutines but not on one path; only goroutines started in a loop are seen to run it
// at once), when a method's close is conditional (sync.Once, a
// flag checked under a lock, a select, an early return) or a method assigns the field (a restart makes a
// new channel), when a goroutine's close is conditional (the last one out closes), when the calls of such
// a method are conditional or on values other than the callers' receivers, and in test code unless
// -closemisuse.tests is set. A close under a goroutine's send is not reported when the goroutine may
// signal its starter in another way (another channel, a close, package sync, a function value). A
// receiver's close is not reported when a WaitGroup or errgroup Wait can run before it, when the loop that
// receives also starts one sender per iteration, or when a sender locks a mutex. With -closemisuse.stop it
// also reports a Stop or Close method of an exported type that closes a field with no guard, which a user
// may call twice. A nil channel is not reported in a select case (a nil channel disables the case),
// for a local whose address is taken, that a closure assigns, that is compared with nil, or whose only uses
// are receive statements (var forever chan struct{}; <-forever blocks on purpose), nor for a field that is
// exported, assigned anywhere in the package (tests included), set by a composite literal, whose address is
// taken, that is compared with nil, or whose type has methods, nor for a package variable in the same
// cases or with an initializer, nor in a package that imports unsafe. A close of a field under a sender
// is reported only for an unexported field that the package uses only to send, receive, range, close,
// len or cap, and assigns only in a constructor (a function returning the struct); and it is not reported
// when the closing method, or a function of the package that calls it, receives, selects, sends, waits,
// closes another channel, calls a function value (a cancel func) or an interface method, or uses package
// sync (other than a mutex) or sync/atomic; when the sender's send is in a select that also receives (a
// done channel or ctx.Done()); when the sender locks a mutex, closes the field itself or calls the
// closing method; or when the closing method is unexported and nothing calls it.
// Suppress a justified finding with //conclint:ignore closemisuse <reason>.
package closemisuse
