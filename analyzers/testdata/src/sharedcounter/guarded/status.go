// Package guarded is checked with -sharedcounter.guarded=true: fields guarded by a lock at most of their
// accesses, and accessed without it in code that runs in goroutines. Its scenarios span this file and
// cache.go.
package guarded

import (
	"sync"
	"sync/atomic"
	"time"
)

// Status's rates are guarded by mu: held at Rate, SetRate, Reset, Has, Delete, Len, clearLocked (through
// its callers), Keys and Merge (cache.go): 9 of 12 accesses.
type Status struct {
	mu    sync.Mutex
	rates map[string]float64
	name  string // written only before the value is shared
	label string // never under mu
	seen  int    // under mu at two accesses only
	polls int    // under mu at three of five accesses
	total int64  // also accessed with sync/atomic
}

// ok: the value was created here and is not shared yet.
func NewStatus(name string) *Status {
	s := &Status{name: name}
	s.rates = make(map[string]float64)
	go s.updateRates()
	return s
}

func (s *Status) Rate(k string) float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rates[k]
}

func (s *Status) SetRate(k string, v float64) {
	s.mu.Lock()
	s.rates[k] = v
	s.mu.Unlock()
}

func (s *Status) Reset() {
	s.mu.Lock()
	if s.rates != nil {
		s.clearLocked()
	}
	s.mu.Unlock()
}

func (s *Status) Has(k string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.rates[k]
	return ok
}

func (s *Status) Delete(k string) {
	s.mu.Lock()
	delete(s.rates, k)
	s.mu.Unlock()
}

func (s *Status) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.rates)
}

// ok: every caller holds s.mu.
func (s *Status) clearLocked() {
	s.rates = nil
}

// wrong: the periodic update rewrites the map without the lock that every getter holds.
func (s *Status) updateRates() {
	for range time.Tick(time.Second) {
		next := compute()
		s.rates = next      // want `s.rates written without s.mu \(held at 9 of its 11 other accesses, e.g. status.go:35\); updateRates runs in a goroutine started at status.go:28`
		s.rates = next      // ok: one finding per field per function
		s.label = "updated" // ok: label is never accessed under a lock: not inferred guarded
		s.mu.Lock()
		s.seen++
		s.polls++
		s.mu.Unlock()
		s.seen = 0  // ok: held at two accesses only
		s.polls = 0 // ok: held at three of five accesses
		atomic.AddInt64(&s.total, 1)
		s.total = 0 // ok: accessed with sync/atomic elsewhere
		_ = s.name  // ok: name is read without mu, but never written once shared
	}
}

func (s *Status) Polls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.total++
	return s.polls + s.seen + len(s.name) + len(s.label)
}

func (s *Status) ResetPolls() {
	s.mu.Lock()
	s.polls = 0
	s.total = 0
	s.mu.Unlock()
	s.polls = 1
}

func (s *Status) Name() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.total = 1
	return s.name + s.label
}

func compute() map[string]float64 { return nil }

// ok: init runs before any goroutine.
func init() {
	defaultStatus.rates = nil
}

var defaultStatus = &Status{}

// ok: tick is also a function value (run by time.AfterFunc, with locks not known).
func (s *Status) tick() {
	s.rates = nil
}

func (s *Status) Schedule() {
	s.tick()
	time.AfterFunc(time.Second, s.tick)
}

// ok: flush is deferred: the locks held when it runs are not followed.
func (s *Status) flush() {
	s.rates = nil
}

func (s *Status) Close() {
	defer s.flush()
}

func (s *Status) lock()   { s.mu.Lock() }
func (s *Status) unlock() { s.mu.Unlock() }

// ok: Clear locks through helpers: its lock state is not trusted.
func (s *Status) Clear() {
	s.lock()
	s.rates = nil
	s.unlock()
}

// ok: the goroutines are joined before the access.
func (s *Status) Stop(wg *sync.WaitGroup) {
	wg.Wait()
	s.rates = nil
}

// ok: the value is new, though a function literal captures the variable.
func NewWatched(fail bool) *Status {
	s := &Status{}
	defer func() {
		if fail {
			s = nil
		}
	}()
	s.rates = map[string]float64{}
	s.fillRates()
	go func() { s.updateRates() }()
	return s
}

// ok: its only caller passes a new value.
func (s *Status) fillRates() {
	s.rates["default"] = 1
}

// ok: dropRates is called only once the goroutines are joined.
func (s *Status) Shutdown(wg *sync.WaitGroup) {
	wg.Wait()
	s.dropRates()
}

func (s *Status) dropRates() {
	s.rates = nil
}
