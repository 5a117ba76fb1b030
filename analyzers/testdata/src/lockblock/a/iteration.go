package a

import "sync"

// Each received container is locked as a completion signal and never unlocked by the receiver (wireguard's
// sequential receiver): the container locked in one iteration is not the one of the next.
type container struct {
	sync.Mutex
	elems []int
}

// Len is the container lock's fast path.
func (c *container) Len() int {
	c.Lock()
	defer c.Unlock()
	return len(c.elems)
}

type sequential struct {
	inbound chan *container
	out     chan int
}

func (s *sequential) receive() {
	for c := range s.inbound { // ok: the container locked in the previous iteration is another instance
		c.Lock()
		for _, e := range c.elems {
			s.out <- e // want `send on s.out may block while c is held`
		}
	}
}
