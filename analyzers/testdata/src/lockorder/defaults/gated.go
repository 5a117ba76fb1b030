package defaults

import "sync"

// Statistics merged into a fresh sum, under the group's lock (rclone's accounting): every call of merge
// holds groups.mu, so no two run at once.
type counters struct {
	mu sync.Mutex
	m  map[string]int
}

// ok: merge is unexported, and its every call holds groups.mu.
func (c *counters) merge(o *counters) {
	c.mu.Lock()
	defer c.mu.Unlock()
	o.mu.Lock()
	defer o.mu.Unlock()
	for k, v := range o.m {
		c.m[k] += v
	}
}

type groups struct {
	mu  sync.Mutex
	all []*counters
}

func (g *groups) sum() *counters {
	g.mu.Lock()
	defer g.mu.Unlock()
	s := &counters{m: map[string]int{}}
	for _, c := range g.all {
		s.merge(c)
	}
	return s
}

type pairs struct {
	mu sync.Mutex
	n  int
}

// reported: swap is called once without the gate.
func (p *pairs) swap(o *pairs) {
	p.mu.Lock()
	defer p.mu.Unlock()
	o.mu.Lock() // want `o.mu acquired while p.mu is held: two instances of \(\*pairs\).mu that nothing orders`
	defer o.mu.Unlock()
	p.n, o.n = o.n, p.n
}

func (g *groups) swapUnder(a, b *pairs) {
	g.mu.Lock()
	defer g.mu.Unlock()
	a.swap(b)
}

func swapFree(a, b *pairs) { a.swap(b) }
