package a

import (
	"context"
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
	return requests // want `requests is accessed with atomic.AddInt64 \(mixed.go:22\) but plainly here; use atomic.Int64 for every access`
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

// opWait waits for done unless the operation is cancelled first: the select has a way out, so it is not
// a wait in the facts, but the caller reads the result only where it reports the receive (terraform's
// backend/local opWait).
func opWait(done <-chan struct{}, ctx context.Context) (canceled bool) {
	select {
	case <-ctx.Done():
		return true
	case <-done:
		return false
	}
}

// ok: the result is read after a call that receives from the goroutine's done channel.
func applyThenRead(ctx context.Context, u string) int {
	var result int
	done := make(chan struct{})
	go func() {
		defer close(done)
		result = len(u)
	}()
	if opWait(done, ctx) {
		return 0
	}
	return result
}

// reported: the call is handed a channel it can only send on: no join before the read.
func notifyThenRead(u string, notify chan<- string) int {
	var result int
	done := make(chan struct{})
	go func() {
		defer close(done)
		result = len(u) // want `result is assigned by a goroutine while notifyThenRead also accesses it \(line \d+\) without synchronization`
	}()
	tell(notify, u)
	println(result)
	<-done
	return result
}

func tell(notify chan<- string, u string) {
	select {
	case notify <- u:
	default:
	}
}
