package defaults

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// ok: the api-proxy shape: on ctx.Done the receiver shuts the server down, Serve then returns
// http.ErrServerClosed, and the goroutine sends only other errors.
func serveUntilDone(ctx context.Context, hs *http.Server, ln net.Listener) error {
	errs := make(chan error)
	go func() {
		if err := hs.Serve(ln); err != nil && err != http.ErrServerClosed {
			errs <- fmt.Errorf("error serving: %w", err) // ok: sent only if the server was not shut down
		}
	}()
	select {
	case <-ctx.Done():
	case err := <-errs:
		hs.Close()
		return err
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return hs.Shutdown(shutdownCtx)
}

// ok: the guard spelled as an early return with errors.Is, and Close on the way out.
func serveEarlyReturn(ctx context.Context, hs *http.Server) error {
	errs := make(chan error)
	go func() {
		err := hs.ListenAndServe()
		if errors.Is(err, http.ErrServerClosed) {
			return
		}
		errs <- err // ok: http.ErrServerClosed returned early
	}()
	select {
	case <-ctx.Done():
		return hs.Close()
	case err := <-errs:
		return err
	}
}

// reported: the goroutine sends every error, http.ErrServerClosed included, and nobody receives it after
// Shutdown.
func serveUnguarded(ctx context.Context, hs *http.Server, ln net.Listener) error {
	errs := make(chan error)
	go func() {
		if err := hs.Serve(ln); err != nil {
			errs <- err // want `goroutine may block forever sending on errs: the receiver in serveUnguarded can return first`
		}
	}()
	select {
	case <-ctx.Done():
	case err := <-errs:
		return err
	}
	return hs.Shutdown(context.Background())
}

// reported: the guard is there, but the way out leaves the server running: Serve may still fail with
// another error, which nobody receives.
func serveNotStopped(ctx context.Context, hs *http.Server, ln net.Listener) error {
	errs := make(chan error)
	go func() {
		if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			errs <- err // want `goroutine may block forever sending on errs: the receiver in serveNotStopped can return first`
		}
	}()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case err := <-errs:
		return err
	}
}
