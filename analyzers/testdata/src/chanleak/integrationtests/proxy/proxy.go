// Package proxy is test support (under integrationtests): chanleak reports there only with
// -chanleak.tests, as in _test.go files.
package proxy

import "time"

func fetch() string { return "" }

func Fetch() string {
	res := make(chan string)
	go func() {
		res <- fetch() // ok: test support; the same code in package a is reported
	}()
	select {
	case r := <-res:
		return r
	case <-time.After(time.Second):
		return ""
	}
}
