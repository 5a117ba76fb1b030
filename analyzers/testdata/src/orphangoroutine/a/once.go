package a

import (
	"net/http"
	"sync"
	"time"
)

func tick() {
	for {
		refresh()
		time.Sleep(time.Second)
	}
}

var once sync.Once

// ok: sync.Once starts the loop once for the process, however often EnsureAll runs.
func EnsureAll(names []string) {
	for range names {
		once.Do(func() { go tick() })
	}
}

// ok: the function sync.OnceFunc returns runs its argument once.
var startTicking = sync.OnceFunc(func() { go tick() })

// ok: a package-level variable is initialized once, and startBackground is called only there.
var background = startBackground()

func startBackground() bool {
	go tick()
	return true
}

// ok: init runs once.
func init() {
	go tick()
}

type client struct{ started bool }

// ok: the start depends on the client's state (once per client), not on each request.
func (c *client) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.ensure()
}

func (c *client) ensure() {
	if c.started {
		return
	}
	c.started = true
	go tick()
}

type job struct{ run func() }

// ok: the function literal is stored: when, and how often, it runs is not known.
func Jobs(n int) []job {
	var out []job
	for i := 0; i < n; i++ {
		out = append(out, job{run: func() { go tick() }})
	}
	return out
}
