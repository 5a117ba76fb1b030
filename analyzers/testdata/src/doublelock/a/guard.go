package a

import "sync"

// An upstream whose usage update locks only when asked to (rclone's union backend), and whose root lookup
// creates the root, under mkdirMu, only when asked to (rclone's mega backend).
type upstream struct {
	cacheMu sync.Mutex
	mkdirMu sync.Mutex
	usage   int
	root    *int
}

func (f *upstream) updateCore(lock bool) {
	if lock {
		f.cacheMu.Lock()
		defer f.cacheMu.Unlock()
	}
	f.usage++
}

// ok: the caller holds cacheMu and passes false: updateCore does not lock it.
func (f *upstream) update() {
	f.cacheMu.Lock()
	f.updateCore(false)
	f.cacheMu.Unlock()
}

// reported: true makes updateCore lock the mutex the caller holds.
func (f *upstream) updateTwice() {
	f.cacheMu.Lock()
	f.updateCore(true) // want `f.cacheMu locked again through f.updateCore \(guard.go:16\) while already held`
	f.cacheMu.Unlock()
}

func (f *upstream) mkdir() {
	f.mkdirMu.Lock()
	defer f.mkdirMu.Unlock()
	f.root = new(int)
}

func (f *upstream) findRoot(create bool) *int {
	if !create || f.root != nil {
		return f.root
	}
	f.mkdir()
	return f.root
}

// ok: findRoot creates, and locks mkdirMu, only when create is true.
func (f *upstream) rootLocked() *int {
	f.mkdirMu.Lock()
	defer f.mkdirMu.Unlock()
	return f.findRoot(false)
}

// reported: with create true, findRoot's mkdir locks mkdirMu again.
func (f *upstream) createLocked() *int {
	f.mkdirMu.Lock()
	defer f.mkdirMu.Unlock()
	return f.findRoot(true) // want `f.mkdirMu locked again through f.findRoot → f.mkdir \(guard.go:37\) while already held`
}
