package a

import (
	"sync"
	"sync/atomic"
)

var requests int64

type server struct {
	hits  int64
	name  string
	ready int32
}

func init() {
	requests = 0 // ok: initialisation, before any goroutine is started
}

func handle(s *server) {
	atomic.AddInt64(&requests, 1)
	atomic.AddInt64(&s.hits, 1)
	atomic.StoreInt32(&s.ready, 1)
}

// reported: a plain read of a package-level variable accessed atomically elsewhere.
func report() int64 {
	return requests // want `requests is accessed with atomic.AddInt64 \(mixed.go:21\) but plainly here; use atomic.Int64 for every access`
}

// ok: struct fields are checked only with -sharedcounter.fields (see package fields).
func reportHits(s *server) int64 {
	return s.hits
}

// ok: atomic loads only; the struct literal key is not an access.
func snapshot(s *server) server {
	return server{hits: atomic.LoadInt64(&s.hits), name: s.name, ready: atomic.LoadInt32(&s.ready)}
}

// ok: the read follows a wait for the goroutines that update the variable.
func total(wg *sync.WaitGroup) int64 {
	wg.Wait()
	return requests
}
