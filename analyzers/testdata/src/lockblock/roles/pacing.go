package roles

import (
	"sync"
	"time"
)

// newMenuDelay is assigned only short constants, as in tailscale's systray.
var newMenuDelay time.Duration

func setDesktop(kde bool) {
	if kde {
		newMenuDelay = 0
	} else {
		newMenuDelay = 10 * time.Millisecond
	}
}

// A Menu's m.mu guards its items, read by Items.
type Menu struct {
	mu    sync.Mutex
	items []string
}

// Items is m.mu's fast path.
func (m *Menu) Items() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.items
}

// ok: a short pause, once per critical section: Items waits at most newMenuDelay (tailscale's systray).
func (m *Menu) Rebuild() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.items = nil
	time.Sleep(newMenuDelay)
}

// reported: the same pause in a loop inside the critical section may repeat any number of times.
func (m *Menu) RebuildAll(names []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, n := range names {
		m.items = append(m.items, n)
		time.Sleep(newMenuDelay) // want `time.Sleep called while m.mu is held \(locked at pacing.go:\d+\); m.mu also guards Items`
	}
}
