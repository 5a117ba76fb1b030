package a

import "sync"

// A store whose transactions hold its locks from Begin to Commit or Abort (OPA's storage): a read
// transaction keeps rmu read-locked, a write transaction keeps wmu locked and takes rmu only to commit.
type store struct {
	rmu, wmu sync.RWMutex
	data     map[string]string
}

type txn struct {
	write bool
	dirty map[string]string
}

func (db *store) Begin(write bool) *txn {
	if write {
		db.wmu.Lock()
	} else {
		db.rmu.RLock()
	}
	return &txn{write: write}
}

// ok: the RUnlock of a read transaction releases Begin's RLock; the Lock of the other branch cannot
// reach it.
func (db *store) Commit(t *txn) {
	if t.write {
		db.rmu.Lock()
		for k, v := range t.dirty {
			db.data[k] = v
		}
		db.rmu.Unlock()
		db.wmu.Unlock()
	} else {
		db.rmu.RUnlock()
	}
}

// reported: the second RUnlock follows this function's own RLock and RUnlock on the same path.
func (db *store) Get(key string) string {
	db.rmu.RLock()
	v := db.data[key]
	db.rmu.RUnlock()
	db.rmu.RUnlock() // want `db.rmu is unlocked while it is not locked on any path reaching here \(locked at txn.go:43\)`
	return v
}
