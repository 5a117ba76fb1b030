package a

import (
	"errors"
	"log"
	"runtime"
	"sync"

	"wgmisuse/dep"
)

func fetch(string) error { return errors.New("x") }
func save(string)        {}

// reported: an early return skips the Done that the other path calls.
func earlyReturn(u string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if err := fetch(u); err != nil {
			return // want `goroutine returns without calling wg.Done, which it calls on other paths \(done.go:\d+\): wg.Wait \(done.go:\d+\) blocks forever; defer wg.Done\(\) at the start of the goroutine`
		}
		save(u)
		wg.Done()
	}()
	wg.Wait()
}

// ok: Done is deferred.
func deferred(u string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := fetch(u); err != nil {
			return
		}
		save(u)
	}()
	wg.Wait()
}

// ok: every path calls Done before it returns.
func everyPath(u string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if err := fetch(u); err != nil {
			wg.Done()
			return
		}
		save(u)
		wg.Done()
	}()
	wg.Wait()
}

// ok: the path without Done ends in a call that does not return.
func fatalPath(u string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if err := fetch(u); err != nil {
			log.Fatal(err)
		}
		wg.Done()
	}()
	wg.Wait()
}

// ok: a helper of another package receives the group: it may be the one that calls Done.
func helperElsewhere(u string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if err := fetch(u); err != nil {
			dep.Finish(&wg)
			return
		}
		wg.Done()
	}()
	wg.Wait()
}

// reported: the Done is only on the branch that saves; the other branch falls off the end.
func onlyOneBranch(u string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if fetch(u) == nil {
			save(u)
			wg.Done()
		}
	} /* want `goroutine can reach its end without calling wg.Done` */ ()
	wg.Wait()
}

// reported: runtime.Goexit ends the goroutine, and no deferred Done runs.
func goexit(u string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if fetch(u) != nil {
			runtime.Goexit() // want `runtime.Goexit ends the goroutine without calling wg.Done`
		}
		wg.Done()
	}()
	wg.Wait()
}

// worker is started with a pointer to the caller's group and returns early without Done.
func worker(u string, wg *sync.WaitGroup) {
	if err := fetch(u); err != nil {
		return // want `goroutine returns without calling wg.Done`
	}
	save(u)
	wg.Done()
}

// reported (in worker): the group reaches worker through its parameter.
func namedWorker(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go worker(u, &wg)
	}
	wg.Wait()
}

// okWorker defers Done.
func okWorker(u string, wg *sync.WaitGroup) {
	defer wg.Done()
	if err := fetch(u); err != nil {
		return
	}
	save(u)
}

// ok: the worker defers Done.
func namedOKWorker(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go okWorker(u, &wg) // ok: defers Done
	}
	wg.Wait()
}

type server struct {
	wg   sync.WaitGroup
	reqs chan string
}

// reported: a field group; the loop returns on a closed channel without Done, and Stop waits.
func (s *server) Start() {
	s.wg.Add(1)
	go func() {
		for {
			r, ok := <-s.reqs
			if !ok {
				return // want `goroutine returns without calling s.wg.Done, which it calls on other paths \(done.go:\d+\): a Wait on s.wg blocks forever`
			}
			if r == "stop" {
				s.wg.Done()
				return
			}
		}
	}()
}

func (s *server) Stop() { s.wg.Wait() }

// ok: no Add in the function that starts the goroutine: the count is kept elsewhere.
func (s *server) noAdd() {
	go func() {
		if fetch("") != nil {
			return
		}
		s.wg.Done()
	}()
}

var errSkip = errors.New("skip")

// reported, with a fix: each Done ends a case of the switch that ends the goroutine; the comments stay.
func switchCases(u string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // saver
		// fetch, then save or skip
		switch err := fetch(u); {
		case err == nil:
			save(u)
			// saved
			wg.Done()
		case errors.Is(err, errSkip):
			wg.Done()
		case len(u) > 10:
		default:
			if len(u) == 0 {
				wg.Done()
			} else if len(u) == 1 {
				save(u)
				wg.Done()
			}
		}
	} /* want `goroutine can reach its end without calling wg.Done` */ ()
	wg.Wait()
}

// reported, without a fix: work follows the Done, and a deferred Done would make Wait wait for it too.
func workAfterDone(u string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if err := fetch(u); err != nil {
			return // want `goroutine returns without calling wg.Done`
		}
		wg.Done()
		save(u)
	}()
	wg.Wait()
}

// reported, without a fix: the body defers another call, which a deferred Done would follow instead of
// precede.
func otherDefer(u string, mu *sync.Mutex) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		mu.Lock()
		defer mu.Unlock()
		if err := fetch(u); err != nil {
			return // want `goroutine returns without calling wg.Done`
		}
		wg.Done()
	}()
	wg.Wait()
}

// reported, without a fix: a comment shares the Done's line, and deleting the line would take it along.
func commentOnDone(u string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if err := fetch(u); err != nil {
			return // want `goroutine returns without calling wg.Done`
		}
		wg.Done() // saved nothing
	}()
	wg.Wait()
}

// reported, without a fix: the Done is the last statement of a loop body, which runs again after it.
func doneEndsLoopBody(us []string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		for i := 0; i < len(us); i++ {
			if fetch(us[i]) != nil {
				return // want `goroutine returns without calling wg.Done`
			}
			if i == len(us)-1 {
				wg.Done()
			}
		}
	}()
	wg.Wait()
}
