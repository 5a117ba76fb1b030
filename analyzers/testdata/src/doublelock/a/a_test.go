package a

import "testing"

// ok: tests deadlock on purpose (reported only with -doublelock.tests).
func TestDeadlock(t *testing.T) {
	var s Server
	s.mu.Lock()
	s.mu.Lock() // ok: in a test
}
