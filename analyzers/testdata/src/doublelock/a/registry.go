package a

import "sync"

// Registry is read-locked recursively, but only test support (registry_fake.go) locks it for writing:
// no writer can queue between the two read locks in the program.
type Registry struct {
	mu    sync.RWMutex
	names map[string]string
}

func (r *Registry) lookup(k string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.names[k]
}

// ok: the only writer of r.mu is in test support.
func (r *Registry) lookupTwo(a, b string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.names[a] + r.lookup(b)
}
