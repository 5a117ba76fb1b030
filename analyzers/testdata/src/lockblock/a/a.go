package a

import (
	"context"
	"database/sql"
	"io"
	"net"
	"net/http"
	"os/exec"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"lockblock/dep"
)

type Cache struct {
	mu      sync.Mutex
	rw      sync.RWMutex
	entries map[string]string
	ch      chan int
	wg      sync.WaitGroup
	conn    net.Conn
	client  *dep.Client
	db      *sql.DB
}

// Get is a fast path of c.mu: its critical section cannot block, and it waits while another holds c.mu.
func (c *Cache) Get(k string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries[k]
}

// Put is a fast path of c.rw that waits for readers: it takes the write lock.
func (c *Cache) Put(k, v string) {
	c.rw.Lock()
	c.entries[k] = v
	c.rw.Unlock()
}

// reported: the sleep happens between Lock and Unlock, and Get waits for it.
func (c *Cache) sleepLocked() {
	c.mu.Lock()
	time.Sleep(time.Second) // want `time.Sleep called while c.mu is held \(locked at a.go:45\); c.mu also guards Get \(a.go:31\), which waits until time.Sleep returns`
	c.mu.Unlock()
}

// reported: defer Unlock keeps the lock held until return.
func (c *Cache) deferUnlock() {
	c.mu.Lock()
	defer c.mu.Unlock()
	<-time.After(time.Second) // want `<-time.After may block while c.mu is held`
}

// ok: the lock is released before the sleep on every path.
func (c *Cache) unlockedFirst() {
	c.mu.Lock()
	c.entries["a"] = "b"
	c.mu.Unlock()
	time.Sleep(time.Second)
}

// reported: on the path where the early return is not taken, the lock is still held.
func (c *Cache) earlyReturn(k string) {
	c.mu.Lock()
	if _, ok := c.entries[k]; ok {
		c.mu.Unlock()
		return
	}
	c.ch <- 1 // want `send on c.ch may block while c.mu is held`
	c.mu.Unlock()
}

// ok: every path that reaches the receive has unlocked.
func (c *Cache) unlockBothBranches(k string) int {
	c.mu.Lock()
	if _, ok := c.entries[k]; ok {
		c.mu.Unlock()
	} else {
		c.entries[k] = ""
		c.mu.Unlock()
	}
	return <-c.ch
}

// reported: RLock counts as held.
func (c *Cache) readLocked() {
	c.rw.RLock()
	defer c.rw.RUnlock()
	c.wg.Wait() // want `c.wg.Wait called while c.rw is held`
}

// reported: a select without default, a timer or a ctx.Done() case blocks.
func (c *Cache) selectLocked(other chan int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	select { // want `select without default may block while c.mu is held`
	case v := <-c.ch:
		_ = v
	case <-other:
	}
}

// ok: a channel operation inside a select with default does not block.
func (c *Cache) selectDefault() {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case c.ch <- 1:
	default:
	}
}

// reported: select {} blocks forever.
func (c *Cache) selectEmpty() {
	c.mu.Lock()
	select {} // want `select \{\} blocks forever while c.mu is held`
}

// reported: ranging over a channel blocks until it is closed.
func (c *Cache) rangeLocked() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for v := range c.ch { // want `range over c.ch may block while c.mu is held`
		_ = v
	}
}

// reported: network, HTTP, database and process I/O.
func (c *Cache) ioLocked(ctx context.Context, url string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.conn.Write(nil)                  // want `c.conn.Write called while c.mu is held`
	resp, _ := http.Get(url)           // want `http.Get called while c.mu is held`
	io.ReadAll(resp.Body)              // want `io.ReadAll called while c.mu is held`
	c.db.QueryContext(ctx, "select 1") // want `c.db.QueryContext called while c.mu is held`
	exec.Command("true").Run()         // want `exec.Cmd.Run called while c.mu is held`
	net.Dial("tcp", "localhost:1")     // want `net.Dial called while c.mu is held`
}

// reported: errgroup.Group.Wait waits for every goroutine of the group.
func (c *Cache) errgroupLocked(g *errgroup.Group) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return g.Wait() // want `g.Wait called while c.mu is held`
}

// reported: a helper in another package blocks, known through its fact; the chain is shown.
func (c *Cache) helperLocked() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.client.Send(nil) // want `call to c.client.Send may block \(c.client.Send → c.Flush → net.Conn.Write\) while c.mu is held`
	dep.Backoff()      // want `call to dep.Backoff may block \(dep.Backoff → time.Sleep\) while c.mu is held`
}

// ok: helpers that do not block, including one whose only send is in a select with default and one that only
// starts a goroutine.
func (c *Cache) quickHelpers(ch chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	dep.Quick(nil)
	dep.Notify(ch)
	dep.Spawn(c.ch)
}

// flushLocal blocks through a same-package chain.
func (c *Cache) flushLocal() { c.sleepy() }

func (c *Cache) sleepy() { time.Sleep(time.Millisecond) }

