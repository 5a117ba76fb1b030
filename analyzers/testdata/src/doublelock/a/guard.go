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

// A ring buffer whose error accessors lock unless told the caller holds the lock (minio's
// internal/ringbuffer: if !locked { r.mu.Lock(); defer r.mu.Unlock() }).
type ring struct {
	mu  sync.Mutex
	err error
}

func (r *ring) readErr(locked bool) error {
	if !locked {
		r.mu.Lock()
		defer r.mu.Unlock()
	}
	return r.err
}

func (r *ring) read() error { return r.readErr(true) }

// ok: the caller holds mu and passes true, directly or through read: readErr does not lock it.
func (r *ring) Read() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.readErr(true); err != nil {
		return err
	}
	return r.read()
}

// reported: false makes readErr lock the mutex the caller holds.
func (r *ring) ReadUnlocked() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.readErr(false) // want `r.mu locked again through r.readErr \(guard.go:\d+\) while already held`
}

// reported: a caller's own flag passed on keeps the guard: its callers decide.
func (r *ring) check(locked bool) error { return r.readErr(locked) }

func (r *ring) Check() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.check(false) // want `r.mu locked again through r.check → r.readErr \(guard.go:\d+\) while already held`
}

// ok: through check, true leaves readErr's lock off.
func (r *ring) CheckLocked() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.check(true)
}
