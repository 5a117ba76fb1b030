package a

import (
	"sync"
	"time"
)

// No fact: the receive under if responded runs only after the goroutine's send, and the select's other
// receive did not run.
func GetDeadline(timeout time.Duration) int {
	ch := make(chan int, 1)
	var mu sync.Mutex
	var timedout, responded bool
	go func() {
		mu.Lock()
		if !timedout {
			ch <- 1
			responded = true
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
			return <-ch
		}
		timedout = true
		return 0
	}
}

// The flag is set before the send: the receive may run first.
func GetEarly(timeout time.Duration) int { // want GetEarly:`mayBlock\(receive from ch\)`
	ch := make(chan int, 1)
	var mu sync.Mutex
	var timedout, responded bool
	go func() {
		mu.Lock()
		if !timedout {
			responded = true
			ch <- 1
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
			return <-ch
		}
		timedout = true
		return 0
	}
}
