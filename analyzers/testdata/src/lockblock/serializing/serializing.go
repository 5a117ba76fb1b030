// Package serializing is checked with -lockblock.serializing: a lock whose every critical section may
// block is reported too, except pacing and Add/Wait serializers.
package serializing

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// A Store serializes its write transactions with s.mu.
type Store struct {
	mu sync.Mutex
	db *sql.DB
}

// reported with -lockblock.serializing: no fast path waits, so the message names none.
func (s *Store) Put(ctx context.Context, k string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.db.ExecContext(ctx, "insert into kv values (?)", k) // want `s.db.ExecContext called while s.mu is held \(locked at serializing.go:20\)$`
	return err
}

// A Limiter paces calls.
type Limiter struct{ mu sync.Mutex }

// ok: pacing stays silent, even with -lockblock.serializing.
func (l *Limiter) Wait() {
	l.mu.Lock()
	time.Sleep(5 * time.Millisecond)
	l.mu.Unlock()
}

// A Backoff sleeps long under a lock that serializes only that sleep.
type Backoff struct{ mu sync.Mutex }

// reported with -lockblock.serializing: a second is not pacing.
func (b *Backoff) Wait() {
	b.mu.Lock()
	time.Sleep(time.Second) // want `time.Sleep called while b.mu is held`
	b.mu.Unlock()
}

// A Pool keeps its WaitGroup's Add and Wait apart with p.mu.
type Pool struct {
	mu sync.Mutex
	wg sync.WaitGroup
}

func (p *Pool) Go(f func()) {
	p.mu.Lock()
	p.wg.Add(1)
	p.mu.Unlock()
	go func() {
		defer p.wg.Done()
		f()
	}()
}

// ok: an Add/Wait serializer stays silent, even with -lockblock.serializing.
func (p *Pool) Close() {
	p.mu.Lock()
	p.wg.Wait()
	p.mu.Unlock()
}

// A Cache's c.mu guards entries, read by Get.
type Cache struct {
	mu      sync.Mutex
	entries map[string]string
	wg      sync.WaitGroup
}

func (c *Cache) Get(k string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries[k]
}

// reported with the fast path named, as by default.
func (c *Cache) Nap() {
	c.mu.Lock()
	defer c.mu.Unlock()
	time.Sleep(5 * time.Second) // want `time.Sleep called while c.mu is held \(locked at serializing.go:84\); c.mu also guards Get`
}
