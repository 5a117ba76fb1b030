// Package defaults is checked with lostunlock's default flags: returns that leave a lock held are
// reported only with -lostunlock.returns.
package defaults

import (
	"errors"
	"sync"
)

type cache struct {
	mu sync.Mutex
	m  map[string]int
}

// ok: a return that leaves c.mu locked is reported only with -lostunlock.returns.
func (c *cache) get(k string) (int, error) {
	c.mu.Lock()
	v, ok := c.m[k]
	if !ok {
		return 0, errors.New("missing")
	}
	c.mu.Unlock()
	return v, nil
}

// reported by default: the deferred Unlock runs only when the function returns.
func (c *cache) each(keys []string) {
	for _, k := range keys {
		c.mu.Lock()
		defer c.mu.Unlock() // want `deferred`
		c.m[k]++
	}
}
