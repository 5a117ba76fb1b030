package a

import "sync"

// A loop whose action closure unlocks the loop's lock before it returns false (fzf's doAction): the lock
// is not held when the loop goes round.
type eventLoop struct {
	mu     sync.Mutex
	n      int
	events chan int
	ready  chan bool
}

// Count is eventLoop.mu's fast path.
func (l *eventLoop) Count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n
}

func (l *eventLoop) run() {
	var act func(e int) bool
	act = func(e int) bool {
		if e < 0 {
			l.mu.Unlock()
			return false
		}
		if e > 100 {
			return act(e - 100)
		}
		l.n = e
		return true
	}
	for {
		l.ready <- true // ok: not held; every path back here released l.mu (act, when it returned false)
		e := <-l.events
		l.mu.Lock()
		if !act(e) {
			continue
		}
		l.mu.Unlock()
	}
}

// The same closure called directly.
func (l *eventLoop) runDirect() {
	for {
		l.ready <- true // ok: act released l.mu before the continue
		e := <-l.events
		l.mu.Lock()
		act := func(e int) bool {
			if e < 0 {
				l.mu.Unlock()
				return false
			}
			l.n = e
			return true
		}
		if !act(e) {
			continue
		}
		l.mu.Unlock()
	}
}

// A closure that does not unlock: the send in the loop body is still under l.mu.
func (l *eventLoop) runHeld() {
	for {
		e := <-l.events
		l.mu.Lock()
		set := func(e int) { l.n = e }
		set(e)
		l.ready <- true // want `send on l.ready may block while l.mu is held`
		l.mu.Unlock()
	}
}

// The unlocking closure is called through another closure of the same function (fzf's doActions).
func (l *eventLoop) runNested() {
	var act func(e int) bool
	acts := func(es []int) bool {
		for _, e := range es {
			if !act(e) {
				return false
			}
		}
		return true
	}
	act = func(e int) bool {
		if e < 0 {
			l.mu.Unlock()
			return false
		}
		l.n = e
		return true
	}
	for {
		l.ready <- true // ok: acts → act released l.mu before the continue
		e := <-l.events
		l.mu.Lock()
		if !acts([]int{e}) {
			continue
		}
		l.mu.Unlock()
	}
}
