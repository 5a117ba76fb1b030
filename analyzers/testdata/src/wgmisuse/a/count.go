package a

import "sync"

func work(int) {}

// reported: Add(2) but one goroutine starts before Wait.
func addTwoStartOne() {
	var wg sync.WaitGroup
	wg.Add(2) // want `wg.Add\(2\) counts 2 goroutines, but 1 that call wg.Done start before wg.Wait \(count.go:\d+\): Wait blocks forever`
	go func() {
		defer wg.Done()
		work(1)
	}()
	wg.Wait()
}

// ok: Add(2) and two goroutines.
func addTwoStartTwo() {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		work(1)
	}()
	go func() {
		defer wg.Done()
		work(2)
	}()
	wg.Wait()
}

// ok: the second goroutine starts in a branch: the analyzer cannot count it.
func addTwoInBranch(b bool) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		work(1)
	}()
	if b {
		go func() {
			defer wg.Done()
			work(2)
		}()
	}
	wg.Wait()
}

// reported: continue skips the goroutine that Add(len(items)) counted.
func lenAddContinue(items []int) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, it := range items {
		if it < 0 {
			continue // want `continue skips the goroutine that wg.Add\(len\(items\)\) \(count.go:\d+\) counted for this iteration: wg.Wait \(count.go:\d+\) blocks forever`
		}
		go func() {
			defer wg.Done()
			work(it)
		}()
	}
	wg.Wait()
}

// ok: the skipped item is marked done.
func lenAddDoneOnSkip(items []int) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, it := range items {
		if it < 0 {
			wg.Done()
			continue
		}
		go func() {
			defer wg.Done()
			work(it)
		}()
	}
	wg.Wait()
}

// reported: Add(1) then a continue before the goroutine it counts.
func addThenContinue(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		if it < 0 {
			continue // want `continue skips the goroutine that wg.Add\(1\)`
		}
		go func() {
			defer wg.Done()
			work(it)
		}()
	}
	wg.Wait()
}

// ok: the continue comes before the Add.
func continueThenAdd(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		if it < 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(it)
		}()
	}
	wg.Wait()
}

// ok: the break is inside a switch: it leaves the switch, not the iteration.
func breakInSwitch(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		switch it {
		case 0:
			break
		}
		go func() {
			defer wg.Done()
			work(it)
		}()
	}
	wg.Wait()
}
