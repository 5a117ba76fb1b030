// Package roles is checked with lockblock's default flags: a blocking operation under a lock is reported
// only when the lock is a state lock, with a critical section that cannot block (a fast path) waiting for
// it, or when the wait deadlocks.
package roles

import (
	"context"
	"database/sql"
	"net"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// A Resolver caches lookups; r.mu guards the cache.
type Resolver struct {
	mu    sync.Mutex
	cache map[string][]net.IP
}

// Get is a fast path: a map read under r.mu.
func (r *Resolver) Get(host string) []net.IP {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cache[host]
}

// reported: every Get waits until the lookup returns.
func (r *Resolver) Refresh(host string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ips, _ := net.LookupIP(host) // want `net.LookupIP called while r.mu is held \(locked at roles.go:31\); r.mu also guards Get \(roles.go:24\), which waits until net.LookupIP returns`
	r.cache[host] = ips
}

// A Store serializes its write transactions with s.mu: every critical section of s.mu writes to the
// database.
type Store struct {
	mu sync.Mutex
	db *sql.DB
}

// ok: a serializing lock; nothing that could proceed waits for it (reported with -lockblock.serializing).
func (s *Store) Put(ctx context.Context, k, v string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.db.ExecContext(ctx, "insert into kv values (?, ?)", k, v)
	return err
}

// ok: the other critical section of s.mu blocks too.
func (s *Store) Delete(ctx context.Context, k string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.db.ExecContext(ctx, "delete from kv where k = ?", k)
	return err
}

// A Table is read under RLock; its only fast path is a reader too.
type Table struct {
	mu   sync.RWMutex
	rows map[string]string
	db   *sql.DB
}

func (t *Table) Lookup(k string) string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.rows[k]
}

// ok: readers do not wait for a reader; no section takes the write lock.
func (t *Table) Reload(ctx context.Context) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	t.db.QueryContext(ctx, "select * from t")
}

// A Limiter paces calls: its lock serializes a short constant sleep.
type Limiter struct{ mu sync.Mutex }

// ok: pacing (a constant sleep of at most 100ms) under a lock that serializes only that sleep.
func (l *Limiter) Wait() {
	l.mu.Lock()
	time.Sleep(5 * time.Millisecond)
	l.mu.Unlock()
}

// A Pool keeps its WaitGroup's Add and Wait apart with p.mu, and does nothing else under it.
type Pool struct {
	mu     sync.Mutex
	wg     sync.WaitGroup
	closed bool
}

func (p *Pool) Go(f func()) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.wg.Add(1)
	p.mu.Unlock()
	go func() {
		defer p.wg.Done()
		f()
	}()
}

// ok: an Add/Wait serializer: every critical section of p.mu calls Add or Wait of p.wg.
func (p *Pool) Close() {
	p.mu.Lock()
	p.closed = true
	p.wg.Wait()
	p.mu.Unlock()
}

// A Server's s.mu also guards its connection count, read by Count.
type Server struct {
	mu     sync.Mutex
	wg     sync.WaitGroup
	cancel context.CancelFunc
	conns  int
}

func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

func (s *Server) Start(ctx context.Context) {
	ctx, s.cancel = context.WithCancel(ctx)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		<-ctx.Done()
	}()
}

// ok: a shutdown wait: the goroutines waited for were told to stop in the same critical section, and
// none of them takes s.mu.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
}

// reported: nothing told the goroutines to stop, and Count waits until they end.
func (s *Server) Drain() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wg.Wait() // want `s.wg.Wait called while s.mu is held \(locked at roles.go:153\); s.mu also guards Count`
}

// A Worker's goroutine takes w.mu; w.mu serializes blocking work only.
type Worker struct {
	mu   sync.Mutex
	wg   sync.WaitGroup
	db   *sql.DB
	stop context.CancelFunc
}

func (w *Worker) Start(ctx context.Context) {
	ctx, w.stop = context.WithCancel(ctx)
	w.wg.Add(1)
	go w.loop(ctx)
}

