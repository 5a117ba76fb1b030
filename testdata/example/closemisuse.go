package example

import "context"

// CheckLeaky fetches keys concurrently and returns the first error.
//
// WRONG: on the first error it closes errs while the other goroutines may still send on it: their send
// panics and takes the whole proxy down.
func (f *Fetcher) CheckLeaky(ctx context.Context, keys []string) error {
	errs := make(chan error, len(keys))
	for _, k := range keys {
		go func() {
			_, err := f.Fetch(ctx, k)
			errs <- err
		}()
	}
	for range keys {
		if err := <-errs; err != nil {
			close(errs)
			return err
		}
	}
	return nil
}

// Check fetches keys concurrently and returns the first error.
//
// RIGHT: errs has room for every send, so no goroutine blocks after the early return, and nobody closes
// it: the goroutines that are left finish their send, and the channel is collected with them.
func (f *Fetcher) Check(ctx context.Context, keys []string) error {
	errs := make(chan error, len(keys))
	for _, k := range keys {
		go func() {
			_, err := f.Fetch(ctx, k)
			errs <- err
		}()
	}
	for range keys {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}
