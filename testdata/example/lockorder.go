package example

import "sync"

// Stats counts the hits of each cached key, for a status page.
type Stats struct {
	mu    sync.Mutex
	hits  map[string]int
	cache *Cache
}

// Hit counts a hit on key.
func (st *Stats) Hit(key string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.hits[key]++
}

// GetCounted returns the value of key and counts the hit in st. It holds c.mu while st.Hit locks st.mu:
// the order is c.mu, then st.mu.
func (c *Cache) GetCounted(key string, st *Stats) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.entries[key]
	if ok {
		st.Hit(key)
	}
	return v, ok
}

// ColdKeysHolding returns the cached keys that were never hit.
//
// WRONG: st.cache.Keys locks the cache's mu while st.mu is held, the opposite order of GetCounted. A
// request in GetCounted and the status page in ColdKeysHolding, running at once, can each take their first
// lock and then wait forever for the other's.
func (st *Stats) ColdKeysHolding() []string {
	st.mu.Lock()
	defer st.mu.Unlock()
	var cold []string
	for _, k := range st.cache.Keys() {
		if st.hits[k] == 0 {
			cold = append(cold, k)
		}
	}
	return cold
}

// ColdKeys returns the cached keys that were never hit.
//
// RIGHT: the keys are read before st.mu is taken, so no path requests the cache's mu while holding st.mu:
// the order is the same everywhere.
func (st *Stats) ColdKeys() []string {
	keys := st.cache.Keys()
	st.mu.Lock()
	defer st.mu.Unlock()
	var cold []string
	for _, k := range keys {
		if st.hits[k] == 0 {
			cold = append(cold, k)
		}
	}
	return cold
}

// MergeHits adds the hits counted in from to into.
//
// WRONG: it locks into.mu, then from.mu, two instances of Stats's mu that nothing orders: MergeHits(a, b)
// and MergeHits(b, a) running at once each take their first lock and wait forever for the other's. (The
// cycle of ColdKeysHolding above, between two different locks, is reported with -lockorder.cycles.)
func MergeHits(into, from *Stats) {
	into.mu.Lock()
	defer into.mu.Unlock()
	from.mu.Lock()
	defer from.mu.Unlock()
	for k, n := range from.hits {
		into.hits[k] += n
	}
}

// MergeHitsOrdered adds the hits counted in from to into.
//
// RIGHT: the snapshot of from is taken under from.mu alone, then added under into.mu alone: no goroutine
// holds one Stats's mu while it waits for another's.
func MergeHitsOrdered(into, from *Stats) {
	from.mu.Lock()
	snapshot := make(map[string]int, len(from.hits))
	for k, n := range from.hits {
		snapshot[k] = n
	}
	from.mu.Unlock()
	into.mu.Lock()
	defer into.mu.Unlock()
	for k, n := range snapshot {
		into.hits[k] += n
	}
}
