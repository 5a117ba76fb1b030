package guarded

import "testing"

// ok: test code is reported only with -sharedcounter.tests.
func TestStatus(t *testing.T) {
	s := NewStatus("x")
	go func() {
		s.rates = nil
	}()
}
