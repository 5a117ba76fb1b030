package a

import (
	"context"
	"sync"
)

// Server's Stop closes s.quit on every path, and both Close and watch call it.
type Server struct {
	quit chan struct{}
	ctx  context.Context
}

func (s *Server) Stop() {
	close(s.quit) // want `s.quit closed with no guard by Stop, which both Server.Close and Server.watch call: the second call panics`
}

func (s *Server) Close() error {
	s.Stop()
	return nil
}

func (s *Server) watch() {
	<-s.ctx.Done()
	s.Stop()
}

// Pool's shutdown is called twice on one path of Drain.
type Pool struct {
	done chan struct{}
}

func (p *Pool) shutdown() {
	close(p.done)
}

func (p *Pool) Drain() {
	p.shutdown()
	p.shutdown() // want `second close of p.done on this path \(by p.shutdown, which closes it on every path\)`
}

// Reported: a method closes the field and defers a call that closes it again.
type Conn struct {
	closed chan struct{}
}

func (c *Conn) release() { close(c.closed) }

func (c *Conn) Abort() {
	defer c.release()
	close(c.closed) // want `close of c.closed \(here\) on a path where a deferred close of it runs too, at return`
}

// ok: sync.Once makes Stop idempotent.
type OnceStopper struct {
	once sync.Once
	quit chan struct{}
}

func (s *OnceStopper) Stop() {
	s.once.Do(func() { close(s.quit) }) // ok: sync.Once
}

func (s *OnceStopper) Close() { s.Stop() }

func (s *OnceStopper) fail() { s.Stop() }

// ok: a flag checked under a lock makes Stop idempotent.
type FlagStopper struct {
	mu      sync.Mutex
	stopped bool
	quit    chan struct{}
}

func (s *FlagStopper) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return
	}
	s.stopped = true
	close(s.quit) // ok: guarded by s.stopped under s.mu
}

func (s *FlagStopper) Close() { s.Stop() }

func (s *FlagStopper) fail() { s.Stop() }

// ok: the select-default idiom closes only an open channel (racy if two goroutines run it at once).
type SelectStopper struct {
	quit chan struct{}
}

func (s *SelectStopper) Stop() {
	select {
	case <-s.quit:
	default:
		close(s.quit) // ok: only while open
	}
}

func (s *SelectStopper) Close() { s.Stop() }

func (s *SelectStopper) fail() { s.Stop() }

// ok: Start makes a new channel, so each Stop may close a new one.
type Restartable struct {
	quit chan struct{}
}

func (r *Restartable) Start() { r.quit = make(chan struct{}) }

func (r *Restartable) Stop() { close(r.quit) } // ok: Start assigns r.quit anew

func (r *Restartable) Close() { r.Stop() }

func (r *Restartable) fail() { r.Stop() }

// ok: Stop is called from one function only.
type Single struct {
	quit chan struct{}
}

func (s *Single) stop() { close(s.quit) } // ok: one caller

func (s *Single) Close() {
	s.stop()
}

// ok: one caller calls Stop only on an error path, the other on every path, but they may be exclusive.
type Conditional struct {
	quit chan struct{}
}

func (c *Conditional) stop() { close(c.quit) } // ok: a conditional call may hold the guard

func (c *Conditional) Close() { c.stop() }

func (c *Conditional) run(err error) {
	if err != nil {
		c.stop()
	}
}

// ok: the callers call stop on values other than their receiver.
type Other struct {
	quit chan struct{}
}

func (o *Other) stop() { close(o.quit) } // ok: called on other values

func closeBoth(a, b *Other) {
	a.stop()
}

func closeOne(x *Other) {
	x.stop()
}

// ok: identity trap: a Stop that calls a method named close, not the builtin.
type Trap struct{ q chan struct{} }

func (t *Trap) close(chan struct{}) {}

func (t *Trap) Stop() { t.close(t.q) } // ok: not the builtin

func (t *Trap) Close() { t.Stop() }

func (t *Trap) fail() { t.Stop() }
