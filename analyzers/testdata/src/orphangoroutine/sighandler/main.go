// Command sighandler starts signal handlers: one that ends by cancelling what the program runs under
// (vmctl's), one that ends by closing a channel, and twins that still have work after their last stop,
// shut a server down, or wait for something other than a signal.
package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/signal"
)

type importer struct{}

func (*importer) Close() {}

func run(ctx context.Context) { fmt.Println(ctx) }

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	imp := &importer{}

	go func() { // ok: a signal handler whose last act is the cancel: nothing is left to cut off
		<-sigs
		fmt.Println("cancelled")
		if imp != nil {
			imp.Close()
		}
		cancel()
	}()

	stop := make(chan struct{})
	go func() { // ok: its last act closes stop
		<-sigs
		close(stop)
	}()

	go func() { // want `main can return while the goroutine still runs .*: its work may be cut off; it starts its work only on a signal, so do not wait for it unconditionally: let it end with the cancel`
		<-sigs
		cancel()
		os.WriteFile("state", nil, 0o600) // work after the cancel that main's return can cut off
	}()

	srv := &http.Server{}
	go func() { // want `main can return while the goroutine still runs`
		<-sigs
		srv.Shutdown(context.Background()) // main's return can cut the shutdown short
	}()

	other := make(chan struct{})
	go func() { // want `main can return while the goroutine still runs .*: its work may be cut off; wait for it with a sync.WaitGroup or a channel`
		<-other
		fmt.Println("other")
		cancel() // not after a signal: the work before the cancel may be cut off
	}()

	run(ctx)
	if len(os.Args) > 3 {
		close(other)
	}
}
