package example

import (
	"context"
	"sync"
	"sync/atomic"
)

// PreloadLeaky fetches keys concurrently to warm the cache.
//
// WRONG: a goroutine whose fetch fails returns before wg.Done, so wg.Wait never returns and the caller
// hangs on the first error.
func (f *Fetcher) PreloadLeaky(ctx context.Context, keys []string) {
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			if _, err := f.Fetch(ctx, k); err != nil {
				return
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

// Preload fetches keys concurrently to warm the cache and returns the number of failures.
//
// RIGHT: wg.Done is deferred, so it runs on every path; the failures are counted.
func (f *Fetcher) Preload(ctx context.Context, keys []string) (failed int) {
	var (
		wg       sync.WaitGroup
		failures atomic.Int64
	)
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.Fetch(ctx, k); err != nil {
				failures.Add(1)
			}
		}()
	}
	wg.Wait()
	return int(failures.Load())
}
