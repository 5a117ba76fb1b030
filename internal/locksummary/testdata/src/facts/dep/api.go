package dep

import "sync"

// Facts only for the functions another package can call: those of the types its API reaches.

// Pool reaches poolConn through an embedded field, and conn through a result.
type Pool struct {
	*poolConn
	spare *spare // unexported field: another package cannot reach spare's methods through it
}

type poolConn struct{ mu sync.Mutex }

// Close is promoted to Pool: another package calls it as p.Close.
func (c *poolConn) Close() { // want Close:`acquires\(p0.mu\)`
	c.mu.Lock()
	c.mu.Unlock()
}

func (p *Pool) Get() *conn { return nil }

type conn struct{ mu sync.Mutex }

// Release is reached through Pool.Get's result.
func (c *conn) Release() { // want Release:`acquires\(p0.mu\)`
	c.mu.Lock()
	c.mu.Unlock()
}

type spare struct{ mu sync.Mutex }

// Drop is exported, but no other package can have a spare: no fact (it once had one).
func (s *spare) Drop() {
	s.mu.Lock()
	s.mu.Unlock()
}

// Adder is what NewAdder returns: an interface call has no static callee, so its dynamic type's method
// needs no fact either.
type Adder interface{ Add() }

func NewAdder() Adder { return &adder{} }

type adder struct{ mu sync.Mutex }

func (a *adder) Add() {
	a.mu.Lock()
	a.mu.Unlock()
}
