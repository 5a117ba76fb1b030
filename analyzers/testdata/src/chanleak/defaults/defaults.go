// Package defaults holds what chanleak reports with its default flags: a send on an unbuffered channel
// that the receiver can abandon; a buffered channel left full only with -chanleak.buffered.
package defaults

import (
	"errors"
	"time"
)

func fetch(url string) string { return url }

// reported: on timeout nobody receives, and the goroutine blocks forever on the unbuffered send.
func unbuffered(url string) (string, error) {
	ch := make(chan string)
	go func() {
		ch <- fetch(url) // want `goroutine may block forever sending on ch: the receiver in unbuffered can return first \(select at defaults.go:18\); make ch buffered \(capacity 1\)`
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(time.Second):
		return "", errors.New("timeout")
	}
}

// ok: two sends and room for one: the second blocks only if the timeout fires before the first send,
// reported with -chanleak.buffered.
func twoSends(url string) (string, error) {
	res := make(chan string, 1)
	go func() {
		res <- "start"
		res <- fetch(url)
	}()
	select {
	case r := <-res:
		return r, nil
	case <-time.After(time.Second):
		return "", errors.New("timeout")
	}
}
