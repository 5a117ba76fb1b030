package roles

import (
	"fmt"
	"net"
	"sync"
	"time"
)

// noiseConn sends a few noise packets, with a pause between them, the first time it writes to a peer
// (xray's finalmask noise): under the write lock, so every write to any peer waits at the RLock.
type noiseConn struct {
	net.PacketConn
	mu    sync.RWMutex
	seen  map[string]time.Time
	Delay time.Duration // from the user's configuration
}

// expire is the cleanup loop's section: another fast path, not the one that matters most.
func (c *noiseConn) expire() {
	c.mu.Lock()
	for k, t := range c.seen {
		if time.Since(t) > time.Minute {
			delete(c.seen, k)
		}
	}
	c.mu.Unlock()
}

func (c *noiseConn) WriteTo(p []byte, addr net.Addr) (int, error) {
	c.mu.RLock()
	_, ready := c.seen[addr.String()] // addr.String() describes the address: the section cannot block
	c.mu.RUnlock()
	if !ready {
		c.mu.Lock()
		if _, ready = c.seen[addr.String()]; !ready {
			time.Sleep(c.Delay) // want `time.Sleep called while c.mu is held \(locked at describe.go:35\); c.mu also guards WriteTo \(describe.go:31\), which waits until time.Sleep returns`
			c.seen[addr.String()] = time.Now()
		}
		c.mu.Unlock()
	}
	return c.PacketConn.WriteTo(p, addr)
}

// peer is a lock whose only other section formats a value through an interface other than a
// description: what it calls is unknown, so that section may block, and the sleep is not reported.
type peer struct {
	mu   sync.Mutex
	name fmt.Formatter
	last time.Time
}

func (p *peer) touch(s fmt.State) {
	p.mu.Lock()
	p.name.Format(s, 'v')
	p.mu.Unlock()
}

func (p *peer) wait(d time.Duration) {
	p.mu.Lock()
	time.Sleep(d) // ok: the lock's other section calls an unknown method: it is not known to be a fast path
	p.last = time.Now()
	p.mu.Unlock()
}
