package a

import (
	"sync"
	"time"
)

// Timer drains, reduced from fasthttp's pipeDeadline: if !d.timer.Stop() { <-d.cancel } under d.mu, where
// the timer's function closes d.cancel. wait is the fast path of each lock.

// Deadline keeps the protocol: armed is set just after the timer starts and cleared before each Stop, so
// a Stop that returns false means the timer fired, and its function closes cancel without the lock.
type Deadline struct {
	mu     sync.Mutex
	timer  *time.Timer
	cancel chan struct{}
	armed  bool
}

func (d *Deadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.armed {
		d.armed = false
		if !d.timer.Stop() {
			<-d.cancel // ok: the timer fired; its function closes cancel without taking d.mu
		}
	}
	if d.cancel != nil && isClosed(d.cancel) {
		d.cancel, d.timer = nil, nil
	}
	if t.IsZero() {
		return
	}
	if d.cancel == nil {
		d.cancel = make(chan struct{})
	}
	if d.timer == nil {
		cancel := d.cancel
		d.timer = time.AfterFunc(time.Until(t), func() { close(cancel) })
	} else {
		d.timer.Reset(time.Until(t))
	}
	d.armed = true
}

func (d *Deadline) wait() chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cancel == nil {
		d.cancel = make(chan struct{})
	}
	return d.cancel
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// NoFlag drains without a flag: after a Stop that returned true, the next Stop returns false too, and
// the drain waits for a close that never comes.
type NoFlag struct {
	mu     sync.Mutex
	timer  *time.Timer
	cancel chan struct{}
}

func (d *NoFlag) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil && !d.timer.Stop() {
		<-d.cancel // want `receive from d.cancel may block while d.mu is held`
	}
	if !d.timer.Stop() {
		<-d.cancel // want `receive from d.cancel may block while d.mu is held`
	}
	if d.cancel == nil {
		d.cancel = make(chan struct{})
	}
	cancel := d.cancel
	d.timer = time.AfterFunc(time.Until(t), func() { close(cancel) })
}

func (d *NoFlag) wait() chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cancel
}

// Replaced assigns cancel a new channel while the timer may be armed: the drain then waits on a channel
// that the timer does not close.
type Replaced struct {
	mu     sync.Mutex
	timer  *time.Timer
	cancel chan struct{}
	armed  bool
}

func (d *Replaced) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.armed {
		d.armed = false
		if !d.timer.Stop() {
			<-d.cancel // want `receive from d.cancel may block while d.mu is held`
		}
	}
	if d.cancel == nil {
		d.cancel = make(chan struct{})
	}
	cancel := d.cancel
	d.timer = time.AfterFunc(time.Until(t), func() { close(cancel) })
	d.armed = true
}

func (d *Replaced) wait() chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.cancel = make(chan struct{}) // a new channel, whatever the timer holds
	return d.cancel
}

// Locking's timer function takes d.mu before it closes cancel: the drain waits for a lock it holds.
type Locking struct {
	mu     sync.Mutex
	timer  *time.Timer
	cancel chan struct{}
	armed  bool
}

func (d *Locking) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.armed {
		d.armed = false
		if !d.timer.Stop() {
			<-d.cancel // want `receive from d.cancel may block while d.mu is held`
		}
	}
	if d.cancel == nil {
		d.cancel = make(chan struct{})
	}
	d.timer = time.AfterFunc(time.Until(t), func() {
		d.mu.Lock()
		close(d.cancel)
		d.mu.Unlock()
	})
	d.armed = true
}

func (d *Locking) wait() chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cancel
}

// Stopped's Close stops the timer without clearing armed: set's Stop then returns false for a timer
// that never fired.
type Stopped struct {
	mu     sync.Mutex
	timer  *time.Timer
	cancel chan struct{}
	armed  bool
}

func (d *Stopped) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.armed {
		d.armed = false
		if !d.timer.Stop() {
			<-d.cancel // want `receive from d.cancel may block while d.mu is held`
		}
	}
	if d.cancel == nil {
		d.cancel = make(chan struct{})
	}
	cancel := d.cancel
	d.timer = time.AfterFunc(time.Until(t), func() { close(cancel) })
	d.armed = true
}

func (d *Stopped) Close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil {
		d.timer.Stop()
	}
}

func (d *Stopped) wait() chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cancel
}

// Unarmed sets armed where the timer does not start: Stop may return false for a timer stopped before.
type Unarmed struct {
	mu     sync.Mutex
	timer  *time.Timer
	cancel chan struct{}
	armed  bool
}

func (d *Unarmed) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.armed {
		d.armed = false
		if !d.timer.Stop() {
			<-d.cancel // want `receive from d.cancel may block while d.mu is held`
		}
	}
	if d.cancel == nil {
		d.cancel = make(chan struct{})
	}
	if d.timer == nil {
		cancel := d.cancel
		d.timer = time.AfterFunc(time.Until(t), func() { close(cancel) })
	}
	d.armed = true // when the timer exists, it is not reset
}

func (d *Unarmed) wait() chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cancel
}
