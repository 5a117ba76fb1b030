package example

import (
	"context"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"
)

// StartLost starts serving s on addr in the background and returns the http.Server so that the caller
// can shut it down.
//
// WRONG: the error returned by srv.ListenAndServe is discarded by the go statement. If addr is already
// in use, ListenAndServe returns at once, and the program runs on without a server; nobody finds out.
func (s *Server) StartLost(addr string) *http.Server {
	srv := &http.Server{Addr: addr, Handler: s}
	go srv.ListenAndServe()
	return srv
}

// Run serves s on addr until the server fails or ctx is done, then shuts the server down.
//
// RIGHT: the goroutine sends the error of ListenAndServe on errc, and Run returns it. errc is buffered,
// so the goroutine can send and exit even when Run has returned through ctx.Done and nobody receives.
func (s *Server) Run(ctx context.Context, addr string) error {
	srv := &http.Server{Addr: addr, Handler: s}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err // the server could not start, or stopped on its own
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// WarmLost fetches keys concurrently into c.
//
// WRONG: the error returned by g.Wait is discarded. When a fetch fails, the group cancels the others and
// WarmLost returns as if the cache were warm; the caller cannot tell.
func (f *Fetcher) WarmLost(ctx context.Context, c *Cache, keys []string) {
	g, ctx := errgroup.WithContext(ctx)
	for _, k := range keys {
		g.Go(func() error {
			v, err := f.Fetch(ctx, k)
			if err != nil {
				return err
			}
			c.Set(k, v)
			return nil
		})
	}
	g.Wait()
}

// Warm fetches keys concurrently into c and returns the first error.
//
// RIGHT: the error of g.Wait is returned to the caller.
func (f *Fetcher) Warm(ctx context.Context, c *Cache, keys []string) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, k := range keys {
		g.Go(func() error {
			v, err := f.Fetch(ctx, k)
			if err != nil {
				return err
			}
			c.Set(k, v)
			return nil
		})
	}
	return g.Wait()
}
