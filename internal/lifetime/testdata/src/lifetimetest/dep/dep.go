// Package dep has functions each call of which starts a goroutine that loops forever, known to package
// use through facts, and functions whose goroutines are started once for the process.
package dep

import (
	"context"
	"net/http"
	"sync"
	"time"
)

func refresh() {}

func spin() {
	for {
		refresh()
		time.Sleep(time.Second)
	}
}

type Watcher struct{}

// A constructor that starts the loop through a method.
func NewWatcher() *Watcher { // want NewWatcher:`startsUnstoppable`
	w := &Watcher{}
	w.start()
	return w
}

// No fact: no other package can call start; its callers' facts say it.
func (w *Watcher) start() {
	go w.loop()
}

func (w *Watcher) loop() {
	for {
		refresh()
		time.Sleep(time.Second)
	}
}

// A function literal that loops forever.
func StartLiteral() { // want StartLiteral:`startsUnstoppable`
	go func() {
		for range time.Tick(time.Second) {
			refresh()
		}
	}()
}

// A handler starts one on each request, and on each call.
func Handle(w http.ResponseWriter, r *http.Request) { // want Handle:`startsUnstoppable`
	go spin()
}

// A call in a deferred or immediately called literal is a call of the function.
func Deferred() { // want Deferred:`startsUnstoppable`
	defer func() { StartLiteral() }()
}

// No fact: the goroutine can be stopped.
func Stoppable(ctx context.Context) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
		}
	}()
}

var once sync.Once

// No fact: sync.Once runs it once for the process.
func StartOnce() {
	once.Do(func() { go spin() })
}

// No fact: sync.Once runs it once for the process.
func StartOnceRef() {
	once.Do(startSpin)
}

// No fact: called only through sync.Once.
func startSpin() { go spin() }

// No fact: the literal runs where it is not known.
func Later() func() {
	return func() { go spin() }
}

// No fact: init runs once.
func init() {
	go spin()
}

// No fact: package-level variables are initialized once.
var started = func() bool { go spin(); return true }()

type Lazy struct{ started bool }

// No fact: the start depends on the receiver's state, which outlives the call: once per Lazy.
func (l *Lazy) Ensure() {
	if l.started {
		return
	}
	l.started = true
	go spin()
}

var loop *Lazy

// No fact: the start depends on a package-level variable.
func EnsureGlobal() {
	if loop == nil {
		loop = &Lazy{}
		go spin()
	}
}

// A condition on a local variable does not guard: each call that gets past it starts the loop.
func AfterError(try func() error) error { // want AfterError:`startsUnstoppable`
	if err := try(); err != nil {
		return err
	}
	go spin()
	return nil
}

// A recursive call is not a start of its own: the fact comes from the go statement.
func Walk(n int) { // want Walk:`startsUnstoppable`
	if n > 0 {
		Walk(n - 1)
	}
	go spin()
}
