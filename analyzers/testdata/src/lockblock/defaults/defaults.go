// Package defaults is checked with lockblock's default flags: channel operations and calls that may
// block are off, tests are skipped.
package defaults

import (
	"net"
	"sync"
	"time"
)

type Conn struct {
	mu   sync.Mutex
	wg   sync.WaitGroup
	out  chan []byte
	conn net.Conn
}

func (c *Conn) flush(b []byte) { c.conn.Write(b) }

// Pending is c.mu's fast path: every caller waits while another holds c.mu.
func (c *Conn) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.out)
}

// reported: a sleep under the lock is on by default.
func (c *Conn) onByDefault(b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	time.Sleep(time.Second) // want `time.Sleep called while c.mu is held`
}

// ok: a short pause (at most 100ms), once per critical section, stalls Pending by at most that much.
func (c *Conn) pause(b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = b
	time.Sleep(time.Millisecond)
}

// reported: the short pause is in a loop inside the critical section: it can repeat any number of times.
func (c *Conn) pollUnderLock() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.out) > 0 {
		time.Sleep(time.Millisecond) // want `time.Sleep called while c.mu is held`
	}
}

// ok: the loop takes the lock at each iteration: one short pause per critical section.
func (c *Conn) pollOnePerSection() {
	for i := 0; i < 3; i++ {
		c.mu.Lock()
		time.Sleep(time.Millisecond)
		c.mu.Unlock()
	}
}

// ok: a wait (-lockblock.wait) and I/O (-lockblock.io) under a state lock are off by default: on the
// corpus, such locks serialized the I/O on purpose, or the wait was bounded.
func (c *Conn) waitAndIO(b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wg.Wait()
	c.conn.Write(b)
}

// ok: channel operations (-lockblock.channel) and calls that may block (-lockblock.calls) are off by
// default: on real code the lock usually serializes the hand-off or the I/O on purpose.
func (c *Conn) offByDefault(b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.out <- b
	c.flush(b)
}
