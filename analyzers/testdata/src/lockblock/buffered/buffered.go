// Package buffered is checked with -lockblock.buffered=true and the other kinds switched off by flag.
package buffered

import (
	"sync"
	"time"
)

type Queue struct {
	mu     sync.Mutex
	events chan int
}

func NewQueue() *Queue { return &Queue{events: make(chan int, 16)} }

// Len is q.mu's fast path.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.events)
}

// reported with -lockblock.buffered: the buffer may be full.
func (q *Queue) push(v int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.events <- v // want `send on q.events may block while q.mu is held`
}

// ok: -lockblock.sleep=false switches sleeps off.
func (q *Queue) nap() {
	q.mu.Lock()
	defer q.mu.Unlock()
	time.Sleep(time.Millisecond)
}
