package example

import "time"

// WaitForHolding polls c for key, up to attempts times, 10ms apart.
//
// WRONG: time.Sleep is called while c.mu is held. Every Get and Set waits behind the sleep, including
// the Set that would make key appear, so WaitForHolding can only ever time out.
func (c *Cache) WaitForHolding(key string, attempts int) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for range attempts {
		if v, ok := c.entries[key]; ok {
			return v, true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nil, false
}

// WaitFor polls c for key, up to attempts times, 10ms apart.
//
// RIGHT: c.mu is held only to read the map, inside Get, and released before the sleep.
func (c *Cache) WaitFor(key string, attempts int) ([]byte, bool) {
	for range attempts {
		if v, ok := c.Get(key); ok {
			return v, true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nil, false
}

// PublishHolding caches v as the value of key and announces key on c.updates.
//
// WRONG: the send on the unbuffered c.updates blocks until a subscriber receives, and c.mu is held
// until then. A slow subscriber stalls every Get and Set, and one that calls c.Get while it handles the
// previous key deadlocks with PublishHolding.
func (c *Cache) PublishHolding(key string, v []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[key] = v
	c.updates <- key
}

// Publish caches v as the value of key and announces key on c.updates.
//
// RIGHT: c.mu is released before the send.
func (c *Cache) Publish(key string, v []byte) {
	c.mu.Lock()
	c.entries[key] = v
	c.mu.Unlock()
	c.updates <- key
}

// SaveHolding caches v as the value of key and writes it through to the store.
//
// WRONG: c.store.Save writes to a TCP connection (see package store) while c.mu is held. Every Get and
// Set waits for the network, and a store that stops reading blocks the whole cache.
func (c *Cache) SaveHolding(key string, v []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[key] = v
	return c.store.Save(key, v)
}

// Save caches v as the value of key and writes it through to the store.
//
// RIGHT: c.mu guards only the map; the write to the store happens after Unlock. c.store is set once,
// by NewCache, so reading it needs no lock. (Two concurrent Saves of one key may reach the store in
// either order, as with any write-through cache without versions; that is not a locking question.)
func (c *Cache) Save(key string, v []byte) error {
	c.mu.Lock()
	c.entries[key] = v
	c.mu.Unlock()
	return c.store.Save(key, v)
}
