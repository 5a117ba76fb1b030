package defaults

import (
	"testing"
	"time"
)

// ok: tests are checked only with -lockblock.tests: they block under locks on purpose.
func TestSleepUnderLock(t *testing.T) {
	var c Conn
	c.mu.Lock()
	time.Sleep(time.Millisecond)
	c.mu.Unlock()
}
