// Command exits waits for its workers, then exits.
package main

import (
	"os"
	"sync"
)

func work() {}

func main() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // ok: main waits for it
		defer wg.Done()
		work()
	}()
	wg.Wait()
	os.Exit(0)
}
