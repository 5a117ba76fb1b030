package a

import (
	"context"
	"net"
	"os/exec"
	"sync"
	"time"
)

// Operations that cannot block, or only briefly, next to their blocking forms, under c.mu, a state lock
// (Get is its fast path).

// ok: a select with a ctx.Done() case is bounded.
func (c *Cache) selectCtx(ctx context.Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case v := <-c.ch:
		_ = v
	case <-ctx.Done():
	}
}

// ok: a select with a timer case is bounded.
func (c *Cache) selectTimer() {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case v := <-c.ch:
		_ = v
	case <-time.After(time.Millisecond):
	}
}

// ok: a UDP dial to a resolved address is a local socket and connect.
func (c *Cache) dialUDP(addr *net.UDPAddr) {
	c.mu.Lock()
	defer c.mu.Unlock()
	net.DialUDP("udp", nil, addr)
}

// reported: a TCP dial waits for the handshake.
func (c *Cache) dialTCP(addr *net.TCPAddr) {
	c.mu.Lock()
	defer c.mu.Unlock()
	net.DialTCP("tcp", nil, addr) // want `net.DialTCP called while c.mu is held`
}

// ok: cmd.Wait returns at once where cmd.Start failed.
func (c *Cache) startFailed(cmd *exec.Cmd) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	err := cmd.Start() // ok: its only send is on a token channel (os/exec statusc), which has room
	if err != nil {
		cmd.Wait()
		return err
	}
	return nil
}

// reported: cmd.Wait waits for the process where it started.
func (c *Cache) started(cmd *exec.Cmd) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Wait() // want `cmd.Wait called while c.mu is held`
}

// A Sem is a counting semaphore, filled at creation; every taker gives its token back.
type Sem struct {
	mu     sync.Mutex
	tokens chan struct{}
	n      int
	other  chan struct{}
}

func NewSem(n int) *Sem {
	s := &Sem{tokens: make(chan struct{}, n), other: make(chan struct{}, n)}
	for range n {
		s.tokens <- struct{}{}
	}
	return s
}

// Count is s.mu's fast path.
func (s *Sem) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// ok: the receive takes a token of the semaphore, given back below.
func (s *Sem) Do() {
	s.mu.Lock()
	defer s.mu.Unlock()
	<-s.tokens
	s.n++
	s.tokens <- struct{}{}
}

// reported: s.other is not filled at creation: the receive waits for a sender.
func (s *Sem) Take() {
	s.mu.Lock()
	defer s.mu.Unlock()
	<-s.other // want `receive from s.other may block while s.mu is held`
	s.other <- struct{}{}
}

// ok: the local group's goroutines do nothing that blocks.
func (c *Cache) squares(n int) []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = i * i
		}()
	}
	wg.Wait()
	return out
}

// reported: the local group's goroutine sleeps.
func (c *Cache) slowGroup() {
	c.mu.Lock()
	defer c.mu.Unlock()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		time.Sleep(time.Second)
	}()
	wg.Wait() // want `wg.Wait called while c.mu is held`
}

// incAndUnlock releases its caller's lock before it sleeps.
func (c *Cache) incAndUnlock() {
	c.entries["n"] += "1"
	c.mu.Unlock()
	time.Sleep(time.Millisecond)
}

// sleepAndUnlock sleeps before it releases its caller's lock.
func (c *Cache) sleepAndUnlock() {
	time.Sleep(time.Millisecond)
	c.mu.Unlock()
}

// ok: the chain stops at the Unlock in incAndUnlock.
func (c *Cache) andUnlock() {
	c.mu.Lock()
	c.incAndUnlock()
}

// reported: sleepAndUnlock sleeps with c.mu held.
func (c *Cache) sleepThenUnlock() {
	c.mu.Lock()
	c.sleepAndUnlock() // want `call to c.sleepAndUnlock may block \(c.sleepAndUnlock → time.Sleep\) while c.mu is held`
}

