package a

import "sync"

// ok: test support (a file named fake_*): reported only with -wgmisuse.tests.
func fakeRun(u string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if fetch(u) != nil {
			return
		}
		wg.Done()
	}()
	wg.Wait()
}
