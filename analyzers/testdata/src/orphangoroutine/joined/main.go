// Command joined waits for its goroutines.
package main

import (
	"fmt"
	"sync"
)

func work(id int, wg *sync.WaitGroup) {
	defer wg.Done()
	fmt.Println("worker", id, "done")
}

func main() {
	var wg sync.WaitGroup
	wg.Add(2)
	go work(1, &wg) // ok: main waits for it
	go func() {     // ok: main waits for it
		defer wg.Done()
		fmt.Println("worker 2 done")
	}()
	wg.Wait()
}
