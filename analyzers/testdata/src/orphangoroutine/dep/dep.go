// Package dep has a function that loops forever, known to other packages through a fact.
package dep

import "time"

func refresh() {}

// Poll loops forever.
func Poll() {
	for {
		refresh()
		time.Sleep(time.Minute)
	}
}
