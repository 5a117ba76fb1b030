package a

import (
	"sync"
	"sync/atomic"
)

func work(int) error { return nil }

// Reported: every goroutine of the loop may run the idiom at the same time.
func racyIdiomLocal(n int) {
	done := make(chan struct{})
	for i := range n {
		go func() {
			if work(i) != nil {
				select {
				case <-done:
				default:
					close(done) // want `goroutines started in a loop run select \{ case <-done: default: close\(done\) \} at once: two can both find done open, and the second close panics`
				}
			}
		}()
	}
	<-done
}

// ok: the mutex serializes the check and the close.
func idiomUnderMutex(n int) {
	done := make(chan struct{})
	var mu sync.Mutex
	for i := range n {
		go func() {
			if work(i) != nil {
				mu.Lock()
				select {
				case <-done:
				default:
					close(done)
				}
				mu.Unlock()
			}
		}()
	}
	<-done
}

// ok: sync.Once closes it once.
func idiomWithOnce(n int) {
	done := make(chan struct{})
	var once sync.Once
	for i := range n {
		go func() {
			if work(i) != nil {
				once.Do(func() { close(done) })
			}
		}()
	}
	<-done
}

// ok: one goroutine runs the idiom; nothing runs it at the same time.
func idiomOneGoroutine() {
	done := make(chan struct{})
	go func() {
		if work(0) != nil {
			select {
			case <-done:
			default:
				close(done)
			}
		}
	}()
	<-done
}

// ok: each goroutine has its own channel.
func idiomChannelPerGoroutine(n int) {
	for range n {
		done := make(chan struct{})
		go func() {
			select {
			case <-done:
			default:
				close(done)
			}
		}()
		<-done
	}
}

// Breaker's trip runs the idiom on b.tripped with no guard.
type Breaker struct {
	tripped chan struct{}
	failed  atomic.Int32
}

func (b *Breaker) trip() {
	select {
	case <-b.tripped:
	default:
		close(b.tripped) // want `select \{ case <-b.tripped: default: close\(b.tripped\) \} in Breaker.trip, which goroutines started in a loop call at once on one value`
	}
}

// Reported at trip: each goroutine may trip the breaker at the same time.
func (b *Breaker) RunAll(jobs []int) {
	for _, j := range jobs {
		go func() {
			if work(j) != nil {
				b.trip()
			}
		}()
	}
}

// Latch's release runs the idiom under its mutex: silent.
type Latch struct {
	mu   sync.Mutex
	open chan struct{}
}

// ok: the mutex serializes the callers.
func (l *Latch) release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	select {
	case <-l.open:
	default:
		close(l.open)
	}
}

func (l *Latch) RunAll(jobs []int) {
	for _, j := range jobs {
		go func() {
			if work(j) != nil {
				l.release()
			}
		}()
	}
}

// Gate's shut runs the idiom, called by one goroutine only: silent.
type Gate struct {
	shut chan struct{}
}

// ok: one caller goroutine.
func (g *Gate) close() {
	select {
	case <-g.shut:
	default:
		close(g.shut)
	}
}

func (g *Gate) Run() {
	go func() {
		if work(0) != nil {
			g.close()
		}
	}()
}

// ok: each goroutine gets its own Breaker, made in the loop.
func breakerPerGoroutine(jobs []int) {
	for _, j := range jobs {
		b := &Breaker{tripped: make(chan struct{})}
		go func() {
			if work(j) != nil {
				b.trip()
			}
		}()
	}
}

// ok: the loop waits for each goroutine before it starts the next one.
func idiomJoinedEachIteration(n int) {
	done := make(chan struct{})
	for i := range n {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			if work(i) != nil {
				select {
				case <-done:
				default:
					close(done)
				}
			}
		}()
		wg.Wait()
	}
}

// Runner's stop runs the idiom; fail calls it, and goroutines started in a loop call fail.
type Runner struct {
	stopped chan struct{}
}

func (r *Runner) stop() {
	select {
	case <-r.stopped:
	default:
		close(r.stopped) // want `select \{ case <-r.stopped: default: close\(r.stopped\) \} in Runner.stop, which goroutines started in a loop call at once on one value \(through Runner.fail\)`
	}
}

func (r *Runner) fail(err error) {
	if err != nil {
		r.stop()
	}
}

func (r *Runner) Start(n int) {
	for i := range n {
		go func() { r.fail(work(i)) }()
	}
}

// fakeMutex is not a sync.Mutex: its Lock serializes nothing.
type fakeMutex struct{}

func (fakeMutex) Lock()   {}
func (fakeMutex) Unlock() {}

// Reported: identity, not spelling: the Lock of fakeMutex does not serialize the closes.
func idiomUnderFakeMutex(n int) {
	done := make(chan struct{})
	var mu fakeMutex
	for i := range n {
		go func() {
			if work(i) != nil {
				mu.Lock()
				select {
				case <-done:
				default:
					close(done) // want `goroutines started in a loop run select \{ case <-done: default: close\(done\) \}`
				}
				mu.Unlock()
			}
		}()
	}
	<-done
}
