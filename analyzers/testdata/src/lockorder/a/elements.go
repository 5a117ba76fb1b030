package a

import "sync"

// A bucket keeps recent traces; a trace, once finished, is added to its bucket, which may evict (reset)
// an older one. The trace being finished is not in the bucket yet: the one reset is always another.
type bucket struct {
	mu  sync.Mutex
	buf []*trace
}

type trace struct {
	mu sync.RWMutex
	b  *bucket
}

func (tr *trace) reset() {
	tr.mu.Lock()
	tr.b = nil
	tr.mu.Unlock()
}

// ok: the trace.mu acquired under bucket.mu belongs to an element of the bucket (b.buf[i]): which
// instance it is, and whether it can be the trace that Finish holds, is not known.
func (b *bucket) add(tr *trace) {
	b.mu.Lock()
	for i := range b.buf {
		if i > 4 {
			b.buf[i].reset() // ok: an element's lock
		}
	}
	b.buf = append(b.buf, tr)
	b.mu.Unlock()
}

func (tr *trace) Finish() {
	tr.mu.RLock()
	if tr.b != nil {
		tr.b.add(tr)
	}
	tr.mu.RUnlock()
}
