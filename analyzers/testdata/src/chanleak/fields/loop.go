// Package fields holds the chanleak cases of channels in struct fields.
package fields

import (
	"io"
	"time"
)

type event struct{ id int }

func handle(e event) {}

// A server's run loop receives events until stop is closed, which happens when its peer goes away.
type server struct {
	events chan event
	stop   chan struct{}
}

func newServer(peer io.Reader) *server {
	s := &server{events: make(chan event), stop: make(chan struct{})}
	go s.run()
	go s.watch(peer)
	return s
}

// watch stops the server when the peer closes the connection: the server stops on its own.
func (s *server) watch(peer io.Reader) {
	io.Copy(io.Discard, peer)
	close(s.stop)
}

func (s *server) run() {
	for {
		select {
		case e := <-s.events:
			handle(e)
		case <-s.stop:
			return
		}
	}
}

// reported: once the peer has gone away and stopped run, nothing receives from events.
func (s *server) Publish(e event) {
	s.events <- e // want `s.events <- e blocks forever once run has returned on s.stop \(loop.go:37\); select on s.stop here too`
}

// reported: the same through another receiver name; the fix names the stop field through it.
func (x *server) publishAll(es []event) {
	for _, e := range es {
		x.events <- e // want `x.events <- e blocks forever once run has returned on s.stop \(loop.go:37\); select on x.stop here too`
	}
}

// ok: the send selects on the stop signal too.
func (s *server) TryPublish(e event) bool {
	select {
	case s.events <- e:
		return true
	case <-s.stop:
		return false
	}
}

// ok: a select with a default never blocks.
func (s *server) PublishOrDrop(e event) {
	select {
	case s.events <- e:
	default:
	}
}

// A queue whose events field is buffered: how many sends the buffer takes after the loop is not counted.
type queue struct {
	events chan event
	stop   chan struct{}
}

func newQueue() *queue {
	q := &queue{events: make(chan event, 16), stop: make(chan struct{})}
	go q.run()
	return q
}

func (q *queue) run() {
	for {
		select {
		case e := <-q.events:
			handle(e)
		case <-q.stop:
			return
		}
	}
}

func (q *queue) Close() { close(q.stop) }

// ok: the channel is buffered.
func (q *queue) Publish(e event) { q.events <- e }

// A pump whose stop signal is never closed: its loop never returns on it.
type pump struct {
	events chan event
	stop   chan struct{}
}

func newPump() *pump {
	p := &pump{events: make(chan event), stop: make(chan struct{})}
	go p.run()
	return p
}

func (p *pump) run() {
	for {
		select {
		case e := <-p.events:
			handle(e)
		case <-p.stop:
			return
		}
	}
}

func (p *pump) Stop() { p.stop <- struct{}{} }

// ok: stop is sent one value, not closed, so run returning on it is not a state every later send sees.
func (p *pump) Publish(e event) { p.events <- e }

// A drained server receives what is left after its loop.
type drained struct {
	events chan event
	stop   chan struct{}
}

func newDrained() *drained {
	d := &drained{events: make(chan event), stop: make(chan struct{})}
	go d.run()
	return d
}

func (d *drained) run() {
	for {
		select {
		case e := <-d.events:
			handle(e)
		case <-d.stop:
			go func() {
				for range d.events {
				}
			}()
			return
		}
	}
}

func (d *drained) Close() { close(d.stop) }

// ok: events is received elsewhere too (the drain after the loop).
func (d *drained) Publish(e event) { d.events <- e }

// Exported is a type whose channel fields are exported: other packages may receive from them.
type Exported struct {
	Events chan event
	Stop   chan struct{}
}

func (x *Exported) Run() {
	for {
		select {
		case e := <-x.Events:
			handle(e)
		case <-x.Stop:
			return
		}
	}
}

func (x *Exported) Close() { close(x.Stop) }

// ok: the fields are exported.
func (x *Exported) Publish(e event) { x.Events <- e }

// A leaky server hands its events channel out.
type leaky struct {
	events chan event
	stop   chan struct{}
}

func newLeaky() *leaky {
	l := &leaky{events: make(chan event), stop: make(chan struct{})}
	go l.run()
	return l
}

func (l *leaky) run() {
	for {
		select {
		case e := <-l.events:
			handle(e)
		case <-l.stop:
			return
		}
	}
}

func (l *leaky) Close() { close(l.stop) }

// Events passes the channel out of the type: others may receive from it.
func (l *leaky) Events() chan event { return l.events }

// ok: the channel is passed out.
func (l *leaky) Publish(e event) { l.events <- e }

// A pool of workers started by a function literal: the message names the literal as the user wrote it.
type pool struct {
	jobs   chan event
	closed chan struct{}
}

func newPool() *pool { return &pool{jobs: make(chan event), closed: make(chan struct{})} }

