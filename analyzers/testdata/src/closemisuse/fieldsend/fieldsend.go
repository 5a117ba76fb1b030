package fieldsend

import (
	"context"
	"sync"
)

func work() int { return 1 }

// Pump's loop sends on p.out until the process ends; Close closes p.out under it.
type Pump struct {
	out chan int
}

func NewPump() *Pump { return &Pump{out: make(chan int)} }

func (p *Pump) Start() { go p.loop() }

func (p *Pump) loop() {
	for {
		v := work()
		p.out <- v
	}
}

func (p *Pump) Close() {
	close(p.out) // want `p.out closed by Pump.Close while Pump.loop \(started at fieldsend.go:17\) may still send on it: its next send panics \(send on closed channel\); stop Pump.loop and wait for it before closing p.out`
}

// Reported: a function literal started by Run sends through a method it calls on the receiver; the
// constructor assigns the field.
type Feed struct {
	results chan int
}

func newFeed() *Feed {
	f := new(Feed)
	f.results = make(chan int, 8)
	return f
}

func (f *Feed) emit(v int) { f.results <- v }

func (f *Feed) Run(n int) {
	go func() {
		for i := 0; i < n; i++ {
			f.emit(i)
		}
	}()
}

func (f *Feed) Stop() {
	close(f.results) // want `f.results closed by Feed.Stop while the goroutine started at fieldsend.go:45 may still send on it: its next send panics`
}

// Reported: the one send of a goroutine that serves until Close; the Wait of a local type named like
// sync.WaitGroup does not join anything (identity trap).
type waitGroup struct{}

func (waitGroup) Wait() {}

type Server struct {
	errc chan error
	wg   waitGroup
}

func NewServer() *Server { return &Server{errc: make(chan error, 1)} }

func (s *Server) serve() error { return nil }

func (s *Server) Serve() {
	go func() { s.errc <- s.serve() }()
}

func (s *Server) Close() {
	s.wg.Wait()
	close(s.errc) // want `s.errc closed by Server.Close while the goroutine started at fieldsend.go:72 may still send on it`
}

// ok: Close waits for the sender with a WaitGroup before it closes.
type Joined struct {
	out chan int
	wg  sync.WaitGroup
}

func NewJoined() *Joined { return &Joined{out: make(chan int)} }

func (j *Joined) Start() {
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		j.out <- work()
	}()
}

func (j *Joined) Close() {
	j.wg.Wait()
	close(j.out)
}

// ok: Close closes done first, and the sender's send is in a select on done.
type Ticker struct {
	out  chan int
	done chan struct{}
}

func NewTicker() *Ticker { return &Ticker{out: make(chan int), done: make(chan struct{})} }

func (t *Ticker) Start() { go t.loop() }

func (t *Ticker) loop() {
	for {
		select {
		case t.out <- work():
		case <-t.done:
			return
		}
	}
}

func (t *Ticker) Close() {
	close(t.done)
	close(t.out)
}

// ok: Close receives from a channel the sender closes when it exits.
type Drainer struct {
	out    chan int
	exited chan struct{}
	stop   bool
}

func NewDrainer() *Drainer { return &Drainer{out: make(chan int, 1), exited: make(chan struct{})} }

func (d *Drainer) Start() { go d.loop() }

func (d *Drainer) loop() {
	defer close(d.exited)
	for !d.stop {
		d.out <- work()
	}
}

func (d *Drainer) Close() {
	<-d.exited
	close(d.out)
}

// ok: the close runs once, under a sync.Once (not a close on every path of the method).
type OncePump struct {
	once sync.Once
	out  chan int
}

func NewOncePump() *OncePump { return &OncePump{out: make(chan int)} }

func (p *OncePump) Start() { go p.loop() }

func (p *OncePump) loop() {
	for {
		p.out <- work()
	}
}

func (p *OncePump) Close() {
	p.once.Do(func() { close(p.out) })
}

// ok: Start makes a new channel before each start: a method that assigns the field is a restart.
type Restarter struct {
	out chan int
}

func (r *Restarter) Start() {
	r.out = make(chan int)
	go r.loop()
}

func (r *Restarter) loop() {
	for {
		r.out <- work()
	}
}

func (r *Restarter) Close() { close(r.out) }

// ok: the channel escapes through Out: code the analyzer does not follow may own it.
type Escaper struct {
	out chan int
}

func NewEscaper() *Escaper { return &Escaper{out: make(chan int)} }

func (e *Escaper) Out() <-chan int { return e.out }

func (e *Escaper) Start() { go e.loop() }

func (e *Escaper) loop() {
	for {
		e.out <- work()
	}
}

