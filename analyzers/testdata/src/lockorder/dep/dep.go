// Package dep is imported by lockorder/a: the lock orders of its functions (in the facts of the
// locksummary engine) cross the package boundary.
package dep

import "sync"

type Hub struct {
	Mu    sync.Mutex
	conns []*Conn
}

type Conn struct {
	Mu sync.Mutex
	n  int
}

// Send locks c.Mu.
func (c *Conn) Send() {
	c.Mu.Lock()
	c.n++
	c.Mu.Unlock()
}

// Broadcast holds h.Mu while Send locks c.Mu: the order Hub, then Conn. Package a takes the other.
func (h *Hub) Broadcast(c *Conn) {
	h.Mu.Lock()
	defer h.Mu.Unlock()
	c.Send() // ok: the reverse order is in package a, which reports the cycle
}

// Register locks h.Mu.
func (h *Hub) Register(c *Conn) {
	h.Mu.Lock()
	h.conns = append(h.conns, c)
	h.Mu.Unlock()
}

type Queue struct {
	Mu    sync.Mutex
	items []*Item
}

type Item struct {
	Mu sync.Mutex
	q  *Queue
}

// Push holds q.Mu, then locks it.Mu.
func (q *Queue) Push(it *Item) {
	q.Mu.Lock()
	defer q.Mu.Unlock()
	it.Mu.Lock()
	it.q = q
	it.Mu.Unlock()
	q.items = append(q.items, it)
}

// reported here, where the cycle closes, and not again in package a.
func (it *Item) Requeue() {
	it.Mu.Lock()
	defer it.Mu.Unlock()
	it.q.Mu.Lock() // want `it.q.Mu acquired while it.Mu is held \(Item.Requeue, dep.go:62\), but elsewhere it.Mu is acquired while q.Mu is held \(Queue.Push, dep.go:52\): two goroutines taking these paths deadlock`
	it.q.items = append(it.q.items, it)
	it.q.Mu.Unlock()
}
