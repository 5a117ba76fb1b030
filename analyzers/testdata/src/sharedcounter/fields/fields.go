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
