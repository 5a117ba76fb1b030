package roles

import (
	"sync"
	"time"
)

// A FakeFS simulates a slow filesystem for tests and benchmarks; the file is test support by its name.
type FakeFS struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (f *FakeFS) Stat(name string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.files[name]
	return ok
}

// ok: test support (reported with -lockblock.tests), though Stat is a fast path.
func (f *FakeFS) Read(name string) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	time.Sleep(10 * time.Millisecond) // simulated latency
	return f.files[name]
}
