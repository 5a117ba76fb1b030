package a

import "time"

// Identity traps: types that look like sync's but are not.

type Mutex struct{}

func (*Mutex) Lock()   {}
func (*Mutex) Unlock() {}

type WaitGroup struct{}

func (*WaitGroup) Wait() {}

// ok: a local Mutex type is not a sync.Mutex.
func localMutex(m *Mutex) {
	m.Lock()
	time.Sleep(time.Second)
	m.Unlock()
}

// ok: a local WaitGroup.Wait does not block, whatever its name.
func (c *Cache) localWait(wg *WaitGroup) {
	c.mu.Lock()
	defer c.mu.Unlock()
	wg.Wait()
}
