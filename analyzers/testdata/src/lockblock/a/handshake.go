package a

import (
	"sync"
	"time"
)

// Handshakes, reduced from fasthttp's clientGetURLDeadline: the goroutine sends its result and sets
// responded under mu; after the timeout, the caller receives under mu only if responded is set. mu is a
// state lock: the goroutine's critical section cannot block (the send goes into a buffer of one).

var resultPool sync.Pool

func fetch() int { return 1 }

// ok: responded is set only after the send completed, under mu, and the select's other receive did not
// run: the value waits in the buffer.
func getDeadline(timeout time.Duration) (int, bool) {
	var ch chan int
	chv := resultPool.Get()
	if chv == nil {
		chv = make(chan int, 1)
	}
	ch = chv.(chan int)
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
	var v int
	ok := true
	select {
	case v = <-ch:
	case <-time.After(timeout):
		mu.Lock()
		if responded {
			v = <-ch // ok: the value sent before responded was set waits in the buffer
		} else {
			timedout = true
			ok = false
		}
		mu.Unlock()
	}
	resultPool.Put(chv)
	return v, ok
}

// reported: responded is set before the send, so the receive may run before the value is there.
func setTooEarly(timeout time.Duration) int {
	ch := make(chan int, 1)
	var mu sync.Mutex
	var timedout, responded bool
	go func() {
		mu.Lock()
		if !timedout {
			v := fetch()
			responded = true
			ch <- v
		}
		mu.Unlock()
	}()
	select {
	case v := <-ch:
		return v
	case <-time.After(timeout):
		mu.Lock()
		defer mu.Unlock()
		if responded {
			return <-ch // want `receive from ch may block while mu is held`
		}
		timedout = true
		return 0
	}
}

// reported: two receives for one send.
func receiveTwice(timeout time.Duration) int {
	ch := make(chan int, 1)
	var mu sync.Mutex
	var responded bool
	go func() {
		mu.Lock()
		ch <- fetch()
		responded = true
		mu.Unlock()
	}()
	time.Sleep(timeout)
	mu.Lock()
	defer mu.Unlock()
	if responded {
		return <-ch + <-ch // want `receive from ch may block while mu is held` `receive from ch may block while mu is held`
	}
	return 0
}

// reported: ch is handed to drain, which may take the value first.
func handedOn(timeout time.Duration) int {
	ch := make(chan int, 1)
	var mu sync.Mutex
	var responded bool
	go func() {
		mu.Lock()
		ch <- fetch()
		responded = true
		mu.Unlock()
	}()
	go drain(ch)
	time.Sleep(timeout)
	mu.Lock()
	defer mu.Unlock()
	if responded {
		return <-ch // want `receive from ch may block while mu is held`
	}
	return 0
}

func drain(ch chan int) { <-ch }

// reported: the goroutine sets responded without mu, which orders nothing.
func unlockedFlag(timeout time.Duration) int {
	ch := make(chan int, 1)
	var mu sync.Mutex
	var responded bool
	go func() {
		ch <- fetch()
		responded = true
	}()
	go func() {
		mu.Lock()
		defer mu.Unlock()
		_ = fetch()
	}()
	time.Sleep(timeout)
	mu.Lock()
	defer mu.Unlock()
	if responded {
		return <-ch // want `receive from ch may block while mu is held`
	}
	return 0
}

// reported: ch is assigned a new channel after the goroutine started, which may send on the old one.
func reassigned(timeout time.Duration) int {
	ch := make(chan int, 1)
	var mu sync.Mutex
	var responded bool
	go func() {
		mu.Lock()
		ch <- fetch()
		responded = true
		mu.Unlock()
	}()
	time.Sleep(timeout)
	mu.Lock()
	defer mu.Unlock()
	ch = make(chan int, 1)
	if responded {
		return <-ch // want `receive from ch may block while mu is held`
	}
	return 0
}

// reported: responded is a parameter, which the caller may pass true.
func flagParam(responded bool) int {
	ch := make(chan int, 1)
	var mu sync.Mutex
	go func() {
		ch <- fetch()
	}()
	go func() {
		mu.Lock()
		defer mu.Unlock()
		_ = fetch()
	}()
	mu.Lock()
	defer mu.Unlock()
	if responded {
		return <-ch // want `receive from ch may block while mu is held`
	}
	return 0
}
