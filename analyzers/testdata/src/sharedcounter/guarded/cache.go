package guarded

import (
	"sort"
	"sync"
	"time"
)

func (s *Status) Keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var keys []string
	for k := range s.rates {
		keys = append(keys, k)
	}
	// ok: sort.Slice calls the literal while s.mu is held; its callers are not followed.
	sort.Slice(keys, func(i, j int) bool { return s.rates[keys[i]] < s.rates[keys[j]] })
	return keys
}

func (s *Status) Merge(o map[string]float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range o {
		s.rates[k] = v
	}
}

// wrong: an exported getter of a type whose updateRates runs in a goroutine.
func (s *Status) Snapshot() map[string]float64 {
	return s.rates // want `s.rates read without s.mu \(held at 9 of its 11 other accesses, e.g. cache.go:13\); Snapshot is an exported method of Status, whose method updateRates runs in a goroutine started at status.go:28`
}

// ok: a copy of the value is local.
func (s *Status) copyRates() map[string]float64 {
	s.mu.Lock()
	c := *s
	s.mu.Unlock()
	return c.rates
}

// Cache's items and hits are guarded by mu, read-locked by readers.
type Cache struct {
	mu    sync.RWMutex
	items map[string]string
	hits  int
}

func NewCache() *Cache {
	c := &Cache{items: map[string]string{}}
	go c.janitor()
	return c
}

// wrong: Get writes hits under the read lock, which other readers hold too.
func (c *Cache) Get(k string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.hits++ // want `c.hits written while c.mu is only read-locked: other readers hold it at the same time; use c.mu.Lock; Get is an exported method of Cache, whose method janitor runs in a goroutine started at cache.go:51`
	return c.items[k]
}

// ok: reads under the read lock are guarded.
func (c *Cache) Hits() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.hits + len(c.items)
}

func (c *Cache) Put(k, v string) {
	c.mu.Lock()
	c.items[k] = v
	c.hits = 0
	c.mu.Unlock()
}

func (c *Cache) janitor() {
	for range time.Tick(time.Minute) {
		c.mu.Lock()
		for k := range c.items {
			delete(c.items, k)
		}
		c.mu.Unlock()
	}
}

// Stats is embedded in two types: A guards it with its mu, B never does. They are different variables.
type Stats struct{ n int }

type A struct {
	mu    sync.Mutex
	stats Stats
}

type B struct{ stats Stats }

func (a *A) Add() {
	a.mu.Lock()
	a.stats.n++
	a.mu.Unlock()
}

func (a *A) Sub() {
	a.mu.Lock()
	a.stats.n--
	a.mu.Unlock()
}

func (a *A) N() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.stats.n
}

// wrong: a.stats.n is guarded by a.mu.
func (a *A) run() {
	a.stats.n = 0 // want `a.stats.n written without a.mu \(held at 3 of its 3 other accesses, e.g. cache.go:99\); run runs in a goroutine started at cache.go:131`
}

// ok: b.stats.n is B's, never under a lock.
func (b *B) run() {
	b.stats.n = 0
}

// ok: each call gets a value it just created.
func (a *A) fill() {
	a.stats.n = 1
}

func start(a *A, b *B) {
	go a.run()
	go b.run()
	go func() {
		for {
			x := &A{}
			x.fill()
			publish(x)
		}
	}()
}

func publish(*A) {}

// Gauge has a Lock method of its own: not a mutex (identity trap).
type Gauge struct{ v int }

func (g *Gauge) Lock()   {}
func (g *Gauge) Unlock() {}

func (g *Gauge) Set(v int) { g.Lock(); g.v = v; g.Unlock() }
func (g *Gauge) Get() int  { g.Lock(); defer g.Unlock(); return g.v }
func (g *Gauge) Inc()      { g.Lock(); g.v++; g.Unlock() }

// ok: Gauge.Lock is not a lock.
func (g *Gauge) run() { g.v = 0 }

func startGauge(g *Gauge) { go g.run() }

var regMu sync.Mutex

// Registry's entries are guarded by the package-level regMu.
type Registry struct{ entries map[string]int }

func (r *Registry) Add(k string) { regMu.Lock(); r.entries[k]++; regMu.Unlock() }
func (r *Registry) Del(k string) { regMu.Lock(); delete(r.entries, k); regMu.Unlock() }
func (r *Registry) Len() int     { regMu.Lock(); defer regMu.Unlock(); return len(r.entries) }

// wrong: r.entries is rewritten without regMu.
func (r *Registry) expire() {
	r.entries = nil // want `r.entries written without regMu \(held at 3 of its 3 other accesses, e.g. cache.go:164\); expire runs in a goroutine started at cache.go:173`
}

func (r *Registry) Start() { go r.expire() }

// shared's mutex guards shared's fields, not those of other values.
var shared struct {
	sync.Mutex
	n int
}

type Meter struct{ n int }

func (m *Meter) A() { shared.Lock(); m.n++; shared.n++; shared.Unlock() }
func (m *Meter) B() { shared.Lock(); m.n--; shared.n--; shared.Unlock() }
func (m *Meter) C() { shared.Lock(); m.n = 0; shared.n = 0; shared.Unlock() }

// wrong: shared.n is guarded by shared's mutex; ok: m.n is not.
func (m *Meter) run() {
	m.n = 1
	shared.n = 1 // want `shared.n written without shared.Mutex \(held at 3 of its 3 other accesses, e.g. cache.go:183\); run runs in a goroutine started at cache.go:193`
}

func startMeter(m *Meter) { go m.run() }

// Queue is generic: its methods, whatever they name its type parameter, share one field items.
type Queue[T any] struct {
	mu    sync.Mutex
	items []T
}

func (q *Queue[T]) Push(x T) { q.mu.Lock(); q.items = append(q.items, x); q.mu.Unlock() }
func (q *Queue[E]) Len() int { q.mu.Lock(); defer q.mu.Unlock(); return len(q.items) }

// wrong: drain runs in a goroutine started by a generic function.
func (q *Queue[T]) drain() {
	q.items = nil // want `q.items written without q.mu \(held at 3 of its 3 other accesses, e.g. cache.go:201\); drain runs in a goroutine started at cache.go:209`
}

func startQueue[T any](q *Queue[T]) { go q.drain() }
