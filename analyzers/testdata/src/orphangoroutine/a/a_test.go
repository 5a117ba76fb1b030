package a

import "testing"

// ok: tests are checked only with -orphangoroutine.tests.
func TestForgets(t *testing.T) {
	go refresh()
}
