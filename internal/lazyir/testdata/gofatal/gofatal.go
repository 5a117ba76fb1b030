// Package gofatal starts a goroutine that runs a function of the package that calls t.Fatal: SA2002
// reports it.
package gofatal

import "testing"

func check(t *testing.T) {
	go fail(t)
}

func fail(t *testing.T) {
	t.Fatal("in a goroutine")
}