// reported: a same-package helper that blocks, through two calls.
func (c *Cache) localChain() {
	c.mu.Lock()
	c.flushLocal() // want `call to c.flushLocal may block \(c.flushLocal → c.sleepy → time.Sleep\) while c.mu is held`
	c.mu.Unlock()
}

// ok: calls through an interface or a function value are unknown.
func (c *Cache) dynamic(w io.Writer, f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	w.Write(nil)
	f()
}

// ok: a send on a local channel whose buffer holds the single send.
func (c *Cache) bufferedSend() chan int {
	done := make(chan int, 1)
	c.mu.Lock()
	done <- 1
	c.mu.Unlock()
	return done
}

// reported: the buffer holds one value but the loop sends many.
func (c *Cache) bufferedLoop(n int) {
	out := make(chan int, 1)
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := 0; i < n; i++ {
		out <- i // want `send on out may block while c.mu is held`
	}
}

// ok: sync.Cond.Wait releases the lock it was made with.
func condWait(mu *sync.Mutex, cond *sync.Cond, ready *bool) {
	mu.Lock()
	for !*ready {
		cond.Wait()
	}
	mu.Unlock()
}

// reported: TryLock holds the lock where it returned true.
func (c *Cache) tryLocked() {
	if c.mu.TryLock() {
		time.Sleep(time.Second) // want `time.Sleep called while c.mu is held`
		c.mu.Unlock()
	}
	time.Sleep(time.Second) // ok: TryLock failed or the lock was released
}

// ok: the goroutine does not hold its parent's lock.
func (c *Cache) goroutineUnderLock() {
	c.mu.Lock()
	defer c.mu.Unlock()
	go func() {
		time.Sleep(time.Second)
	}()
}

// reported: a function literal that locks on its own is checked on its own.
func (c *Cache) literal() func() {
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		time.Sleep(time.Second) // want `time.Sleep called while c.mu is held`
	}
}

var (
	global sync.Mutex
	count  int
)

// incr is global's fast path.
func incr() {
	global.Lock()
	count++
	global.Unlock()
}

// reported: a package-level mutex; the message names it as written.
func globalLocked(ch chan int) {
	global.Lock()
	v := <-ch // want `receive from ch may block while global is held`
	_ = v
	global.Unlock()
}

type embedded struct {
	sync.Mutex
	n int
}

// inc is the fast path of the embedded mutex.
func (e *embedded) inc() {
	e.Lock()
	e.n++
	e.Unlock()
}

// reported: an embedded mutex is named by its owner.
func (e *embedded) sleep() {
	e.Lock()
	defer e.Unlock()
	time.Sleep(time.Second) // want `time.Sleep called while e is held`
}

// ok: two different mutexes are not confused: a is released, b never taken.
func twoMutexes(a, b *sync.Mutex) {
	a.Lock()
	a.Unlock()
	b.Unlock()
	time.Sleep(time.Second)
}

// ok: the sleep is between Unlock and a re-Lock in a loop.
func (c *Cache) loopRelock() {
	c.mu.Lock()
	for i := 0; i < 3; i++ {
		c.mu.Unlock()
		time.Sleep(time.Millisecond)
		c.mu.Lock()
	}
	c.mu.Unlock()
}

// ok: a mutex in a slice element is not tracked.
func sliceMutex(ms []sync.Mutex, i int) {
	ms[i].Lock()
	time.Sleep(time.Second)
	ms[i].Unlock()
}

// ok: a finding silenced with a directive.
func (c *Cache) silenced() {
	c.mu.Lock()
	defer c.mu.Unlock()
	//conclint:ignore lockblock the sleep is a test hook
	time.Sleep(time.Second)
}

type Queue struct {
	mu      sync.Mutex
	events  chan int // always made buffered
	results chan int // made unbuffered
}

func NewQueue() *Queue {
	return &Queue{events: make(chan int, 16), results: make(chan int)}
}

// Len is q.mu's fast path.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.events)
}

// ok: the field's channels are always made buffered (reported with -lockblock.buffered).
func (q *Queue) push(v int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.events <- v
}

// reported: the field's channel is made unbuffered.
func (q *Queue) deliver(v int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.results <- v // want `send on q.results may block while q.mu is held`
}

// unlockAndNotify releases its caller's lock.
func (q *Queue) unlockAndNotify() {
	q.mu.Unlock()
}

// ok: the helper released the lock before the send.
func (q *Queue) handOff(v int) {
	q.mu.Lock()
	q.unlockAndNotify()
	q.results <- v
}

// size locks and unlocks on its own: it releases nothing of its caller's.
func (c *Cache) size() int {
	c.rw.RLock()
	n := len(c.entries)
	c.rw.RUnlock()
	return n
}

// reported: size takes and releases another lock; c.mu is still held.
func (c *Cache) sizeThenSleep() {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = c.size()
	time.Sleep(time.Second) // want `time.Sleep called while c.mu is held`
}

// reported: a directive that silences nothing is reported by the analyzer it names.
func (c *Cache) staleDirective() {
	//conclint:ignore lockblock nothing blocks here any more // want `silences no lockblock finding here`
	c.mu.Lock()
	c.entries["k"] = "v"
	c.mu.Unlock()
}
