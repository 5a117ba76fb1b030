package a

import (
	"errors"
	"sync"
)

// A cache item whose _ensure expects item.mu held, drops it while it downloads, and takes it back with a
// defer (rclone's vfscache): the caller still holds the lock after the call.
type item struct {
	mu sync.Mutex
	fd *int
	n  int
}

func (it *item) _ensure(off int64) error {
	if off == 0 {
		return nil
	}
	it.mu.Unlock()
	defer it.mu.Lock()
	it.n++
	return nil
}

// _drop releases the caller's lock and does not take it back.
func (it *item) _drop() {
	it.mu.Unlock()
}

// ok: _ensure returns with it.mu held again: the deferred Unlock has a lock to release.
func (it *item) readAt(off int64) (int, error) {
	it.mu.Lock()
	if it.fd == nil {
		it.mu.Unlock()
		return 0, errors.New("not open")
	}
	defer it.mu.Unlock()
	if err := it._ensure(off); err != nil {
		return 0, err
	}
	return it.n, nil
}

// reported: _drop released the lock, and the deferred Unlock runs at the return.
func (it *item) close() {
	it.mu.Lock()
	defer it.mu.Unlock()
	it._drop()
	return // want `the deferred it.mu.Unlock \(line 48\) runs at this return while it.mu is not locked on any path reaching it`
}

// A memo that drops its lock while fn runs and takes it back in a deferred function literal, registered
// after the deferred Unlock, so it runs first at every return (tailscale's release/dist Memoize).
type memo struct {
	mu       sync.Mutex
	inflight map[string]bool
	outs     map[string]int
}

// ok: the deferred literal locks m.mu again before the deferred Unlock runs.
func (m *memo) do(key string, fn func() (int, error)) (ret int, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if v, ok := m.outs[key]; ok {
		return v, nil
	}
	m.inflight[key] = true
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		delete(m.inflight, key)
		if err == nil {
			m.outs[key] = ret
		}
	}()
	ret, err = fn()
	if err != nil {
		return 0, err // ok: relocked by the deferred literal
	}
	return ret, nil // ok: relocked by the deferred literal
}

// reported: the deferred literal only reads; nothing locks m.mu again before the deferred Unlock.
func (m *memo) peek(key string, fn func() int) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.mu.Unlock()
	defer func() {
		_ = key
	}()
	return fn() // want `the deferred m.mu.Unlock \(line \d+\) runs at this return while m.mu is not locked on any path reaching it`
}
