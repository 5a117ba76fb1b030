package a

import (
	"context"
	"sync"
)

type job struct{ dir string }

// A traversal whose group counts jobs, not goroutines (rclone's march and walk): whoever takes a job from
// the channel, a worker or the drain, calls Done for it.
func traverse(ctx context.Context, in chan job, root job, children func(job) []job) {
	var traversing sync.WaitGroup
	for range 4 {
		go func() {
			for j := range in {
				if jobs := children(j); len(jobs) > 0 {
					traversing.Add(len(jobs))
					// ok: the goroutine hands the jobs on; for one it discards, it calls Done itself.
					go func() {
						for _, next := range jobs {
							select {
							case <-ctx.Done():
								traversing.Done()
							case in <- next:
							}
						}
					}()
				}
				traversing.Done()
			}
		}()
	}
	// ok: the job sent is counted, and the worker that takes it calls Done.
	traversing.Add(1)
	in <- root
	done := make(chan struct{})
	// ok: on cancellation the drain calls Done for each job left in the channel.
	go func() {
		select {
		case <-ctx.Done():
			for range in {
				traversing.Done()
			}
		case <-done:
		}
	}()
	traversing.Wait()
	close(done)
	close(in)
}

// reported: the Done in the loop is the goroutine's own, on its way out; the channel's close skips it.
func serveUntil(reqs chan string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		for r := range reqs {
			if r == "stop" {
				wg.Done()
				return
			}
		}
	} /* want `goroutine can reach its end without calling wg.Done` */ ()
	wg.Wait()
}

// reported: nothing hands the count on: the one goroutine counted is never started.
func countedNone(reqs chan string) {
	var wg sync.WaitGroup
	wg.Add(1) // want `wg.Add\(1\) counts 1 goroutines, but 0 that call wg.Done start before wg.Wait`
	wg.Wait()
}

// ok: the first job is counted and sent to workers already running, which call Done per job.
func walk(in chan job, root job) {
	var traversing sync.WaitGroup
	for range 4 {
		go func() {
			for range in {
				traversing.Done()
			}
		}()
	}
	traversing.Add(1)
	in <- root
	traversing.Wait()
	close(in)
}
