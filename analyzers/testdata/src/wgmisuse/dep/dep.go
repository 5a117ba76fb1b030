// Package dep holds a helper that marks a WaitGroup done for its caller, in another package.
package dep

import "sync"

// Finish marks wg done.
func Finish(wg *sync.WaitGroup) { wg.Done() }
