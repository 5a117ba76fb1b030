// Package methodexpr defers Lock through a function value only: SA2003 needs its IR all the same.
package methodexpr

import "sync"

var mu sync.Mutex

func deferLock() {
	mu.Lock()
	lock := (*sync.Mutex).Lock
	defer lock(&mu) // SA2003 (staticcheck sees the call of Lock in its IR)
}

func deferCancel(cancel func()) {
	defer cancel()
}
