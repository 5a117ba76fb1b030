package a

import "sync"

// reported, at the select that returns while workers can still send (VictoriaMetrics vmctl's opentsdb
// migration), not at the range after close(errCh): by then every worker is done.
func drainAfterClose(groups [][]string, failed chan error) error {
	for _, jobs := range groups {
		errCh := make(chan error)
		work := make(chan string)
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range work { // want `goroutine may block forever ranging over work: drainAfterClose can return without closing it \(select at drain.go:26\)`
					if err := check(j); err != nil {
						errCh <- err // want `goroutines started in a loop may block forever sending on errCh: the receiving loop in drainAfterClose can return early \(return at drain.go:28\); make errCh buffered \(capacity 4\)`
						return
					}
				}
			}()
		}
		for _, j := range jobs {
			for range 2 {
				select {
				case err := <-errCh:
					return err
				case err := <-failed:
					return err
				case work <- j:
				}
			}
		}
		close(work)
		wg.Wait()
		close(errCh)
		for err := range errCh {
			return err
		}
	}
	return nil
}

// ok: the only receiving loop runs after close(errCh), and a send after it would panic: the function takes
// every sender to be done (here they are: wg.Wait comes first).
func onlyAfterClose(jobs []string) error {
	errCh := make(chan error)
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := check(j); err != nil {
				errCh <- err
			}
		}()
	}
	wg.Wait()
	close(errCh)
	for err := range errCh {
		return err
	}
	return nil
}
