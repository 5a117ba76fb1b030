package a

import "testing"

// ok: tests are checked only with -sharedcounter.tests.
func TestRacyOnPurpose(t *testing.T) {
	n := 0
	for range 4 {
		go func() { n++ }()
	}
}
