package a

import (
	"slices"
	"sync"
)

// Sends on a channel the function just made, reduced from nats.go's Subscription.StatusChanged. s.mu is a
// state lock: Status is its fast path.

const subClosed = 3

type Sub struct {
	mu        sync.Mutex
	status    int
	listeners map[chan int][]int
}

func (s *Sub) Status() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// The first send has room: ch was made with 10 slots and nobody else has it yet. The sends in the loop
// come after the map holds ch, and may be more than 10.
func (s *Sub) StatusChanged(statuses ...int) <-chan int {
	ch := make(chan int, 10)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.status == subClosed {
		if slices.Contains(statuses, subClosed) {
			ch <- subClosed // ok: the only send since the make, on a channel nobody else has
		}
		close(ch)
		return ch
	}
	for _, status := range statuses {
		s.listeners[ch] = append(s.listeners[ch], status)
		if status == s.status {
			ch <- status // want `send on ch may block while s.mu is held`
		}
	}
	return ch
}

// reported: the map holds ch before the first send, so another sender may have filled it.
func (s *Sub) Registered(more bool) <-chan int {
	ch := make(chan int, 1)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.listeners[ch] = nil
	ch <- s.status // want `send on ch may block while s.mu is held`
	if more {
		ch <- s.status // want `send on ch may block while s.mu is held`
	}
	return ch
}

// The first send has room, the second does not.
func (s *Sub) Twice() chan int {
	ch := make(chan int, 1)
	s.mu.Lock()
	defer s.mu.Unlock()
	ch <- s.status // ok: the first send on a channel with one slot that nobody else has
	ch <- s.status // want `send on ch may block while s.mu is held`
	return ch
}
