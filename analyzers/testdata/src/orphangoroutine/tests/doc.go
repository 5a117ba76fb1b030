// Package tests is checked with -orphangoroutine.tests=true.
package tests

func refresh() {}
