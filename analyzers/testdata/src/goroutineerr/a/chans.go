package a

import (
	"errors"
	"sync"
)

// Case 5: a buffered channel of errors that goroutines send on and nothing receives from.

// reported: every error sent on errc is lost.
func unreceived(xs []string) {
	errc := make(chan error, len(xs)) // want `errors sent on errc are never received: every failure is lost; receive from errc or use errgroup`
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := process(x); err != nil {
				errc <- err
			}
		}()
	}
	wg.Wait()
}

// ok: unbuffered: the senders block forever, which chanleak reports.
func unbufferedUnreceived(x string) {
	errc := make(chan error)
	go func() { errc <- process(x) }()
}

// ok: received after the goroutines are done.
func received(xs []string) error {
	errc := make(chan error, len(xs))
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Go(func() { errc <- process(x) })
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			return err
		}
	}
	return nil
}

// ok: the channel escapes: the caller receives.
func escapes(x string) <-chan error {
	errc := make(chan error, 1)
	go func() { errc <- process(x) }()
	return errc
}

// ok: not a channel of errors.
func notErrors(x string) {
	done := make(chan struct{}, 1)
	go func() {
		if process(x) == nil {
			done <- struct{}{}
		}
	}()
}

// ok: len(errc) tells the function that something failed.
func counted(xs []string) error {
	errc := make(chan error, len(xs))
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Go(func() {
			if err := process(x); err != nil {
				errc <- err
			}
		})
	}
	wg.Wait()
	if len(errc) > 0 {
		return errors.New("some failed")
	}
	return nil
}
