package a

import "sync"

// ok: the goroutines run publish, a local function literal that marks wg done (minio's metrics
// collectors: publish := func(in <-chan T) { defer wg.Done(); ... }; go publish(a); go publish(b)).
func collectNamed(a, b <-chan int, out chan<- int) {
	var wg sync.WaitGroup
	publish := func(in <-chan int) {
		defer wg.Done()
		for v := range in {
			out <- v
		}
	}
	wg.Add(2)
	go publish(a)
	go publish(b)
	wg.Wait()
}

// reported: the named literal does not mark wg done.
func collectNamedNoDone(a <-chan int, out chan<- int) {
	var wg sync.WaitGroup
	publish := func(in <-chan int) {
		for v := range in {
			out <- v
		}
	}
	wg.Add(1) // want `wg.Add\(1\) counts 1 goroutines, but 0 that call wg.Done start before wg.Wait`
	go publish(a)
	wg.Wait()
}

// ok: publish is assigned twice, and the analyzer cannot tell which literal the start runs: silent.
func collectReassigned(a <-chan int, out chan<- int, fast bool) {
	var wg sync.WaitGroup
	publish := func(in <-chan int) {
		defer wg.Done()
		for v := range in {
			out <- v
		}
	}
	if fast {
		publish = func(in <-chan int) { defer wg.Done() }
	}
	wg.Add(1)
	go publish(a)
	wg.Wait()
}

// ok: the goroutine runs a function value the analyzer cannot see, which may mark wg done.
func collectValue(run func(), wg *sync.WaitGroup) {
	wg.Add(1)
	go run()
	wg.Wait()
}
