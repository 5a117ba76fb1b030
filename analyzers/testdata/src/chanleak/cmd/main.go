// Command cmd serves until a signal: when main returns, the process exits with its goroutines.
package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
)

func accept() error { return errors.New("closed") }

func main() {
	_ = run()
	setup()
	for range 3 {
		each()
		recvEach(true)
		watchEach()
	}
	twice()
	twice()
	register(byValue)
	_ = runGroup(context.Background())
	perItem(os.Args)
	recvOnce(true)
	watchOnce()
	routes()
	errs := make(chan error)
	go func() {
		errs <- accept() // ok: main returning ends the process, and this goroutine with it
	}()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	select {
	case <-sigs:
	case <-errs:
	}
}

// reported: serve is not main: the goroutine outlives it.
func serve() {
	errs := make(chan error)
	go func() {
		errs <- accept() // want `goroutine may block forever sending on errs`
	}()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	select {
	case <-sigs:
	case <-errs:
	}
}
