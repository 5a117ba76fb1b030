// Package settings is run by TestSettingsReachTheAnalyzer with lockblock's plugin configured with
// "sleep: false".
package settings

import (
	"sync"
	"time"
)

type cache struct {
	mu      sync.Mutex
	updates chan string
}

// get is the fast path that waits for c.mu: it makes c.mu a state lock, which lockblock reports on.
func (c *cache) get() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return ""
}

// ok: the plugin's settings switch sleeps off.
func (c *cache) sleep() {
	c.mu.Lock()
	defer c.mu.Unlock()
	time.Sleep(time.Second)
}

// reported: sends stay on.
func (c *cache) send(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.updates <- key // want `send on c.updates may block while c.mu is held`
}
