package example

// SetAllHolding stores every entry of kv under one critical section.
//
// WRONG: c.Set locks c.mu, which SetAllHolding already holds. Go's mutexes are not reentrant: the first
// c.Set blocks forever, and every Get and Set after it with it.
func (c *Cache) SetAllHolding(kv map[string][]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, v := range kv {
		c.Set(k, v)
	}
}

// SetAll stores every entry of kv under one critical section.
//
// RIGHT: the map is written directly while c.mu is held; nothing called under the lock locks it again.
func (c *Cache) SetAll(kv map[string][]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, v := range kv {
		c.entries[k] = v
	}
}