func (e *Escaper) Close() { close(e.out) }

// ok: Shutdown cancels the sender and waits for it before it calls the method that closes.
type Worker struct {
	out    chan int
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func NewWorker() *Worker { return &Worker{out: make(chan int)} }

func (w *Worker) Start(ctx context.Context) {
	ctx, w.cancel = context.WithCancel(ctx)
	w.wg.Add(1)
	go w.loop(ctx)
}

func (w *Worker) loop(ctx context.Context) {
	defer w.wg.Done()
	for ctx.Err() == nil {
		w.out <- work()
	}
}

func (w *Worker) closeOut() { close(w.out) }

func (w *Worker) Shutdown() {
	w.cancel()
	w.wg.Wait()
	w.closeOut()
}

// ok: the sender checks a flag under the lock that the closer sets before it closes.
type Guarded struct {
	mu     sync.Mutex
	closed bool
	out    chan int
}

func NewGuarded() *Guarded { return &Guarded{out: make(chan int, 1)} }

func (g *Guarded) Start() { go g.loop() }

func (g *Guarded) loop() {
	for {
		g.mu.Lock()
		if g.closed {
			g.mu.Unlock()
			return
		}
		select {
		case g.out <- work():
		default:
		}
		g.mu.Unlock()
	}
}

func (g *Guarded) Close() {
	g.mu.Lock()
	g.closed = true
	close(g.out)
	g.mu.Unlock()
}

// ok: an exported field may be sent on or replaced by other packages.
type Public struct {
	Out chan int
}

func (p *Public) Start() { go p.loop() }

func (p *Public) loop() {
	for {
		p.Out <- work()
	}
}

func (p *Public) Close() { close(p.Out) }

// Reported: the constructor starts the sender; a method that is not the closer calls nothing that
// could stop it.
type Source struct {
	events chan string
}

func NewSource() *Source {
	s := &Source{events: make(chan string, 16)}
	go s.poll()
	return s
}

func (s *Source) poll() {
	for {
		s.events <- "tick"
	}
}

func (s *Source) Events() int { return len(s.events) }

func (s *Source) Close() error {
	close(s.events) // want `s.events closed by Source.Close while Source.poll \(started at fieldsend.go:\d+\) may still send on it`
	return nil
}

// ok: the sender runs the closer itself, after its last send.
type Self struct {
	out chan int
}

func NewSelf() *Self {
	s := &Self{out: make(chan int, 1)}
	go s.run()
	return s
}

func (s *Self) run() {
	for i := 0; i < 3; i++ {
		s.out <- i
	}
	s.finish()
}

func (s *Self) finish() { close(s.out) }

// ok: the sender calls a function value when it is done, which may be the closer (NewHooked passes it).
type Hooked struct {
	out    chan int
	onDone func()
}

func NewHooked() *Hooked {
	h := &Hooked{out: make(chan int, 1)}
	h.onDone = h.Finish
	go h.run()
	return h
}

func (h *Hooked) run() {
	for i := 0; i < 3; i++ {
		h.out <- i
	}
	h.onDone()
}

func (h *Hooked) Finish() { close(h.out) }

// ok: the closer's caller receives from the sender's exit signal before it closes.
type Quitter struct {
	out  chan int
	quit chan struct{}
}

func NewQuitter() *Quitter {
	q := &Quitter{out: make(chan int, 1), quit: make(chan struct{})}
	go q.loop()
	return q
}

func (q *Quitter) loop() {
	defer close(q.quit)
	for i := 0; i < 3; i++ {
		q.out <- i
	}
}

func (q *Quitter) closeOut() { close(q.out) }

func (q *Quitter) Stop() {
	<-q.quit
	q.closeOut()
}

// ok: nothing calls the unexported method that closes.
type Dead struct {
	out chan int
}

func NewDead() *Dead {
	d := &Dead{out: make(chan int, 1)}
	go d.loop()
	return d
}

func (d *Dead) loop() {
	for {
		d.out <- work()
	}
}

func (d *Dead) shutdown() { close(d.out) }

// ok: Respawn builds new taps in a slice of *Tap (the &Tap elided), each with a new channel: a method
// that builds a value with the field is a restart.
type Tap struct {
	out chan int
}

type Taps struct{ all []*Tap }

func NewTap() *Tap { return &Tap{out: make(chan int)} }

func (t *Tap) Start() { go t.loop() }

func (t *Tap) loop() {
	for {
		t.out <- work()
	}
}

func (t *Tap) Close() { close(t.out) }

func (ts *Taps) Respawn() {
	ts.all = []*Tap{{out: make(chan int)}}
}
