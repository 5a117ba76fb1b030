package a

import "time"

// Identity trap: a local Ticker whose C is not a timer channel.

type Ticker struct{ C chan int }

// ok: the loop receives from a channel that is not a timer's.
func StartLocalTicker(t *Ticker) {
	go func() {
		for range t.C {
			time.Sleep(time.Millisecond)
		}
	}()
}
