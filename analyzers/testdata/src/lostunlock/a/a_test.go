package a

import "testing"

// ok: tests misuse mutexes on purpose (reported only with -lostunlock.tests).
func TestUnlockTwice(t *testing.T) {
	var c Cache
	c.mu.Lock()
	c.mu.Unlock()
	c.mu.Unlock() // ok: in a test
}
