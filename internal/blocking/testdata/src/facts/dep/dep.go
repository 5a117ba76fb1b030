package dep

import (
	"context"
	"net"
	"sync"
	"time"
)

type Client struct{ conn net.Conn }

func (c *Client) Flush(b []byte) error { // want Flush:`mayBlock\(net.Conn.Write\)`
	_, err := c.conn.Write(b)
	return err
}

func (c *Client) Send(b []byte) error { // want Send:`mayBlock\(net.Conn.Write\)`
	return c.Flush(b)
}

func Backoff() { time.Sleep(time.Millisecond) } // want Backoff:`mayBlock\(time.Sleep\)`

func Wait(wg *sync.WaitGroup) { wg.Wait() } // want Wait:`mayBlock\(sync.WaitGroup.Wait\)`

func Recv(ch chan int) int { return <-ch } // want Recv:`mayBlock\(receive from ch\)`

// No fact: nothing blocks.
func Quick(b []byte) int { return len(b) }

// No fact: the send is a case of a select with a default.
func Notify(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// No fact: only the goroutine blocks.
func Spawn(ch chan int) { go func() { ch <- 1 }() }

// No fact: the literal is created, not called.
func Later(ch chan int) func() { return func() { <-ch } }

// A literal called at once runs here.
func Now(ch chan int) { func() { <-ch }() } // want Now:`mayBlock\(receive from ch\)`

// No fact: Cond.Wait blocks only relative to the caller's locks.
func CondWait(c *sync.Cond) { c.Wait() }

// Recursion ends: Ping blocks through Pong, whose own sleep is the first operation found.
func Ping(n int) { // want Ping:`mayBlock\(time.Sleep\)`
	if n > 0 {
		Pong(n - 1)
	}
}

func Pong(n int) { // want Pong:`mayBlock\(time.Sleep\)`
	Ping(n)
	time.Sleep(time.Millisecond)
}

type Box struct{ ch, sync chan int }

func NewBox() *Box { return &Box{ch: make(chan int, 1), sync: make(chan int)} }

// No fact: the field's channels are always made buffered.
func (b *Box) Put(v int) { b.ch <- v }

func (b *Box) Hand(v int) { b.sync <- v } // want Hand:`mayBlock\(send on b.sync\)`

// A Pipe's channel is made buffered by its constructor, but Reopen assigns it a channel from a call
// that returns two values, which may be unbuffered.
type Pipe struct{ ch chan int }

func NewPipe() *Pipe { return &Pipe{ch: make(chan int, 1)} }

func (p *Pipe) Reopen() (err error) {
	p.ch, err = open()
	return err
}

func open() (chan int, error) { return make(chan int), nil }

func (p *Pipe) Write(v int) { p.ch <- v } // want Write:`mayBlock\(send on p.ch\)`

// A Relay's channel is made buffered by name and unbuffered by position.
type Relay struct{ ch chan int }

func NewRelay() *Relay { return &Relay{ch: make(chan int, 1)} }

func NewSyncRelay() *Relay { return &Relay{make(chan int)} }

func (r *Relay) Forward(v int) { r.ch <- v } // want Forward:`mayBlock\(send on r.ch\)`

// No fact: the field's channels are always made buffered, whatever the type arguments (the constructor
// and the methods of a generic type name the field through different instances of it).
type Mailbox[T any] struct{ ch chan T }

func NewMailbox[T any]() *Mailbox[T] { return &Mailbox[T]{ch: make(chan T, 1)} }

func (m *Mailbox[T]) Post(v T) { m.ch <- v }

// No fact: a local channel whose buffer holds its one send.
func Local() chan int {
	ch := make(chan int, 1)
	ch <- 1
	return ch
}

type Counter struct {
	mu sync.Mutex
	n  int
}

// No fact: an …AndUnlock helper releases its caller's lock before it sleeps.
func (c *Counter) IncAndUnlock() {
	c.n++
	c.mu.Unlock()
	time.Sleep(time.Millisecond)
}

// It blocks before it releases its caller's lock.
func (c *Counter) SleepAndUnlock() { // want SleepAndUnlock:`mayBlock\(time.Sleep\)`
	time.Sleep(time.Millisecond)
	c.mu.Unlock()
}

// A Limiter is a counting semaphore filled at creation.
type Limiter struct{ sem chan struct{} }

func NewLimiter(n int) *Limiter {
	l := &Limiter{sem: make(chan struct{}, n)}
	for i := 0; i < n; i++ {
		l.sem <- struct{}{}
	}
	return l
}

// No fact: the token is given back by every taker.
func (l *Limiter) Do(f func()) {
	<-l.sem
	defer func() { l.sem <- struct{}{} }()
}

// No fact: a local group whose goroutines do nothing that blocks.
func Squares(n int) []int {
	out := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = Quick(make([]byte, i))
		}()
	}
	wg.Wait()
	return out
}

// The group's goroutine sleeps through Backoff.
func Slow() { // want Slow:`mayBlock\(sync.WaitGroup.Wait\)`
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		Backoff()
	}()
	wg.Wait()
}

// No fact: a select with a ctx.Done() case is bounded.
func Either(ctx context.Context, ch chan int) {
	select {
	case <-ch:
	case <-ctx.Done():
	}
}

// No fact: a select with a timer case is bounded.
func Timed(ch chan int, t *time.Timer) {
	select {
	case <-ch:
	case <-t.C:
	}
}

