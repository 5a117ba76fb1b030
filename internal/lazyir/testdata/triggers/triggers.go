// Package triggers calls the functions whose calls the wrapped staticcheck checks look at, with a finding
// of each.
package triggers

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func notify() {
	c := make(chan os.Signal)
	signal.Notify(c, os.Interrupt) // SA1017
}

func reset() {
	t := time.NewTimer(time.Second)
	if t.Reset(time.Second) { // SA1025
		<-t.C
	}
}

func tick() <-chan time.Time { return time.Tick(time.Second) }

func withValue(ctx context.Context) context.Context {
	return context.WithValue(ctx, "key", nil) // SA1029
}

func fatal(t *testing.T) {
	go func() {
		t.Fatal("in a goroutine") // SA2002
	}()
}

var mu sync.Mutex

func deferLock() {
	mu.Lock()
	defer mu.Lock() // SA2003
}

func put(p *sync.Pool) {
	p.Put([]int{}) // SA6002
}

type counter struct {
	x int32
	n int64
}

func add(c *counter) { atomic.AddInt64(&c.n, 1) }

func ctxFirst(ctx context.Context, n int) {}

func nilContext() {
	ctxFirst(nil, 1)   // SA1012
	ctxFirst((nil), 2) // SA1012, parenthesized
}
