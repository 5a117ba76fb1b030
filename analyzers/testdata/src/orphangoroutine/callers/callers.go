// Package callers holds the orphangoroutine cases whose evidence is a function called from more than one
// place, reported only with -orphangoroutine.callers.
package callers

import (
	"time"

	"orphangoroutine/dep"
)

func refresh() {}

// reported: dep.NewPoller is called from two places; one finding, at the first.
func PollerA() *dep.Poller {
	p := dep.NewPoller() // want `dep.NewPoller called more than once \(callers.go:15, callers.go:21\): each call starts a goroutine that loops forever with no way to stop it \(dep.go:45\)`
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
	go c.expire() // want `goroutine started on each call of newCache, which is called more than once \(callers.go:42, callers.go:43\) runs c.expire, which loops forever with no way to stop it \(loop at callers.go:36\)`
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

// reported at the go statement: walk is called from two places; its recursive call does not count.
func walk(n int) {
	if n > 0 {
		walk(n - 1)
	}
	go func() { // want `goroutine started on each call of walk, which is called more than once \(callers.go:58, callers.go:59\) loops forever`
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
		out = append(out, dep.NewGauge("extra")) // want `dep.NewGauge called more than once \(callers.go:\d+, callers.go:\d+\): each call starts a goroutine`
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

func InitTracer()        { initTracer(true) } // want `initTracer called on each call of InitTracer, which is called more than once \(callers.go:151, callers.go:153\)`
func InitTracerNoFlags() { initTracer(false) }

func Reload() {
	InitTracer()
	refresh()
	InitTracer()
}
