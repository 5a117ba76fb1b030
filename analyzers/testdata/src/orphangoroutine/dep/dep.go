// Package dep starts goroutines that loop forever. Whether they pile up depends on how often its
// callers start them: facts carry "each call starts a goroutine that loops forever" to package a.
package dep

import "time"

func refresh() {}

// Poll loops forever.
func Poll() {
	for {
		refresh()
		time.Sleep(time.Minute)
	}
}

// A Watcher watches something, forever.
type Watcher struct{}

// NewWatcher starts the watcher's loop, with no way to stop it.
func NewWatcher() *Watcher {
	w := &Watcher{}
	go w.loop() // ok: dep never calls NewWatcher: whether its goroutines pile up depends on the callers
	return w
}

func (w *Watcher) loop() {
	for {
		refresh()
		time.Sleep(time.Second)
	}
}

// A Poller polls, forever.
type Poller struct{}

// NewPoller starts the poller's loop through a method.
func NewPoller() *Poller {
	p := &Poller{}
	p.start()
	return p
}

func (p *Poller) start() {
	go func() { // ok: started on each call of NewPoller, which dep does not call
		for range time.Tick(time.Second) {
			refresh()
		}
	}()
}

// ok: init runs once: the loop lives as long as the process.
func init() {
	go Poll()
}

// A Sink collects metrics; NewSink and NewGauge start its flush loop, with no way to stop it.
type Sink struct{}

func NewSink(name string) *Sink {
	s := &Sink{}
	go s.flush() // ok: dep never calls NewSink
	return s
}

func NewGauge(name string) *Sink {
	s := &Sink{}
	go s.flush() // ok: dep never calls NewGauge
	return s
}

func NewFlusher(name string) *Sink {
	s := &Sink{}
	go s.flush() // ok: dep never calls NewFlusher
	return s
}

func NewTracer(name string) *Sink {
	s := &Sink{}
	go s.flush() // ok: dep never calls NewTracer
	return s
}

func (s *Sink) flush() {
	for {
		refresh()
		time.Sleep(time.Second)
	}
}
