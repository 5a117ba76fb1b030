package example

import (
	"context"
	"sync"
	"sync/atomic"
)

// FetchAllRacy fetches keys concurrently and returns the values fetched and the number of failures.
//
// WRONG: failed++ and values[k] = v run in many goroutines at once without synchronization. That is a
// data race: increments are lost, so the count comes out low, and concurrent map writes crash the
// program ("fatal error: concurrent map writes"). The WaitGroup orders the goroutines before the
// return, not with one another.
func (f *Fetcher) FetchAllRacy(ctx context.Context, keys []string) (values map[string][]byte, failed int) {
	values = make(map[string][]byte)
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := f.Fetch(ctx, k)
			if err != nil {
				failed++
				return
			}
			values[k] = v
		}()
	}
	wg.Wait()
	return values, failed
}

// FetchAll fetches keys concurrently and returns the values fetched and the number of failures.
//
// RIGHT: the counter is an atomic.Int64, and a mutex guards the map.
func (f *Fetcher) FetchAll(ctx context.Context, keys []string) (values map[string][]byte, failed int) {
	values = make(map[string][]byte)
	var (
		mu       sync.Mutex // guards values
		failures atomic.Int64
		wg       sync.WaitGroup
	)
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := f.Fetch(ctx, k)
			if err != nil {
				failures.Add(1)
				return
			}
			mu.Lock()
			values[k] = v
			mu.Unlock()
		}()
	}
	wg.Wait()
	return values, int(failures.Load())
}
