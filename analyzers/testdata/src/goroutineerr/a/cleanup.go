package a

import "errors"

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
	go s.UpdateConsumer(name) // want `error returned by s.UpdateConsumer \(it fails at cleanup.go:10\) is discarded by the go statement`
}
