// Package use calls the functions of dep, whose facts say that each call starts a goroutine that loops
// forever.
package use

import "lifetimetest/dep"

func Wrap() *dep.Watcher { // want Wrap:`startsUnstoppable`
	return dep.NewWatcher()
}

// No fact: dep.Stoppable's goroutine can be stopped.
func WrapStoppable() {
	dep.Stoppable(nil)
}

func WrapTwice() { // want WrapTwice:`startsUnstoppable`
	Wrap()
}
