// Command worker is the guide's "Worker may never print!": main starts a goroutine and returns without
// waiting for it.
package main

import (
	"fmt"
	"sync"
)

func work(id int) { fmt.Println("worker", id, "done") }

// main is WRONG: it can return before the first worker runs. The second worker is RIGHT: main waits
// for it.
func main() {
	go work(1)

	var wg sync.WaitGroup
	wg.Go(func() { work(2) })
	wg.Wait()
}
