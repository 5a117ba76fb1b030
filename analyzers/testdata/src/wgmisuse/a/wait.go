package a

import "sync"

// reported: the goroutine defers its Done and waits for the group first.
func waitsForItself() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		wg.Wait() // want `wg.Wait called in a goroutine that wg counts, before its own Done: it waits for itself and never returns`
	}()
	wg.Wait()
}

// ok: a barrier: each goroutine marks itself done, then waits for the others.
func barrier() {
	var wg sync.WaitGroup
	wg.Add(2)
	for i := 0; i < 2; i++ {
		go func() {
			work(i)
			wg.Done()
			wg.Wait()
		}()
	}
}

// reported: a wg.Go callback is counted until it returns.
func goCallbackWaits() {
	var wg sync.WaitGroup
	wg.Go(func() {
		work(1)
		wg.Wait() // want `wg.Wait called in a goroutine that wg counts until it returns \(started by wg.Go\): it waits for itself and never returns`
	})
	wg.Wait()
}

// reported: each iteration waits for the goroutine it just started.
func waitInLoop(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(it)
		}()
		wg.Wait() // want `wg.Wait inside the loop that starts the goroutine it waits for \(wait.go:\d+\): each iteration waits for its own goroutine, so they run one at a time; call wg.Wait after the loop`
	}
}

// ok: the iteration works alongside its goroutine (minio's scanner, whose updates the goroutine forwards)
// and waits for it at the end of the iteration: the join, not a loss of concurrency.
func scanAlongside(dirs []string, results chan<- int) {
	for _, d := range dirs {
		updates := make(chan int, 1)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range updates {
				results <- u
			}
		}()
		scanDir(d, updates)
		close(updates)
		wg.Wait()
	}
}

func scanDir(d string, updates chan<- int) { updates <- len(d) }

// reported: only a conversion and arithmetic run between the start and the wait.
func waitAfterLittle(items []int) {
	var wg sync.WaitGroup
	total := 0
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(it)
		}()
		total += int(int64(it))
		wg.Wait() // want `wg.Wait inside the loop that starts the goroutine it waits for`
	}
}

// ok: the iteration starts a batch of goroutines and waits for the batch.
func waitPerBatch(batches [][]int) {
	var wg sync.WaitGroup
	for _, b := range batches {
		for _, it := range b {
			wg.Add(1)
			go func() {
				defer wg.Done()
				work(it)
			}()
		}
		wg.Wait()
	}
}

// ok: Wait after the loop.
func waitAfterLoop(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(it)
		}()
	}
	wg.Wait()
}
