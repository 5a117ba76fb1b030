package a

import (
	"sync"
	"time"
)

// A committer that loops until closed (Jaeger's offset manager): its only way out calls Done.
type committer struct {
	closed sync.WaitGroup
	stop   chan struct{}
	ticks  chan int
	n      int
}

// ok: past the last case the select waits; the loop never falls off the end of the goroutine.
func (m *committer) Start() {
	m.closed.Add(1)
	go func() {
		for {
			select {
			case <-time.After(time.Second):
				m.n++
			case <-m.stop:
				m.closed.Done()
				return
			}
		}
	}()
}

// reported: the other case returns without Done.
func (m *committer) StartTicks() {
	m.closed.Add(1)
	go func() {
		for {
			select {
			case n, ok := <-m.ticks:
				if !ok {
					return // want `goroutine returns without calling m.closed.Done`
				}
				m.n += n
			case <-m.stop:
				m.closed.Done()
				return
			}
		}
	}()
}

func (m *committer) Close() {
	close(m.stop)
	m.closed.Wait()
}
