package a

import (
	"testing"
	"time"
)

// ok: leaks in _test.go files are reported only with -chanleak.tests.
func TestLeakIgnored(t *testing.T) {
	ch := make(chan string)
	go func() { ch <- fetch("x") }()
	select {
	case <-ch:
	case <-time.After(time.Second):
	}
}
