// Command cmd makes the exit-without-waiting mistake of the guide.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
	"time"
)

func work(id int) { fmt.Println("worker", id, "done") }

func main() {
	go work(1) // want `main can return while the goroutine still runs \(end of function at main.go:31\): its work may be cut off; wait for it with a sync.WaitGroup or a channel`

	// The Wait waits for the second worker only: work gets no WaitGroup and cannot signal one.
	var wg sync.WaitGroup
	wg.Go(func() { work(2) })
	wg.Wait()
	time.Sleep(time.Millisecond) // a sleep is not a join

	// A signal relay does no work that an exit could cut off.
	sigs := make(chan os.Signal, 1)
	done := make(chan bool, 1)
	signal.Notify(sigs, os.Interrupt)
	go func() { // ok: it only receives and sends
		<-sigs
		done <- true
	}()
}
