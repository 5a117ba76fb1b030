package main

import "testing"

// ok: a test's calls are not counted (their leaks are reported only with -chanleak.tests): run and
// prepare still run once per process of the command.
func TestRun(t *testing.T) {
	for range 2 {
		_ = run()
	}
	register(prepare)
}
