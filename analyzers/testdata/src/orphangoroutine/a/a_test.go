package a

import "testing"

// ok: tests are checked only with -orphangoroutine.tests.
func TestForgets(t *testing.T) {
	go refresh()
}

// ok: in a test; the call does not count as one more Cache made (newCache has two others).
func TestCache(t *testing.T) {
	newCache()
}

// ok: tests are checked only with -orphangoroutine.tests.
func TestLoops(t *testing.T) {
	for i := 0; i < 2; i++ {
		go spin()
	}
}
