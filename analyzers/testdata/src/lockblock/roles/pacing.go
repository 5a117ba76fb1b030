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

// reported: pacing is silent only under a lock that serializes the sleeping code; Items waits here, as it
// would for a constant 10ms (see serializing.Cache.Nap).
func (m *Menu) Rebuild() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.items = nil
	time.Sleep(newMenuDelay) // want `time.Sleep called while m.mu is held \(locked at pacing.go:35\); m.mu also guards Items`
}
