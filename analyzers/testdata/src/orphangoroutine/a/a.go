package a

import (
	"context"
	"net/http"
	"time"

	"orphangoroutine/dep"
)

func refresh() {}

func spin() {
	for {
		refresh()
		<-time.After(time.Second)
	}
}

// reported: a goroutine that loops forever, started on each iteration: they pile up.
func StartEach(names []string) {
	for range names {
		go func() { // want `goroutine started in a loop \(a.go:22\) loops forever with no way to stop it \(loop at a.go:24\); pass a context.Context and return when ctx.Done\(\) is closed`
			for {
				refresh()
				time.Sleep(time.Minute)
			}
		}()
	}
}

// reported: a ticker loop started on each request.
func handleTicks(w http.ResponseWriter, r *http.Request) {
	ticker := time.NewTicker(time.Minute)
	go func() { // want `goroutine started on each request to handleTicks ranges over ticker.C forever with no way to stop it \(loop at a.go:36\); select on the ticker and on ctx.Done\(\) instead`
		for range ticker.C {
			refresh()
		}
	}()
}

// reported: a handler function literal registered with HandleFunc.
func Register(mux *http.ServeMux) {
	mux.HandleFunc("/spin", func(w http.ResponseWriter, r *http.Request) {
		go spin() // want `goroutine started on each request to the handler at a.go:44 runs spin, which loops forever with no way to stop it \(loop at a.go:14\)`
	})
}

// reported: dep.Poll, known to loop forever through its fact, started on each iteration.
func PollEach(n int) {
	for i := 0; i < n; i++ {
		go dep.Poll() // want `goroutine started in a loop \(a.go:51\) runs dep.Poll, which loops forever with no way to stop it \(loop at dep.go:11\)`
	}
}

// reported: each call of dep.NewWatcher starts a goroutine, known through its fact: called in a loop.
func WatchAll(dirs []string) {
	for range dirs {
		dep.NewWatcher() // want `dep.NewWatcher called in a loop \(a.go:58\): each call starts a goroutine that loops forever with no way to stop it \(dep.go:23\)`
	}
}

// ok by default: newCache is called from two places in the package; reported only with
// -orphangoroutine.callers (see package callers), since two calls make two caches, not a pile-up.
func newCache() *Cache {
	c := &Cache{}
	go c.expire()
	return c
}

func (c *Cache) expire() {
	for {
		refresh()
		time.Sleep(time.Minute)
	}
}

type Cache struct{}

func UsersCache() *Cache  { c := newCache(); refresh(); return c }
func GroupsCache() *Cache { c := newCache(); refresh(); return c }

// ok by default: dep.NewPoller is called from two places (reported only with -orphangoroutine.callers).
func PollerA() *dep.Poller { p := dep.NewPoller(); refresh(); return p }
func PollerB() *dep.Poller { p := dep.NewPoller(); refresh(); return p }

// ok: started once per call of StartRefresh, which nothing here calls: a loop started once for the
// process is not an orphan.
func StartRefresh() {
	go func() {
		for {
			refresh()
			time.Sleep(time.Minute)
		}
	}()
}

// ok: the loop returns when ctx is done, even if started on each iteration.
func StartStoppable(ctx context.Context, names []string) {
	for range names {
		go func() {
			ticker := time.NewTicker(time.Minute)
			defer ticker.Stop()
			for {
				select {
				case <-ticker.C:
					refresh()
				case <-ctx.Done():
					return
				}
			}
		}()
	}
}

// ok: the loop receives work from a channel; whoever closes it is not tracked, but the goroutine is not
// spinning on timers.
func StartWorkers(jobs chan func(), n int) {
	for i := 0; i < n; i++ {
		go func() {
			for job := range jobs {
				job()
			}
		}()
	}
}

// ok: the loop breaks out when refresh fails.
func StartUntilError(try func() error, names []string) {
	for range names {
		go func() {
			for {
				if try() != nil {
					break
				}
				time.Sleep(time.Second)
			}
		}()
	}
}

// reported: a break inside a select leaves the select, not the loop.
func StartSelectBreak(names []string) {
	for range names {
		go func() { // want `goroutine started in a loop \(a.go:144\) loops forever`
			for {
				select {
				case <-time.After(time.Second):
					break
				}
			}
		}()
	}
}

// ok: silenced with a directive.
func StartSilenced(names []string) {
	for range names {
		//conclint:ignore orphangoroutine each name has its own metrics loop for the life of the process
		go spin()
	}
}
