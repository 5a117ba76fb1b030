package example

import "errors"

var errNotCached = errors.New("not cached")

// LookupLeaky returns the value of key, or errNotCached.
//
// WRONG: the early return keeps c.mu locked. The first miss blocks every Get and Set after it, for good.
func (c *Cache) LookupLeaky(key string) ([]byte, error) {
	c.mu.Lock()
	v, ok := c.entries[key]
	if !ok {
		return nil, errNotCached
	}
	c.mu.Unlock()
	return v, nil
}

// Lookup returns the value of key, or errNotCached.
//
// RIGHT: the deferred Unlock runs on every return.
func (c *Cache) Lookup(key string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.entries[key]
	if !ok {
		return nil, errNotCached
	}
	return v, nil
}

// CountLeaky returns how many of keys are cached.
//
// WRONG: a deferred Unlock runs when the function returns, not at the end of the iteration: the second
// iteration locks c.mu again while it is held, and the goroutine deadlocks.
func (c *Cache) CountLeaky(keys []string) int {
	n := 0
	for _, k := range keys {
		c.mu.Lock()
		defer c.mu.Unlock()
		if _, ok := c.entries[k]; ok {
			n++
		}
	}
	return n
}
