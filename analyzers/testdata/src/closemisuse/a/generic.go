package a

import "sync"

// stableRunner keeps results in push order (go-zero's StableRunner): its ring's struct type is written
// with the type's parameter O, the constructor's literal with its own O. The two are not identical types,
// but the literal is what the ring holds: value is assigned.
type stableRunner[I, O any] struct {
	ring []*struct {
		value chan O
		lock  sync.Mutex
	}
}

func newStableRunner[I, O any](n int) *stableRunner[I, O] {
	ring := make([]*struct {
		value chan O
		lock  sync.Mutex
	}, n)
	for i := range ring {
		ring[i] = &struct {
			value chan O
			lock  sync.Mutex
		}{value: make(chan O, 1)}
	}
	return &stableRunner[I, O]{ring: ring}
}

func (r *stableRunner[I, O]) get(i int) O {
	return <-r.ring[i].value // ok: assigned by newStableRunner's literal
}

// pendingRunner's struct type has another shape (its field is named differently) from the literal
// below, which sets a field of its own: pending is never assigned.
type pendingRunner[O any] struct {
	slots []*struct {
		pending chan O
	}
}

func newPendingRunner[O any](n int) *pendingRunner[O] {
	r := &pendingRunner[O]{}
	_ = &struct{ ready chan O }{ready: make(chan O, 1)}
	return r
}

func (r *pendingRunner[O]) get(i int) O {
	return <-r.slots[i].pending // want `receive from r.slots\[i\].pending, which is never assigned in this package \(nil\): it blocks forever`
}
