package example

import "time"

// Pause holds c.mu for d, so that no Get or Set runs while an operator snapshots the store from outside
// the process.
//
// RIGHT, though lockblock reports it: blocking every Get and Set for d is what Pause is for. The
// well-formed directive names the analyzer and gives the reason, and silences the finding on its line.
func (c *Cache) Pause(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	time.Sleep(d) //conclint:ignore lockblock blocking every Get and Set for d is what Pause is for
}

// PauseMistyped is Pause with a mistyped directive.
//
// WRONG: "lockblok" names no analyzer, so the directive silences nothing. ignoredirective reports the
// typo and suggests lockblock, and lockblock still reports the sleep on the line below the directive.
func (c *Cache) PauseMistyped(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	//conclint:ignore lockblok blocking every Get and Set for d is what Pause is for
	time.Sleep(d)
}
