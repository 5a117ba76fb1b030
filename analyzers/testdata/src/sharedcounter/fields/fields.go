// Package fields is checked with -sharedcounter.fields=true.
package fields

import "sync/atomic"

type server struct {
	hits int64
	name string
}

func handle(s *server) { atomic.AddInt64(&s.hits, 1) }

// reported with -sharedcounter.fields: a plain read of a field accessed atomically elsewhere.
func reportHits(s *server) int64 {
	return s.hits // want `s.hits is accessed with atomic.AddInt64 \(fields.go:11\) but plainly here; use atomic.Int64 for every access`
}

// ok: the struct literal's key is not an access, and the load is atomic.
func snapshot(s *server) server {
	return server{hits: atomic.LoadInt64(&s.hits), name: s.name}
}

// Stats is embedded in two types: accessed atomically through counted, plainly through plain. They are
// different variables.
type Stats struct{ n int64 }

type counted struct{ stats Stats }

type plain struct{ stats Stats }

func (c *counted) inc() { atomic.AddInt64(&c.stats.n, 1) }

// ok: plain's stats is not counted's.
func (p *plain) inc() { p.stats.n++ }

// reported: the same field path from the same type.
func (c *counted) reset() {
	c.stats.n = 0 // want `c.stats.n is accessed with atomic.AddInt64 \(fields.go:\d+\) but plainly here`
}

// ok: a local copy of the struct.
func (c *counted) snapshot() int64 {
	cp := *c
	return cp.stats.n
}

// ok: the value is new and not yet published.
func newCounted(n int64) *counted {
	c := &counted{}
	c.stats.n = n
	return c
}

// reported: the new value is shared with a goroutine.
func newShared(n int64) *counted {
	c := &counted{}
	go c.inc()
	go func() { c.inc() }()
	c.stats.n = n // want `c.stats.n is accessed with atomic.AddInt64`
	return c
}

// ok: &x is not an access: the pointer is loaded atomically.
func load(s *server) int64 {
	p := &s.hits
	return atomic.LoadInt64(p)
}
