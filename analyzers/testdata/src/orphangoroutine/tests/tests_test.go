package tests

import (
	"sync"
	"testing"
)

// reported: the test can end before the goroutine runs.
func TestForgets(t *testing.T) {
	go refresh() // want `TestForgets can return while the goroutine still runs`
}

// reported: inside a subtest.
func TestSubtest(t *testing.T) {
	t.Run("sub", func(t *testing.T) {
		go refresh() // want `the subtest can return while the goroutine still runs`
	})
}

// ok: waited for.
func TestWaits(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		refresh()
	}()
	wg.Wait()
}

// ok: t.Cleanup may wait for it.
func TestCleanup(t *testing.T) {
	done := make(chan struct{})
	go func() {
		refresh()
		close(done)
	}()
	t.Cleanup(func() { <-done })
}

// ok: errgroup-style Go methods are joined by their group; a plain helper is not a test.
func helperStarts() {
	go refresh()
}

// ok: the waits are counted by a loop: how many goroutines they wait for is not tracked.
func TestCountedWaits(t *testing.T) {
	done := make(chan bool)
	for i := 0; i < 4; i++ {
		go func() { done <- true }()
	}
	for i := 0; i < 4; i++ {
		<-done
	}
}

// reported with -orphangoroutine.tests: a loop that nothing stops, started on each iteration.
func TestLoops(t *testing.T) {
	for i := 0; i < 2; i++ {
		go spinForever() // want `goroutine started in a loop \(tests_test.go:59\) runs spinForever, which loops forever`
	}
}
