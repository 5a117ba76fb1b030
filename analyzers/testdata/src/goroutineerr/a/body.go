package a

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// process fails on an empty x.
func process(x string) error {
	if x == "" {
		return errors.New("empty")
	}
	return nil
}

// Case 2: a call whose error is dropped in a goroutine body.

// reported: the goroutine exists to run ListenAndServe, and drops its error.
func wrapped(srv *http.Server) {
	go func() {
		srv.ListenAndServe() // want `goroutine discards the error returned by srv.ListenAndServe`
	}()
}

// reported: the same in a sync.WaitGroup.Go callback, beside a deferred call.
func waitGroupGo(xs []string) {
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Go(func() {
			defer log.Print("done")
			process(x) // want `goroutine discards the error returned by process`
		})
	}
	wg.Wait()
}

// reported: the error of the write goes to a variable that is never read afterwards.
func unread(c net.Conn) {
	go func() {
		buf := make([]byte, 512)
		n, err := c.Read(buf)
		if err != nil {
			return
		}
		_, err = c.Write(buf[:n]) // want `goroutine discards the error returned by c.Write: err is never read afterwards`
	}()
}

// ok: the variable is read on the next iteration of the loop (found on SSA, not in source order).
func readInLoop(c net.Conn) {
	go func() {
		var err error
		for {
			if err != nil {
				log.Print(err)
				return
			}
			_, err = c.Write([]byte("ping"))
		}
	}()
}

// ok: a side call of a goroutine that does other work is reported only with -goroutineerr.calls.
func sideCall(c net.Conn, data chan []byte) {
	go func() {
		for b := range data {
			c.Write(b)
		}
	}()
}

// ok: an error assigned to _ is deliberately discarded (reported with -goroutineerr.blank).
func blank(srv *http.Server) {
	go func() { _ = srv.ListenAndServe() }()
}

// ok: logged.
func logged(srv *http.Server) {
	go func() {
		if err := srv.ListenAndServe(); err != nil {
			log.Print(err)
		}
	}()
}

// ok: sent on a channel that is received from.
func sentOnChannel(xs []string) error {
	errc := make(chan error, len(xs))
	for _, x := range xs {
		go func() { errc <- process(x) }()
	}
	for range xs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// ok: stored under a held lock.
func underLock(xs []string) []error {
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Go(func() {
			err := process(x)
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		})
	}
	wg.Wait()
	return errs
}

// ok: stored with sync/atomic.
func viaAtomic(x string, last *atomic.Value) {
	go func() {
		if err := process(x); err != nil {
			last.Store(err)
		}
	}()
}

// ok: returned from an errgroup callback.
func returned(xs []string) error {
	var g errgroup.Group
	for _, x := range xs {
		g.Go(func() error { return process(x) })
	}
	return g.Wait()
}

// ok: passed to a callback.
func toCallback(x string, onErr func(error)) {
	go func() {
		err := process(x)
		onErr(err)
	}()
}

// ok: wrapped into a panic.
func panics(x string) {
	go func() {
		if err := process(x); err != nil {
			panic(fmt.Sprintf("process %s: %v", x, err))
		}
	}()
}

// ok: deferred calls are not reported.
func deferred(c net.Conn) {
	go func() {
		defer c.Close()
		defer c.SetDeadline(time.Time{})
		log.Print("serving")
	}()
}

// ok: a call in a function literal nested in the goroutine runs when that literal is called, not here.
func nested(x string, run func(func())) {
	go func() {
		run(func() { process(x) })
	}()
}

// ok: fmt.Println's error is ignored by errcheck's default exclusions.
func printed() {
	go func() { fmt.Println("started") }()
}

// ok: (*strings.Builder).WriteString never returns an error.
func builder(sb *strings.Builder) {
	go func() { sb.WriteString("x") }()
}

// ok: (*bytes.Buffer).Write never returns an error.
func buffer(buf *bytes.Buffer) {
	go func() { buf.Write([]byte("x")) }()
}

// ok: hash.Hash's Write "never returns an error".
func hashed(data []byte) {
	go func() {
		h := sha256.New()
		h.Write(data)
	}()
}

// ok: fmt.Fprintln to os.Stderr is in errcheck's default exclusions.
func toStderr() {
	go func() { fmt.Fprintln(os.Stderr, "started") }()
}

// ok: draining a reader into io.Discard.
func drained(r io.Reader) {
	go func() { io.Copy(io.Discard, r) }()
}

// ok: setting a deadline fails only on a closed connection.
func deadline(c net.Conn) {
	go func() { c.SetDeadline(time.Now()) }()
}

// ok: a Close error is conventionally ignored.
func closed(c net.Conn) {
	go func() { c.Close() }()
}
