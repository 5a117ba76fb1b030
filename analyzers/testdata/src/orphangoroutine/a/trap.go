package a

import "time"

// Identity trap: a local Ticker whose C is not a timer channel.

type Ticker struct{ C chan int }

// ok: the loop receives from a channel that is not a timer's.
func StartLocalTicker(t *Ticker, names []string) {
	for range names {
		go func() {
			for range t.C {
				time.Sleep(time.Millisecond)
			}
		}()
	}
}

// Identity trap: a local Once whose Do runs f on every call.

type Once struct{}

func (Once) Do(f func()) { f() }

// reported: this Do is not sync.Once.Do: the literal passed to it runs on each iteration.
func EachLocalOnce(names []string) {
	var o Once
	for range names {
		o.Do(func() {
			go tick() // want `goroutine started in a loop \(trap.go:29\) runs tick, which loops forever`
		})
	}
}

// Identity trap: local ResponseWriter and Request: handleLocal is not an HTTP handler.

type ResponseWriter interface{ Write([]byte) (int, error) }
type Request struct{}

// ok: not called on each request, and nothing calls it.
func handleLocal(w ResponseWriter, r *Request) {
	go tick()
}
