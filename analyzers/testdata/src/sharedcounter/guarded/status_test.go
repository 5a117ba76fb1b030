package guarded

import "testing"

// ok: test code is reported only with -sharedcounter.tests.
func TestStatus(t *testing.T) {
	s := NewStatus("x")
	go func() {
		s.rates = nil
	}()
}

// ok: a call from a test does not change what clearLocked's callers hold.
func TestClear(t *testing.T) {
	s := NewStatus("x")
	s.clearLocked()
}
