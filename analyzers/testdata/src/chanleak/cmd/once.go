package main

import (
	"context"
	"net/http"
	"os"
	"os/signal"

	"golang.org/x/sync/errgroup"
)

func waitSignal() <-chan os.Signal {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	return sigs
}

// ok: run is called once, from main: its return leaves the goroutine behind at most once per process.
func run() error {
	errs := make(chan error)
	go func() {
		errs <- accept() // ok: run runs once per process (main calls it once, outside loops)
	}()
	select {
	case <-waitSignal():
		return nil
	case err := <-errs:
		return err
	}
}

// ok: prepare is called once from setup, which main calls once.
func setup() { prepare() }

func prepare() {
	errs := make(chan error)
	go func() {
		errs <- accept() // ok: prepare runs once per process, through setup, called once from main
	}()
	select {
	case <-waitSignal():
	case <-errs:
	}
}

// reported: each is called in a loop of main, so each of its returns can leave a goroutine behind.
func each() {
	errs := make(chan error)
	go func() {
		errs <- accept() // want `goroutine may block forever sending on errs: the receiver in each can return first`
	}()
	select {
	case <-waitSignal():
	case <-errs:
	}
}

// reported: twice is called from two places in main: it runs twice.
func twice() {
	errs := make(chan error)
	go func() {
		errs <- accept() // want `goroutine may block forever sending on errs: the receiver in twice can return first`
	}()
	select {
	case <-waitSignal():
	case <-errs:
	}
}

// reported: byValue is passed as a function value: how often it runs cannot be counted.
func byValue() {
	errs := make(chan error)
	go func() {
		errs <- accept() // want `goroutine may block forever sending on errs: the receiver in byValue can return first`
	}()
	select {
	case <-waitSignal():
	case <-errs:
	}
}

func register(f func()) { f() }

// ok: the k8s-proxy shape: the channel is made in a literal that runGroup (called once from main) hands to
// errgroup's Go outside loops; a literal passed as a value counts as once.
func runGroup(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		errChan := make(chan error)
		go func() {
			errChan <- accept() // ok: the literal runs once per process
		}()
		select {
		case <-ctx.Done():
			return nil
		case err := <-errChan:
			return err
		}
	})
	return g.Wait()
}

// reported: the literal that makes the channel is started in a loop, once per item.
func perItem(items []string) {
	for range items {
		go func() {
			errs := make(chan error)
			go func() {
				errs <- accept() // want `goroutine may block forever sending on errs: the receiver in the function literal in perItem can return first`
			}()
			select {
			case <-waitSignal():
			case <-errs:
			}
		}()
	}
}

// ok: a receiver left behind once: recvOnce is called once from main.
func recvOnce(fail bool) {
	jobs := make(chan string)
	go func() {
		<-jobs // ok: recvOnce runs once per process
	}()
	if fail {
		return
	}
	jobs <- "job"
}

// reported: the same receiver, in a function main calls in a loop.
func recvEach(fail bool) {
	jobs := make(chan string)
	go func() {
		<-jobs // want `goroutine may block forever receiving from jobs: recvEach can return without sending on or closing jobs`
	}()
	if fail {
		return
	}
	jobs <- "job"
}

// ok: a goroutine whose only way out is the Done of a context nobody cancels, started by a function that
// runs once per process: it lives as long as the process anyway.
func watchOnce() {
	ctx := context.Background()
	go func() { // ok: watchOnce runs once, from main
		<-ctx.Done()
	}()
}

// reported: the same goroutine, started by a function main calls in a loop.
func watchEach() {
	ctx := context.Background()
	go func() { // want `goroutine never ends: its only way out is <-ctx.Done\(\)`
		<-ctx.Done()
	}()
}

// reported: routes runs once, but the literal it hands to http.HandleFunc runs once per request.
func routes() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		results := make(chan error)
		go func() {
			results <- accept() // want `goroutine may block forever sending on results: the receiver in the function literal in routes can return first`
		}()
		select {
		case <-r.Context().Done():
		case <-results:
		}
	})
}
