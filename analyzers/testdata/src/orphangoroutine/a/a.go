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

// reported: dep.NewPoller is called from two places; one finding, at the first.
func PollerA() *dep.Poller {
	p := dep.NewPoller() // want `dep.NewPoller called more than once \(a.go:65, a.go:71\): each call starts a goroutine that loops forever with no way to stop it \(dep.go:45\)`
	refresh()
	return p
}

func PollerB() *dep.Poller {
	p := dep.NewPoller() // ok: the same goroutine is reported at the first call
	refresh()
	return p
}

type Cache struct{}

// reported: newCache is called from two places in the package: each Cache adds a loop.
func newCache() *Cache {
	c := &Cache{}
	go c.expire() // want `goroutine started on each call of newCache, which is called more than once \(a.go:92, a.go:93\) runs c.expire, which loops forever with no way to stop it \(loop at a.go:86\)`
	return c
}

func (c *Cache) expire() {
	for {
		refresh()
		time.Sleep(time.Minute)
	}
}

func UsersCache() *Cache  { c := newCache(); refresh(); return c }
func GroupsCache() *Cache { c := newCache(); refresh(); return c }

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
		go func() { // want `goroutine started in a loop \(a.go:152\) loops forever`
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

// reported at the go statement: walk is called from two places; its recursive call does not count.
func walk(n int) {
	if n > 0 {
		walk(n - 1)
	}
	go func() { // want `goroutine started on each call of walk, which is called more than once \(a.go:185, a.go:186\) loops forever`
		for {
			refresh()
			time.Sleep(time.Minute)
		}
	}()
}

func WalkA() { walk(1); refresh() }
func WalkB() { walk(2); refresh() }

// ok: dep.NewSink is called in two places, on the two sides of an if/else: each call of SetupMetrics
// starts one sink.
func SetupMetrics(statsd bool, kind int) *dep.Sink {
	var s *dep.Sink
	if statsd {
		s = dep.NewSink("statsd") // ok: the else branch below is the other call; one of them runs
	} else if kind > 0 {
		s = dep.NewSink("inmem")
	}
	return s
}

// ok: dep.NewFlusher is called in two cases of a switch: one of them runs.
func SetupFlusher(kind int) (s *dep.Sink) {
	switch kind {
	case 1:
		s = dep.NewFlusher("one") // ok: one case runs
	case 2:
		s = dep.NewFlusher("two")
	}
	return s
}

// ok: the first call of dep.NewTracer returns: the second does not run after it.
func SetupTracer(remote bool) *dep.Sink {
	if remote {
		return dep.NewTracer("remote") // ok: returns; the call below is the other path
	}
	return dep.NewTracer("local")
}

// reported: the two calls of dep.NewGauge can both run in one call of SetupGauges.
func SetupGauges(extra bool) []*dep.Sink {
	var out []*dep.Sink
	if extra {
		out = append(out, dep.NewGauge("extra")) // want `dep.NewGauge called more than once \(a.go:\d+, a.go:\d+\): each call starts a goroutine`
	}
	return append(out, dep.NewGauge("base"))
}

// RunAgent is a command's entry point: the program calls it once; only tests call it more than once.
func RunAgent() int {
	go func() { // ok: the repeated calls are in tests: the loops pile up in the test binary only
		for {
			refresh()
			time.Sleep(time.Minute)
		}
	}()
	return 0
}

// newIPCache is called once in the package and once in a test (a_test.go): a test's call is not
// evidence that the program makes more than one (newCache above is the reported twin).
func newIPCache() *Cache {
	c := &Cache{}
	go c.expire() // ok: the second call is in a test: the program starts this loop once
	return c
}

func IPCache() *Cache { return newIPCache() }

// ok: initLogger is called from two places, but each is the whole body of a variant of one entry point
// (VictoriaMetrics' logger.Init and InitNoLogFlags): a program calls one of them; their own calls are the
// evidence, and nothing here calls them.
func initLogger(flags bool) {
	go func() {
		for {
			refresh()
			time.Sleep(time.Minute)
		}
	}()
}

func InitLogger()        { initLogger(true) }
func InitLoggerNoFlags() { initLogger(false) }

// reported: a variant's own calls run twice.
func initTracer(flags bool) {
	go func() {
		for {
			refresh()
			time.Sleep(time.Minute)
		}
	}()
}

func InitTracer()        { initTracer(true) } // want `initTracer called on each call of InitTracer, which is called more than once \(a.go:278, a.go:280\)`
func InitTracerNoFlags() { initTracer(false) }

func Reload() {
	InitTracer()
	refresh()
	InitTracer()
}