// A select without such a case may block.
func Both(a, b chan int) { // want Both:`mayBlock\(select\)`
	select {
	case <-a:
	case <-b:
	}
}

// No fact: a UDP dial to a resolved address does not wait for a peer.
func DialUDP(addr *net.UDPAddr) (*net.UDPConn, error) { return net.DialUDP("udp", nil, addr) }

// No fact: the range drains a channel closed before it.
func Drain(ch chan int) (n int) {
	close(ch)
	for v := range ch {
		n += v
	}
	return n
}

// The range waits for senders.
func DrainOpen(ch chan int) (n int) { // want DrainOpen:`mayBlock\(range over ch\)`
	for v := range ch {
		n += v
	}
	return n
}

// No fact: the take does not wait (a select with a default), and the deferred give-back has room: the
// channel holds at most the one token it was filled with.
func TryEach(jobs []func()) {
	sem := make(chan struct{}, 1)
	sem <- struct{}{}
	for _, j := range jobs {
		select {
		case <-sem:
			defer func() { sem <- struct{}{} }()
			j()
		default:
		}
	}
}

// Filled beyond its capacity: the give-back may wait for room.
func TryEachOverfilled(jobs []func()) { // want TryEachOverfilled:`mayBlock\(send on sem\)`
	sem := make(chan struct{}, 1)
	sem <- struct{}{}
	for _, j := range jobs {
		select {
		case <-sem:
			defer func() { sem <- struct{}{} }()
			j()
		default:
		}
	}
	sem <- struct{}{}
}

// Blocks only when its parameter doFlush is true.
func (c *Client) MaybeFlush(doFlush bool) { // want MaybeFlush:`mayBlock\(net.Conn.Write if p1\)`
	if doFlush {
		c.Flush(nil)
	}
}

// Blocks only when its parameter doFlush is true: the && form.
func (c *Client) FlushIf(n int, doFlush bool) bool { // want FlushIf:`mayBlock\(net.Conn.Write if p2\)`
	return n > 0 && doFlush && c.Flush(nil) == nil
}

// Blocks only when its parameter flush is true: the early return form.
func (c *Client) FlushOrReturn(flush bool) { // want FlushOrReturn:`mayBlock\(net.Conn.Write if p1\)`
	if !flush {
		return
	}
	c.Flush(nil)
}

// No fact: the calls pass false.
func (c *Client) NoFlush() {
	c.MaybeFlush(false)
	c.FlushIf(1, false)
	c.FlushOrReturn(false)
}

// The call passes true.
func (c *Client) YesFlush() { c.MaybeFlush(true) } // want YesFlush:`mayBlock\(net.Conn.Write\)`

// Guarded in turn: the call passes its own parameter.
func (c *Client) PassOn(f bool) { c.MaybeFlush(f) } // want PassOn:`mayBlock\(net.Conn.Write if p1\)`

// The parameter is assigned: it guards nothing.
func (c *Client) Reassigned(doFlush bool) { // want Reassigned:`mayBlock\(net.Conn.Write\)`
	doFlush = !doFlush
	if doFlush {
		c.Flush(nil)
	}
}

// Blocks only when its parameter buffered is false: a negated guard.
func (c *Client) FlushUnless(buffered bool) { // want FlushUnless:`mayBlock\(net.Conn.Write if !p1\)`
	if !buffered {
		c.Flush(nil)
	}
}

// No fact: the call passes true, which leaves the negated guard off.
func (c *Client) Buffered() { c.FlushUnless(true) }

// The call passes false.
func (c *Client) Unbuffered() { c.FlushUnless(false) } // want Unbuffered:`mayBlock\(net.Conn.Write\)`

// Guarded in turn, negated: the call passes its own parameter.
func (c *Client) PassOnUnless(b bool) { c.FlushUnless(b) } // want PassOnUnless:`mayBlock\(net.Conn.Write if !p1\)`

// Blocks whatever its arguments: the sleep is not guarded.
func (c *Client) FlushOrSleep(doFlush bool) { // want FlushOrSleep:`mayBlock\(time.Sleep\)`
	if doFlush {
		c.Flush(nil)
	}
	time.Sleep(time.Millisecond)
}

// No fact: each path sends once at most into a buffer of one.
func Result(f func() error) <-chan error {
	done := make(chan error, 1)
	if err := f(); err != nil {
		done <- err
		return done
	}
	done <- nil
	return done
}

// The error path sends twice into a buffer of one.
func Results(f func() error) <-chan error { // want Results:`mayBlock\(send on done\)`
	done := make(chan error, 1)
	if err := f(); err != nil {
		done <- err
	}
	done <- nil
	return done
}

// No fact: one send per job into a buffer of len(jobs), from goroutines or not.
func PerJob(jobs []func() error) chan<- error {
	errs := make(chan error, len(jobs))
	for _, j := range jobs {
		if err := j(); err != nil {
			errs <- err
		}
	}
	return nil
}

// The channel is passed on first: what else sends on it is unknown.
func PerJobShared(jobs []func() error, share func(chan error)) { // want PerJobShared:`mayBlock\(send on errs\)`
	errs := make(chan error, len(jobs))
	share(errs)
	for _, j := range jobs {
		if err := j(); err != nil {
			errs <- err
		}
	}
}
