package tests

import (
	"testing"
	"time"
)

func fetch(s string) string { return s }

// Checked with -chanleak.tests=true.

// ok: the only way out without receiving fails the test, which ends it.
func TestTimeoutFails(t *testing.T) {
	ch := make(chan string)
	go func() { ch <- fetch("x") }()
	select {
	case <-ch:
	case <-time.After(time.Second):
		t.Fatal("timeout")
	}
}

// reported with -chanleak.tests: the timeout path does not fail the test, and the goroutine leaks.
func TestTimeoutLeaks(t *testing.T) {
	ch := make(chan string)
	go func() { ch <- fetch("x") }() // want `goroutine may block forever sending on ch: the receiver in TestTimeoutLeaks can return first`
	select {
	case <-ch:
	case <-time.After(time.Second):
		t.Log("timed out")
	}
}
