package driver

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestGCPercentFor(t *testing.T) {
	tuner := &gcTuner{budget: 128 << 20}
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, 400},
		{1 << 20, 400},   // a small heap: collect at 5× live, below the budget
		{32 << 20, 300},  // the heap may grow to the budget: 128 MiB = 4 × 32
		{50 << 20, 156},  // 128 = 2.56 × 50
		{64 << 20, 100},  // twice the live heap is the budget
		{512 << 20, 100}, // above the budget: the default, never less
	} {
		if got := tuner.percentFor(c.live); got != c.want {
			t.Errorf("percentFor(%d MiB) with a budget of 128 MiB = %d, want %d", c.live>>20, got, c.want)
		}
	}
}

// gcPercent returns the current GOGC.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// The tuner adjusts GOGC after each collection, and its stop function restores the default.
func TestTuneGC(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	stop := tuneGC()
	if got := gcPercent(); got != 400 {
		t.Errorf("GOGC with a test's small heap = %d, want 400", got)
	}
	debug.SetGCPercent(250) // the tuner must set it back after the next collection
	deadline := time.Now().Add(10 * time.Second)
	for gcPercent() != 400 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if got := gcPercent(); got != 400 {
		t.Errorf("GOGC after a collection = %d, want the tuner's 400", got)
	}
	stop()
	if got := gcPercent(); got != 100 {
		t.Errorf("GOGC after stop = %d, want 100", got)
	}
}

// A user who sets GOGC keeps it.
func TestTuneGCLeavesUserSettings(t *testing.T) {
	t.Setenv("GOGC", "150")
	debug.SetGCPercent(150)
	defer debug.SetGCPercent(100)
	tuneGC()()
	if got := gcPercent(); got != 150 {
		t.Errorf("GOGC with GOGC=150 in the environment = %d, want 150", got)
	}
}