func (p *pool) Start(n int) {
	for range n {
		go func() {
			for {
				select {
				case e := <-p.jobs:
					handle(e)
				case <-p.closed:
					return
				}
			}
		}()
	}
}

// expire stops the pool when it has been idle too long; the AfterFunc in NewIdlePool calls it.
func (p *pool) expire() { close(p.closed) }

func newIdlePool() *pool {
	p := newPool()
	time.AfterFunc(time.Minute, p.expire)
	return p
}

// reported: once the pool has expired and stopped the workers, nothing receives from jobs.
func (p *pool) Submit(e event) {
	p.jobs <- e // want `p.jobs <- e blocks forever once the function literal in Start has returned on p.closed`
}

// ok: only the owner's Close stops the workers: a Submit after Close is the caller's misuse, which the
// analysis cannot see (Jaeger's ParallelProcessor).
type closedPool struct {
	jobs   chan event
	closed chan struct{}
}

func newClosedPool() *closedPool {
	return &closedPool{jobs: make(chan event), closed: make(chan struct{})}
}

func (p *closedPool) Start(n int) {
	for range n {
		go func() {
			for {
				select {
				case e := <-p.jobs:
					handle(e)
				case <-p.closed:
					return
				}
			}
		}()
	}
}

func (p *closedPool) Close() { p.shutdown() }

func (p *closedPool) shutdown() { close(p.closed) }

func (p *closedPool) Submit(e event) {
	p.jobs <- e // ok: only Close stops the workers
}

// ok: the leave signal is made once and only the exported Leave closes it: Leave ends the member for good
// (closing it twice panics), and a Send after it is the caller's misuse (skipper's Swarm.Leave).
type member struct {
	outgoing chan event
	leave    chan struct{}
}

func newMember() *member {
	m := &member{outgoing: make(chan event), leave: make(chan struct{})}
	go m.control()
	return m
}

func (m *member) control() {
	for {
		select {
		case e := <-m.outgoing:
			handle(e)
		case <-m.leave:
			return
		}
	}
}

func (m *member) Leave() { close(m.leave) }

func (m *member) Send(e event) {
	m.outgoing <- e // ok: only Leave, which ends the member, stops control
}

// reported: Rejoin makes a new leave signal, so Leave does not end the rejoining member: a Send between a
// Leave and the next Rejoin blocks.
type rejoiner struct {
	outgoing chan event
	leave    chan struct{}
}

func newRejoiner() *rejoiner {
	r := &rejoiner{outgoing: make(chan event), leave: make(chan struct{})}
	go r.control()
	return r
}

func (r *rejoiner) control() {
	for {
		select {
		case e := <-r.outgoing:
			handle(e)
		case <-r.leave:
			return
		}
	}
}

func (r *rejoiner) Leave() { close(r.leave) }

func (r *rejoiner) Rejoin() {
	r.leave = make(chan struct{})
	go r.control()
}

func (r *rejoiner) Send(e event) {
	r.outgoing <- e // want `r.outgoing <- e blocks forever once control has returned on r.leave \(loop.go:\d+\); select on r.leave here too`
}

// A discoverer forwards hang-ups to its loggers and, on termination, stops them and leaves its loop: the
// discoverer is the only one that closes a logger's term, and never sends after it.
type logger struct {
	hup  chan bool
	term chan struct{}
}

func newLogger() *logger {
	l := &logger{hup: make(chan bool), term: make(chan struct{})}
	go l.route()
	return l
}

func (l *logger) route() {
	for {
		select {
		case <-l.hup:
		case <-l.term:
			return
		}
	}
}

type discoverer struct {
	loggers   []*logger
	hup, term chan struct{}
}

// ok: the only closes of term come after the last send of this function: it leaves the loop after them.
func (d *discoverer) run() {
loop:
	for {
		select {
		case <-d.term:
			for _, l := range d.loggers {
				close(l.term)
			}
			break loop
		case <-d.hup:
			for _, l := range d.loggers {
				l.hup <- true
			}
		}
	}
}

// The same with a loop that goes on after closing the tailers' term.
type tailer struct {
	hup  chan bool
	term chan struct{}
}

func newTailer() *tailer {
	t := &tailer{hup: make(chan bool), term: make(chan struct{})}
	go t.route()
	return t
}

func (t *tailer) route() {
	for {
		select {
		case <-t.hup:
		case <-t.term:
			return
		}
	}
}

type watcher struct {
	tailers     []*tailer
	hup, rescan chan struct{}
}

// reported: after closing a tailer's term, the loop goes on and the next hang-up sends to a tailer whose
// route has returned.
func (w *watcher) run() {
	for {
		select {
		case <-w.rescan:
			for _, t := range w.tailers {
				close(t.term)
			}
		case <-w.hup:
			for _, t := range w.tailers {
				t.hup <- true // want `t.hup <- true blocks forever once route has returned on t.term \(loop.go:\d+\); select on t.term here too`
			}
		}
	}
}
