package a

import "time"

// No fact: the drain of an armed timer that fired waits only for the timer's function to close cancel.
func (d *Deadline) Set(dur time.Duration) {
	if d.armed {
		d.armed = false
		if !d.timer.Stop() {
			<-d.cancel
		}
	}
	if d.cancel == nil {
		d.cancel = make(chan struct{})
	}
	if d.timer == nil {
		cancel := d.cancel
		d.timer = time.AfterFunc(dur, func() { close(cancel) })
	} else {
		d.timer.Reset(dur)
	}
	d.armed = true
}

type Deadline struct {
	timer  *time.Timer
	cancel chan struct{}
	armed  bool
}

// Without the flag, Stop may return false for a timer stopped before: the drain may wait forever.
func (d *Bare) Set(dur time.Duration) { // want Set:`mayBlock\(receive from d.cancel\)`
	if d.timer != nil && !d.timer.Stop() {
		<-d.cancel
	}
	if d.cancel == nil {
		d.cancel = make(chan struct{})
	}
	cancel := d.cancel
	d.timer = time.AfterFunc(dur, func() { close(cancel) })
}

type Bare struct {
	timer  *time.Timer
	cancel chan struct{}
}
