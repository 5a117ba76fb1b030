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

// reported, with a fix: the Add is the goroutine's first statement and counts what the starter knows.
func lateAddFirst(items []int) {
	var wg sync.WaitGroup
	go func() {
		// one per item
		wg.Add(len(items)) // want `wg.Add in a goroutine that wg does not count`
		for _, x := range items {
			go func() {
				defer wg.Done()
				process(x)
			}()
		}
	}()
	wg.Wait()
}

// reported, with a fix: the go statement is in a case clause; the Add moves to the clause.
func lateAddInCase(items []int, async bool) {
	var wg sync.WaitGroup
	switch {
	case async:
		go func() {
			wg.Add(1) // want `wg.Add in a goroutine that wg does not count`
			go func() {
				defer wg.Done()
				process(len(items))
			}()
		}()
	}
	wg.Wait()
}

// reported, without a fix: the count is a parameter of the literal, unknown before the go statement.
func lateAddParam(items []int) {
	var wg sync.WaitGroup
	go func(n int) {
		wg.Add(n) // want `wg.Add in a goroutine that wg does not count`
		for _, x := range items[:n] {
			go func() {
				defer wg.Done()
				process(x)
			}()
		}
	}(len(items))
	wg.Wait()
}

func count(items []int) int { return len(items) }

// reported, without a fix: the count is a call, which would run in the starter instead of the goroutine.
func lateAddCall(items []int) {
	var wg sync.WaitGroup
	go func() {
		wg.Add(count(items)) // want `wg.Add in a goroutine that wg does not count`
		for _, x := range items {
			go func() {
				defer wg.Done()
				process(x)
			}()
		}
	}()
	wg.Wait()
}

// reported, with a fix: the count is an expression of the starter's values; it moves as gofmt prints it.
func lateAddExpr(items []int, done chan<- int) {
	var wg sync.WaitGroup
	go func() {
		wg.Add(2*len(items) + 1) // want `wg.Add in a goroutine that wg does not count`
		for _, x := range items {
			go func() {
				defer wg.Done()
				process(x)
			}()
			go func() {
				defer wg.Done()
				done <- x
			}()
		}
		go func() {
			defer wg.Done()
			done <- -1
		}()
	}()
	wg.Wait()
}
