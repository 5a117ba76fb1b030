// Package tests is checked with -orphangoroutine.tests=true.
package tests

func refresh() {}

func spinForever() {
	for {
		refresh()
	}
}