func (w *Worker) loop(ctx context.Context) {
	defer w.wg.Done()
	for ctx.Err() == nil {
		w.mu.Lock()
		w.db.ExecContext(ctx, "update jobs set n = n + 1")
		w.mu.Unlock()
	}
}

// reported whatever the role, even after a cancel: the goroutine waited for needs w.mu to finish its
// iteration, and Stop holds it.
func (w *Worker) Stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stop()
	w.wg.Wait() // want `w.wg.Wait called while w.mu is held \(locked at roles.go:184\) may deadlock: the goroutine started at roles.go:169, which it waits for, locks w.mu \(roles.go:175\)`
}

// A Batch runs jobs in an errgroup; each job records its result under b.mu.
type Batch struct {
	mu      sync.Mutex
	results []int
}

// reported: the group's goroutines lock b.mu to record their result while Run holds it.
func (b *Batch) Run(ctx context.Context, jobs []int) error {
	g, _ := errgroup.WithContext(ctx)
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, j := range jobs {
		g.Go(func() error {
			b.mu.Lock()
			b.results = append(b.results, j)
			b.mu.Unlock()
			return nil
		})
	}
	return g.Wait() // want `g.Wait called while b.mu is held \(locked at roles.go:199\) may deadlock: the goroutine started at roles.go:202`
}

// A Loader waits for a goroutine through a done channel.
type Loader struct {
	mu   sync.Mutex
	data []byte
}

// reported by default, though channel operations are off: the goroutine must lock l.mu before it
// closes done.
func (l *Loader) Load() {
	l.mu.Lock()
	defer l.mu.Unlock()
	done := make(chan struct{})
	go func() {
		l.mu.Lock()
		l.data = []byte("x")
		l.mu.Unlock()
		close(done)
	}()
	<-done // want `receive from done while l.mu is held \(locked at roles.go:221\) may deadlock: the goroutine started at roles.go:224, which it waits for, locks l.mu \(roles.go:225\)`
}

// ok: the goroutine does not take l.mu, and channel operations are off by default.
func (l *Loader) Tick() {
	l.mu.Lock()
	defer l.mu.Unlock()
	done := make(chan struct{})
	go func() {
		time.Sleep(time.Millisecond)
		close(done)
	}()
	<-done
}

// Size is l.mu's fast path.
func (l *Loader) Size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.data)
}

// Mutex is an identity trap: a local type with a Lock method is not a sync.Mutex.
type Mutex struct{}

func (*Mutex) Lock()   {}
func (*Mutex) Unlock() {}

// ok: not a sync.Mutex.
func trap(m *Mutex) {
	m.Lock()
	time.Sleep(time.Second)
	m.Unlock()
}

// reported: the local group's goroutines lock l.mu, which the waiter holds.
func (l *Loader) Append(parts []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var wg sync.WaitGroup
	for _, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.mu.Lock()
			l.data = append(l.data, p...)
			l.mu.Unlock()
		}()
	}
	wg.Wait() // want `wg.Wait called while l.mu is held \(locked at roles.go:267\) may deadlock: the goroutine started at roles.go:272, which it waits for, locks l.mu \(roles.go:274\)`
}

// ok: the goroutine sends its one result under mu and sets responded, under mu too, after the send; the
// timeout path receives only when responded is set: the value is already in the buffer.
func fetchWithTimeout(fetch func() int, timeout <-chan struct{}) (int, bool) {
	ch := make(chan int, 1)
	var mu sync.Mutex
	var timedout, responded bool
	go func() {
		v := fetch()
		mu.Lock()
		if !timedout {
			ch <- v
			responded = true
		}
		mu.Unlock()
	}()
	select {
	case v := <-ch:
		return v, true
	case <-timeout:
		mu.Lock()
		defer mu.Unlock()
		if responded {
			return <-ch, true // ok: responded says the goroutine's send is done
		}
		timedout = true
		return 0, false
	}
}
