package a

import "sync"

// Case 6: goroutines that assign an error variable of the enclosing function.

// reported: goroutines started in a loop race on err, and all but one error are lost.
func sharedInLoop(xs []string) error {
	var err error
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err = process(x) // want `goroutine assigns err of the enclosing function: concurrent goroutines race on it and all but one error are lost; use errgroup or a mutex-guarded errors.Join`
		}()
	}
	wg.Wait()
	return err
}

// reported: two goroutines started one after the other, with nothing waited for in between.
func sharedByTwo(a, b string) (err error) {
	var wg sync.WaitGroup
	wg.Go(func() {
		if e := process(a); e != nil {
			err = e // want `goroutine assigns err of the enclosing function`
		}
	})
	wg.Go(func() {
		err = process(b) // want `goroutine assigns err of the enclosing function`
	})
	wg.Wait()
	return err
}

// ok: the assignment is made while a mutex is held.
func sharedUnderLock(xs []string) error {
	var (
		mu  sync.Mutex
		err error
		wg  sync.WaitGroup
	)
	for _, x := range xs {
		wg.Go(func() {
			e := process(x)
			mu.Lock()
			if e != nil {
				err = e
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	return err
}

// ok: a single goroutine, joined before err is read.
func single(x string) error {
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		err = process(x)
	}()
	<-done
	return err
}

// ok: err is declared in the loop body: each goroutine has its own.
func perIteration(xs []string, report func(*error)) {
	for _, x := range xs {
		var err error
		go func() { err = process(x) }()
		report(&err)
	}
}

// ok: the second goroutine starts after the first is waited for.
func sequential(a, b string) error {
	var err error
	var wg sync.WaitGroup
	wg.Go(func() { err = process(a) })
	wg.Wait()
	if err != nil {
		return err
	}
	wg.Go(func() { err = process(b) })
	wg.Wait()
	return err
}

// ok: each iteration waits for its goroutine before starting the next one.
func serializedLoop(xs []string) error {
	var err error
	for _, x := range xs {
		done := make(chan struct{})
		go func() {
			defer close(done)
			err = process(x)
		}()
		<-done
		if err != nil {
			return err
		}
	}
	return nil
}

// ok: in a function literal too, the second goroutine starts after the first is waited for.
func sequentialInLiteral(a, b string) func() error {
	return func() error {
		var err error
		var wg sync.WaitGroup
		wg.Go(func() { err = process(a) })
		wg.Wait()
		wg.Go(func() { err = process(b) })
		wg.Wait()
		return err
	}
}

// ok: the two goroutines are started in exclusive branches.
func exclusiveBranches(fast bool, x string) error {
	var err error
	var wg sync.WaitGroup
	if fast {
		wg.Go(func() { err = process(x) })
	} else {
		wg.Go(func() { err = process(x + "slow") })
	}
	wg.Wait()
	return err
}
