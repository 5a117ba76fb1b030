// Package quiet starts goroutines, locks and defers, but calls none of the functions whose calls the
// wrapped staticcheck checks look at: no IR is built for it.
package quiet

import (
	"context"
	"sync"
	"time"
)

type store struct {
	mu sync.Mutex
	m  map[string]int
}

func (s *store) get(k string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[k]
}

func run(ctx context.Context, s *store) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTimer(time.Second)
		defer t.Stop()
		select {
		case <-t.C:
			s.get("x")
		case <-ctx.Done():
		}
	}()
	<-done
}
