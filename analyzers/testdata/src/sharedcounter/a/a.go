package a

import (
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

func fetch(u string) error { return nil }

// reported: count++ from goroutines started in a loop.
func countLoop(urls []string) int {
	var wg sync.WaitGroup
	count := 0
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if fetch(u) == nil {
				count++ // want `count is incremented by goroutines started in a loop without synchronization; use a sync/atomic type or hold a mutex`
			}
		}()
	}
	wg.Wait()
	return count
}

// reported: append from goroutines started in a loop.
func appendLoop(urls []string) []string {
	var wg sync.WaitGroup
	var failed []string
	for _, u := range urls {
		wg.Go(func() {
			if fetch(u) != nil {
				failed = append(failed, u) // want `failed is appended to by goroutines started in a loop without synchronization: elements are lost`
			}
		})
	}
	wg.Wait()
	return failed
}

// reported: concurrent map writes, by assignment and by delete.
func mapLoop(urls []string) map[string]error {
	var wg sync.WaitGroup
	results := make(map[string]error)
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[u] = fetch(u) // want `concurrent writes to map results by goroutines started in a loop crash the program; guard it with a mutex or collect through a channel`
			delete(results, "")   // want `concurrent writes to map results by goroutines started in a loop crash the program`
		}()
	}
	wg.Wait()
	return results
}

// reported: errgroup callbacks started in a loop update a total.
func errgroupLoop(sizes []int) (int, error) {
	var g errgroup.Group
	total := 0
	for _, n := range sizes {
		g.Go(func() error {
			total += n // want `total is updated by goroutines started in a loop without synchronization`
			return nil
		})
	}
	err := g.Wait()
	return total, err
}

type stats struct{ hits int }

// reported: a field reached through a pointer shared by goroutines started in a loop.
func fieldLoop(s *stats, urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Go(func() {
			_ = fetch(u)
			s.hits = s.hits + 1 // want `s.hits is updated by goroutines started in a loop without synchronization`
		})
	}
	wg.Wait()
}

var processed int

// reported: a package-level variable.
func globalLoop(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Go(func() {
			_ = fetch(u)
			processed++ // want `processed is incremented by goroutines started in a loop without synchronization`
		})
	}
	wg.Wait()
}

// reported: one goroutine assigns status while the function still reads it.
func raceWithParent(u string) string {
	status := "pending"
	done := make(chan struct{})
	go func() {
		defer close(done)
		if fetch(u) != nil {
			status = "failed" // want `status is assigned by a goroutine while raceWithParent also accesses it \(line 112\) without synchronization`
		}
	}()
	println(status)
	<-done
	return status
}

// ok: the parent reads only after waiting.
func readAfterWait(u string) string {
	status := "pending"
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		status = "done"
	}()
	wg.Wait()
	return status
}

// ok: the variable is written only before the go statement; the goroutine only reads it.
func writtenBefore(u string) {
	limit := 3
	limit++
	go func() { _ = limit }()
}

// ok: a mutex is held at the write.
func locked(urls []string) int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	count := 0
	for _, u := range urls {
		wg.Go(func() {
			if fetch(u) == nil {
				mu.Lock()
				count++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return count
}

// ok: the deferred unlock keeps the mutex held at the write.
func deferLocked(urls []string) map[string]error {
	var mu sync.Mutex
	var wg sync.WaitGroup
	results := map[string]error{}
	for _, u := range urls {
		wg.Go(func() {
			err := fetch(u)
			mu.Lock()
			defer mu.Unlock()
			results[u] = err
		})
	}
	wg.Wait()
	return results
}

// ok: an atomic type.
func atomicCounter(urls []string) int64 {
	var count atomic.Int64
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Go(func() {
			if fetch(u) == nil {
				count.Add(1)
			}
		})
	}
	wg.Wait()
	return count.Load()
}

// ok: loop variables have a copy per iteration since Go 1.22, parameters and the goroutine's own variables
// are its own.
func perGoroutine(urls []string) {
	for i, u := range urls {
		go func(n int) {
			i++
			n++
			local := 0
			local++
			_ = fetch(u)
		}(i)
	}
}

// ok: each goroutine writes its own slice element.
func sliceElements(urls []string) []error {
	errs := make([]error, len(urls))
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Go(func() { errs[i] = fetch(u) })
	}
	wg.Wait()
	return errs
}

// ok: the variable is declared inside the loop: one per goroutine, and the parent does not touch it.
func declaredInLoop(urls []string) {
	for _, u := range urls {
		var err error
		go func() { err = fetch(u); _ = err }()
	}
}

// ok: a write in a function literal nested in the goroutine is not tracked.
func nestedLiteral(urls []string) {
	count := 0
	for range urls {
		go func() {
			inc := func() { count++ }
			inc()
		}()
	}
}

// ok: silenced with a directive.
func silenced(urls []string) {
	var wg sync.WaitGroup
	n := 0
	for range urls {
		wg.Go(func() {
			//conclint:ignore sharedcounter an approximate count is fine for the progress bar
			n++
		})
	}
	wg.Wait()
}

type lister struct {
	err   error
	items chan int
}

// ok: the function uses l, not the field the goroutine writes; who reads l.err later is not tracked.
func newLister() *lister {
	l := &lister{items: make(chan int)}
	go func() {
		defer close(l.items)
		l.err = fetch("x")
	}()
	return l
}

type runner struct{ stop chan struct{} }

// untilStop waits on a channel: its fact says it may block, so a call to it may be the join.
func (r *runner) untilStop() { <-r.stop }

// ok: the call that may wait for the goroutine comes before the read.
func joinThroughHelper(r *runner) bool {
	found := false
	go func() {
		found = true
		close(r.stop)
	}()
	r.untilStop()
	return found
}

// ok: an error variable written by goroutines is goroutineerr's to report.
func errorVar(urls []string) error {
	var wg sync.WaitGroup
	var err error
	for _, u := range urls {
		wg.Go(func() { err = fetch(u) })
	}
	wg.Wait()
	return err
}

// ok: each iteration waits for its goroutine before starting the next: they never overlap.
func serializedLoop(urls []string) int {
	n := 0
	for _, u := range urls {
		done := make(chan struct{})
		go func() {
			if fetch(u) == nil {
				n++
			}
			close(done)
		}()
		<-done
	}
	return n
}

// ok: the lock is taken through a sync.Cond's Locker.
func condLocker(n int) int {
	c := sync.NewCond(&sync.Mutex{})
	count := 0
	for range n {
		go func() {
			c.L.Lock()
			count++
			c.L.Unlock()
			c.Signal()
		}()
	}
	return count
}

// reported: TryGo starts its callback in a new goroutine like Go (syncapi.GoCallback, the one definition of
// a goroutine start).
func errgroupTryGo(sizes []int) (int, error) {
	var g errgroup.Group
	total := 0
	for _, n := range sizes {
		g.TryGo(func() error {
			total += n // want `total is updated by goroutines started in a loop without synchronization`
			return nil
		})
	}
	err := g.Wait()
	return total, err
}
