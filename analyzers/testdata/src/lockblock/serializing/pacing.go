package serializing

import (
	"sync"
	"time"
)

// pace is assigned only short constants, as tailscale's systray sets its newMenuDelay per desktop.
var pace time.Duration

// slowPace is pace's twin assigned a long constant.
var slowPace = 5 * time.Millisecond

// argPace is assigned a value that is not constant.
var argPace = 5 * time.Millisecond

// ptrPace is assigned only a short constant, but its address is taken.
var ptrPace = 5 * time.Millisecond

// Pace is assigned only a short constant, but it is exported: another package may assign it.
var Pace = 5 * time.Millisecond

func configure(desktop string, d time.Duration) {
	switch desktop {
	case "kde":
		pace = 0
	default:
		pace = 10 * time.Millisecond
		slowPace = time.Second
	}
	argPace = d
	setDuration(&ptrPace)
}

func setDuration(p *time.Duration) { *p = time.Minute }

// A Painter serializes its drawing with p.mu and waits a little between two steps.
type Painter struct {
	mu    sync.Mutex
	delay time.Duration // set only to short constants
	wait  time.Duration // set to a value that is not constant
}

func newPainter(d time.Duration) *Painter {
	p := &Painter{delay: 5 * time.Millisecond, wait: d}
	if d == 0 {
		p.delay = 20 * time.Millisecond
	}
	return p
}

// ok: pace only ever holds a constant of at most 100ms: pacing, as a constant would be.
func (p *Painter) Step() {
	p.mu.Lock()
	time.Sleep(pace)
	p.mu.Unlock()
}

// ok: p.delay only ever holds short constants (a composite literal, an assignment), whatever the instance.
func (p *Painter) Stroke() {
	p.mu.Lock()
	defer p.mu.Unlock()
	time.Sleep(p.delay)
}

// ok: a local assigned only short constants, on every path.
func (p *Painter) Fill(big bool) {
	d := 5 * time.Millisecond
	if big {
		d = 50 * time.Millisecond
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	<-time.After(d)
}

// reported: slowPace may hold a second.
func (p *Painter) Slow() {
	p.mu.Lock()
	defer p.mu.Unlock()
	time.Sleep(slowPace) // want `time.Sleep called while p.mu is held`
}

// reported: argPace holds whatever configure was given.
func (p *Painter) Arg() {
	p.mu.Lock()
	defer p.mu.Unlock()
	time.Sleep(argPace) // want `time.Sleep called while p.mu is held`
}

// reported: ptrPace may be assigned through a pointer (setDuration assigns it a minute).
func (p *Painter) Ptr() {
	p.mu.Lock()
	defer p.mu.Unlock()
	time.Sleep(ptrPace) // want `time.Sleep called while p.mu is held`
}

// reported: another package may assign Pace.
func (p *Painter) Exported() {
	p.mu.Lock()
	defer p.mu.Unlock()
	time.Sleep(Pace) // want `time.Sleep called while p.mu is held`
}

// reported: p.wait is set from newPainter's parameter.
func (p *Painter) Wait() {
	p.mu.Lock()
	defer p.mu.Unlock()
	time.Sleep(p.wait) // want `time.Sleep called while p.mu is held`
}

// reported: the local grows on every round.
func (p *Painter) Backoff(rounds int) {
	d := time.Millisecond
	p.mu.Lock()
	defer p.mu.Unlock()
	for range rounds {
		time.Sleep(d) // want `time.Sleep called while p.mu is held`
		d *= 2
	}
}

// reported: a parameter holds what the caller passes.
func (p *Painter) Param(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	time.Sleep(d) // want `time.Sleep called while p.mu is held`
}

// A Knob holds a delay: Delay is exported, d is set by an unkeyed literal to a second.
type Knob struct {
	Delay time.Duration
	d     time.Duration
}

var knobs = []*Knob{{5 * time.Millisecond, time.Second}}

// reported: another package may assign k.Delay.
func (p *Painter) ExportedField(k *Knob) {
	p.mu.Lock()
	defer p.mu.Unlock()
	time.Sleep(k.Delay) // want `time.Sleep called while p.mu is held`
}

// reported: the unkeyed literal in knobs sets k.d to a second.
func (p *Painter) Unkeyed(k *Knob) {
	p.mu.Lock()
	defer p.mu.Unlock()
	time.Sleep(k.d) // want `time.Sleep called while p.mu is held`
}

func durations() (time.Duration, time.Duration) { return time.Second, time.Minute }

// reported: a range variable, a type switch variable and the results of a call hold values from elsewhere.
func (p *Painter) Elsewhere(ds []time.Duration, v any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, d := range ds {
		time.Sleep(d) // want `time.Sleep called while p.mu is held`
	}
	switch d := v.(type) {
	case time.Duration:
		time.Sleep(d) // want `time.Sleep called while p.mu is held`
	}
	a, b := durations()
	time.Sleep(a) // want `time.Sleep called while p.mu is held`
	time.Sleep(b) // want `time.Sleep called while p.mu is held`
}
