package a

import "sync"

func process(x int) {}

// reported: the producer adds to wg in a goroutine wg does not count: Wait can see a zero count first and
// return before any work is added.
func lateAdd(items []int) {
	var wg sync.WaitGroup
	go func() {
		for _, x := range items {
			wg.Add(1) // want `wg.Add in a goroutine that wg does not count: wg.Wait \(late.go:\d+\) can run first, see a zero count and return before the work is added; call wg.Add before the go statement`
			go func() {
				defer wg.Done()
				process(x)
			}()
		}
	}()
	wg.Wait()
}

// ok: the producer is counted itself: while it runs the count is not zero, and its Adds are nested.
func countedProducer(items []int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, x := range items {
			wg.Add(1) // ok: nested in the producer's own count
			go func() {
				defer wg.Done()
				process(x)
			}()
		}
	}()
	wg.Wait()
}

// ok: the starter waits for the producer's signal that it has added everything before it waits.
func signalled(items []int) {
	var wg sync.WaitGroup
	added := make(chan struct{})
	go func() {
		for _, x := range items {
			wg.Add(1) // ok: Wait runs after <-added
			go func() {
				defer wg.Done()
				process(x)
			}()
		}
		close(added)
	}()
	<-added
	wg.Wait()
}

// ok: the Add is the goroutine's first statement: go vet's waitgroup and staticcheck's SA2000 report it.
func lateAddFirst(items []int) {
	var wg sync.WaitGroup
	go func() {
		wg.Add(len(items)) // ok: reported by waitgroup and SA2000
		for _, x := range items {
			go func() {
				defer wg.Done()
				process(x)
			}()
		}
	}()
	wg.Wait()
}