// ok: the range drains a channel closed just before, on every path: it ends when the buffer is empty.
func (c *Cache) drainClosed(results chan string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	close(results)
	for v := range results {
		c.entries[v] = v
	}
	<-results // ok: a receive from a closed channel returns at once
}

// reported: the close runs on one path only; on the other, the range waits for senders.
func (c *Cache) drainMaybeClosed(results chan string, done bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if done {
		close(results)
	}
	for v := range results { // want `range over results may block while c.mu is held`
		c.entries[v] = v
	}
}

// reported: the channel closed is not the one ranged over after the assignment.
func (c *Cache) drainReassigned(results chan string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	close(results)
	results = make(chan string)
	for v := range results { // want `range over results may block while c.mu is held`
		c.entries[v] = v
	}
}

// ok: each worker gives back, under c.mu, the token it took: the buffer has room for it, since the
// channel never holds more tokens than the one it was filled with.
func (c *Cache) tokenGiveBack() func(string) {
	sem := make(chan struct{}, 1)
	sem <- struct{}{}
	return func(j string) {
		<-sem
		c.mu.Lock()
		defer c.mu.Unlock()
		c.entries[j] = j
		sem <- struct{}{}
	}
}

// ok: the token is given back by a literal called after the take; the channel is filled to its capacity
// by a loop.
func (c *Cache) tokenLiteral(n int) func(string) {
	sem := make(chan struct{}, n)
	for i := 0; i < n; i++ {
		sem <- struct{}{}
	}
	return func(j string) {
		<-sem
		c.entries[j] = j
		func() {
			c.mu.Lock()
			sem <- struct{}{}
			c.mu.Unlock()
		}()
	}
}

// reported: a goroutine adds a token without taking one: the buffer may be full when the worker gives its
// token back.
func (c *Cache) tokenOverfilled() func() {
	sem := make(chan struct{}, 1)
	sem <- struct{}{}
	go func() { sem <- struct{}{} }()
	return func() {
		<-sem
		c.mu.Lock()
		defer c.mu.Unlock()
		sem <- struct{}{} // want `send on sem may block while c.mu is held`
	}
}

// reported: the channel is passed on: what else sends on it is unknown.
func (c *Cache) tokenEscapes(fill func(chan struct{})) {
	sem := make(chan struct{}, 1)
	sem <- struct{}{}
	fill(sem)
	<-sem
	c.mu.Lock()
	defer c.mu.Unlock()
	sem <- struct{}{} // want `send on sem may block while c.mu is held`
}

// ok: a path sends once at most: the error branch returns after its send.
func (c *Cache) oneResult(f func() (string, error)) <-chan error {
	done := make(chan error, 1)
	c.mu.Lock()
	defer c.mu.Unlock()
	v, err := f()
	if err != nil {
		done <- err
		return done
	}
	c.entries[v] = v
	done <- nil
	return done
}

// reported: the error path sends twice into a buffer of one; the second send may block.
func (c *Cache) twoResults(f func() (string, error)) <-chan error {
	done := make(chan error, 1)
	c.mu.Lock()
	defer c.mu.Unlock()
	v, err := f()
	if err != nil {
		done <- err // ok: the first send on a channel with one slot that nobody else has yet
	}
	c.entries[v] = v
	done <- nil // want `send on done may block while c.mu is held`
	return done
}

// ok: one send at most per key, into a buffer of len(keys).
func (c *Cache) missing(keys []string) []string {
	out := make(chan string, len(keys))
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		if _, ok := c.entries[k]; !ok {
			out <- k
		}
	}
	close(out)
	var missing []string
	for k := range out {
		missing = append(missing, k)
	}
	return missing
}

// reported: the loop ranges over more than the buffer was made for.
func (c *Cache) missingMore(keys, more []string) {
	out := make(chan string, len(keys))
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range more {
		out <- k // want `send on out may block while c.mu is held`
	}
	close(out)
}

// reported: keys grows after the buffer is made.
func (c *Cache) missingGrown(keys []string) {
	out := make(chan string, len(keys))
	keys = append(keys, "extra")
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		out <- k // want `send on out may block while c.mu is held`
	}
	close(out)
}

