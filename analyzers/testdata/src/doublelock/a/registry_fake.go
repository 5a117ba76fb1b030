package a

// setForTest replaces the names of a Registry; only tests call it.
func (r *Registry) setForTest(names map[string]string) {
	r.mu.Lock()
	r.names = names
	r.mu.Unlock()
}
