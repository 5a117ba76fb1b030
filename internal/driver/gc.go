package driver

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// heapBudget is the heap size up to which a standalone run lets garbage pile up before it collects: the
// analysis of small packages allocates a lot and keeps little, and at the default GOGC=100 the collector
// takes a tenth of the CPU. Above the budget, the runtime's default pacing applies, so that the peak
// memory of a run on large packages is not raised.
const heapBudget = 128 << 20

// A gcTuner sets GOGC after each collection so that the next one starts when the heap reaches heapBudget
// (GOGC at most 400), or twice the live heap if that is more (GOGC 100, the default).
type gcTuner struct {
	budget  uint64
	stopped atomic.Bool
}

// tuneGC starts tuning the collector for a run and returns the function that stops it. It leaves the
// collector alone when the user set GOGC or GOMEMLIMIT.
func tuneGC() (stop func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	t := &gcTuner{budget: heapBudget}
	t.adjust()
	t.arm()
	return func() {
		t.stopped.Store(true)
		debug.SetGCPercent(100)
	}
}

// arm makes the tuner adjust after the next collection: the finalizer of an unreachable object runs once
// a collection has found it, and arms the next one.
func (t *gcTuner) arm() {
	sentinel := new([16]byte)
	runtime.SetFinalizer(sentinel, func(*[16]byte) {
		if !t.stopped.Load() {
			t.adjust()
			t.arm()
		}
	})
}

// adjust sets GOGC for the live heap the last collection found.
func (t *gcTuner) adjust() {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	debug.SetGCPercent(t.percentFor(sample[0].Value.Uint64()))
}

// percentFor returns the GOGC that makes the heap goal the budget for a live heap of live bytes, within
// [100, 400].
func (t *gcTuner) percentFor(live uint64) int {
	switch {
	case live == 0 || t.budget >= 5*live:
		return 400
	case t.budget <= 2*live:
		return 100
	}
	return int((t.budget - live) * 100 / live)
}
