package a

import (
	"context"
	"errors"
	"sync"
)

type store struct{}

func (s *store) DeleteConsumer(name string) error { return errors.New("delete") }
func (s *store) RemoveTemp(path string) error     { return errors.New("remove") }
func (s *store) Close() error                     { return errors.New("close") }
func (s *store) UpdateConsumer(name string) error { return errors.New("update") }
func (s *store) Unsubscribe(subject string) error { return errors.New("unsubscribe") }

// ok: best-effort cleanup started in the background: the caller moved on and nothing waits for the
// resource; the server or the next run removes what the call failed to.
func resubscribe(s *store, old string) {
	go s.DeleteConsumer(old) // ok: a cleanup's error is dropped on purpose
	go s.RemoveTemp("/tmp/x")
	go s.Close()
	go s.Unsubscribe("a.b")
}

// reported: an update is the work itself, not a cleanup.
func update(s *store, name string) {
	go s.UpdateConsumer(name) // want `error returned by s.UpdateConsumer \(it fails at cleanup.go:14\) is discarded by the go statement`
}

type dnsServer struct{}

func (s *dnsServer) ShutdownContext(ctx context.Context) error {
	return errors.New("server not started")
}
func (s *dnsServer) Restart(ctx context.Context) error { return errors.New("restart") }

// ok: goroutines that exist to run a cleanup, waited for; the caller judges the shutdown by its context.
func stopAll(ctx context.Context, servers []*dnsServer) error {
	var wg sync.WaitGroup
	for _, s1 := range servers {
		wg.Go(func() {
			s1.ShutdownContext(ctx)
		})
		go func() { s1.ShutdownContext(ctx) }()
	}
	wg.Wait()
	return ctx.Err()
}

// reported: a restart is the work itself.
func restartAll(ctx context.Context, servers []*dnsServer) {
	var wg sync.WaitGroup
	for _, s1 := range servers {
		wg.Go(func() {
			s1.Restart(ctx) // want `goroutine discards the error returned by s1.Restart`
		})
	}
	wg.Wait()
}