// maybeSleep sleeps only when doSleep is true.
func (c *Cache) maybeSleep(doSleep bool) {
	if doSleep {
		c.sleepy()
	}
}

// ok: the call passes false, where maybeSleep needs true to sleep.
func (c *Cache) noSleep() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.maybeSleep(false)
}

// reported: the argument may be true.
func (c *Cache) maybeSleeps(b bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.maybeSleep(b) // want `call to c.maybeSleep may block \(c.maybeSleep → c.sleepy → time.Sleep\) while c.mu is held`
}

// maybeFlush sleeps only when flush is true: it returns first otherwise.
func (c *Cache) maybeFlush(flush bool) {
	if !flush {
		return
	}
	c.sleepy()
}

// ok: the call passes false, where maybeFlush returns before it sleeps.
func (c *Cache) noFlush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.maybeFlush(false)
}

// reported: the argument may be true.
func (c *Cache) maybeFlushes(flush bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.maybeFlush(flush) // want `call to c.maybeFlush may block \(c.maybeFlush → c.sleepy → time.Sleep\) while c.mu is held`
}

// reported: the worker gives back one token on each iteration of a loop, for one take.
func (c *Cache) tokenGivenInLoop() func() {
	sem := make(chan struct{}, 1)
	sem <- struct{}{}
	return func() {
		<-sem
		c.mu.Lock()
		defer c.mu.Unlock()
		for range 2 {
			sem <- struct{}{} // want `send on sem may block while c.mu is held`
		}
	}
}

// reported: the worker gives back twice for one take, each time it runs: the second send is no fill of
// the channel where it is made, though there is room for two sends.
func (c *Cache) tokenGivenTwice() func() {
	sem := make(chan struct{}, 2)
	sem <- struct{}{}
	return func() {
		<-sem
		c.mu.Lock()
		defer c.mu.Unlock()
		sem <- struct{}{} // want `send on sem may block while c.mu is held`
		sem <- struct{}{} // want `send on sem may block while c.mu is held`
	}
}

// A shared holds the one token of mem, and of spare, made in local variables and stored in fields.
type shared struct {
	mu    sync.Mutex
	n     int
	mem   chan []byte
	spare chan []byte
}

func newShared() *shared {
	mem := make(chan []byte, 1)
	mem <- make([]byte, 16)
	spare := make(chan []byte, 1)
	spare <- make([]byte, 16)
	return &shared{mem: mem, spare: spare}
}

// count is s.mu's fast path.
func (s *shared) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// ok: the token taken from s.mem is given back: the channel holds the one buffer it was filled with.
func (s *shared) use() {
	buf := <-s.mem
	s.mu.Lock()
	defer s.mu.Unlock()
	buf[0]++
	s.mem <- buf
}

// reported: a buffer that was not taken from s.spare is put in: the channel may be full.
func (s *shared) replace() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.spare <- make([]byte, 16) // want `send on s.spare may block while s.mu is held`
}

// reported: a literal that replaces the channel runs between the close and the range.
func (c *Cache) drainReset(results chan string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	close(results)
	reset := func() { results = make(chan string) }
	reset()
	for v := range results { // want `range over results may block while c.mu is held`
		c.entries[v] = v
	}
}

// fillSlot adds a token each time it is called.
func fillSlot() { slots <- struct{}{} }

var slots = make(chan struct{}, 1)

// reported: fillSlot may have filled slots while the token was out.
func (c *Cache) useSlot() {
	<-slots
	c.mu.Lock()
	defer c.mu.Unlock()
	slots <- struct{}{} // want `send on slots may block while c.mu is held`
}

// ok: the early return gives its token back; the path that goes on gives it back once, after.
func (c *Cache) tokenEarlyReturn(check func() bool) func(string) {
	sem := make(chan struct{}, 1)
	sem <- struct{}{}
	return func(k string) {
		<-sem
		if !check() {
			sem <- struct{}{}
			return
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		c.entries[k] = k
		sem <- struct{}{}
	}
}
