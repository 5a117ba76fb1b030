// Command peakprof runs the conclint CLI as bench/run's "conclint CLI, cold" does and writes a heap profile
// each time a garbage collection finds more live heap than any earlier one (by at least 2%), so that the
// last profile written shows what the heap holds at the run's peak. Next to each profile it prints the
// live heap and the packages being analyzed at that moment, with the analyzers running on them.
//
// Usage, from the bench directory, with an empty cache for a cold run:
//
//	GOGC=25 CONCLINT_CACHE=$(mktemp -d) go run ./cmd/peakprof -o /tmp/peak -json github.com/IBM/sarama/... >/dev/null
//	go tool pprof -sample_index=inuse_space -top -cum /tmp/peak/heap.pprof
//
// A heap profile shows the heap as a collection or two before it was written: GOGC=25 makes collections
// frequent, so that the last profile is close to the high, and the highest live heap is then what the
// run retains at its peak, with little garbage in it (the peak RSS at the default GOGC is about twice it).
//
// The directory given to -o receives heap-N.pprof for every new high and heap.pprof, the highest. Every
// argument after -o is conclint's.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/conclint/conclint/analyzers"
	"github.com/conclint/conclint/internal/driver"
)

func main() {
	args := os.Args[1:]
	if len(args) < 2 || args[0] != "-o" {
		fmt.Fprintln(os.Stderr, "usage: peakprof -o dir [conclint flags] packages")
		os.Exit(2)
	}
	dir, args := args[1], args[2:]
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "peakprof:", err)
		os.Exit(1)
	}
	suite := analyzers.Suite()
	seen := make(map[*analysis.Analyzer]bool)
	for _, a := range suite {
		track(a, seen)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		watch(dir, done)
	}()
	code := driver.Run("conclint", args, suite, os.Stdout, os.Stderr)
	close(done)
	wg.Wait()
	os.Exit(code)
}

// running counts, per package path and analyzer, the passes in progress.
var running = struct {
	sync.Mutex
	m map[string]int
}{m: make(map[string]int)}

// track wraps the Run of a and of every analyzer it requires, once each, so that the passes in progress
// are known.
func track(a *analysis.Analyzer, seen map[*analysis.Analyzer]bool) {
	if seen[a] {
		return
	}
	seen[a] = true
	for _, r := range a.Requires {
		track(r, seen)
	}
	run := a.Run
	a.Run = func(pass *analysis.Pass) (any, error) {
		key := fmt.Sprintf("%s(%d files) %s", pass.Pkg.Path(), len(pass.Files), a.Name)
		running.Lock()
		running.m[key]++
		running.Unlock()
		defer func() {
			running.Lock()
			if running.m[key]--; running.m[key] == 0 {
				delete(running.m, key)
			}
			running.Unlock()
		}()
		return run(pass)
	}
}

// inProgress returns the passes in progress, sorted.
func inProgress() string {
	running.Lock()
	defer running.Unlock()
	var keys []string
	for k := range running.m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return strings.Join(keys, ", ")
}

// watch samples the runtime's metrics until done is closed and writes a heap profile after every
// collection that found a new high of live heap.
func watch(dir string, done <-chan struct{}) {
	samples := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/total:bytes"}}
	var lastCycle, high, maxTotal uint64
	n := 0
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-done:
			fmt.Fprintf(os.Stderr, "peakprof: highest live heap %d MiB, highest memory mapped by the runtime %d MiB, %d profiles\n", high>>20, maxTotal>>20, n)
			return
		case <-tick.C:
		}
		metrics.Read(samples)
		cycle, live, total := samples[0].Value.Uint64(), samples[1].Value.Uint64(), samples[2].Value.Uint64()
		maxTotal = max(maxTotal, total)
		if cycle == lastCycle {
			continue
		}
		lastCycle = cycle
		if live < high+high/50 {
			continue
		}
		high = live
		n++
		name := filepath.Join(dir, fmt.Sprintf("heap-%d.pprof", n))
		if err := writeProfile(name); err != nil {
			fmt.Fprintln(os.Stderr, "peakprof:", err)
			return
		}
		fmt.Fprintf(os.Stderr, "peakprof: %s: live heap %d MiB after GC %d; running: %s\n", name, live>>20, cycle, inProgress())
		os.Remove(filepath.Join(dir, "heap.pprof"))
		os.Link(name, filepath.Join(dir, "heap.pprof"))
	}
}

func writeProfile(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
