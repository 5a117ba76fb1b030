package a

import (
	"encoding/json"
	"sync"
)

func produce() int { return 1 }

// Reported: done is declared and never made; the worker gets nil too.
func nilLocalReceive() {
	var done chan struct{}
	go waitOn(done)
	<-done // want `receive from done, which is nil on every path to here \(never assigned a channel\): it blocks forever`
}

func waitOn(chan struct{}) {}

// Reported: a send on a channel that no path assigns.
func nilLocalSend() {
	var results chan int
	results <- produce() // want `send on results, which is nil on every path to here`
}

// Reported: a range over a nil channel never runs its body, and never ends.
func nilLocalRange() int {
	var in chan int
	sum := 0
	for v := range in { // want `range over in, which is nil on every path to here \(never assigned a channel\): the loop blocks forever`
		sum += v
	}
	return sum
}

// Reported: ch is set to nil on both branches.
func nilOnBothBranches(b bool) int {
	ch := make(chan int, 1)
	if b {
		ch = nil
	} else {
		ch = nil
	}
	return <-ch // want `receive from ch, which is nil on every path`
}

// Reported: the goroutine reads a variable that only ever holds nil.
func nilCapturedRead() {
	var quit chan struct{}
	go func() {
		v, ok := <-quit // want `receive from quit, which is nil on every path`
		_, _ = v, ok
	}()
}

// Reported once, at the first operation: one finding per channel.
func nilLocalTwice() {
	var ch chan int
	ch <- 1 // want `send on ch, which is nil on every path`
	ch <- 2
}

// ok: select on a nil channel disables the case, which is an idiom.
func nilInSelect(other chan int) int {
	var disabled chan int
	select {
	case v := <-disabled:
		return v
	case v := <-other:
		return v
	}
}

// ok: a single-case select (go/ssa builds it as a plain receive) is still a select.
func nilInSingleSelect() {
	var disabled chan int
	select {
	case disabled <- 1:
	}
}

// ok: assigned on some path.
func assignedOnSomePath(b bool) int {
	var ch chan int
	if b {
		ch = make(chan int, 1)
		ch <- 1
	}
	return <-ch
}

// ok: the closure assigns it before the receive may run.
func assignedByClosure() int {
	var ch chan int
	setup := func() { ch = make(chan int, 1); ch <- 2 }
	setup()
	return <-ch
}

// ok: address taken; init may assign it.
func addressTaken() int {
	var ch chan int
	initChan(&ch)
	return <-ch
}

func initChan(p *chan int) { *p = make(chan int, 1); *p <- 3 }

// ok: var forever chan struct{}; <-forever blocks on purpose.
func blockForever() {
	var forever chan struct{}
	<-forever
}

// ok: compared with nil: the code knows it may be nil.
func comparedWithNil() {
	var ch chan int
	if ch == nil {
		return
	}
	<-ch
}

// ok: a parameter, assigned nil only once it is drained.
func drainedParam(in chan int) int {
	n := 0
	for {
		v, ok := <-in
		if !ok {
			in = nil
			break
		}
		n += v
	}
	return n
}

// Hub's events is never assigned in this package: every receive blocks forever.
type Hub struct {
	mu     sync.Mutex
	events chan string
	ready  chan struct{}
}

func NewHub() *Hub { return &Hub{} }

func (h *Hub) Next() string {
	return <-h.events // want `receive from h.events, which is never assigned in this package \(nil\): it blocks forever`
}

func (h *Hub) Publish(s string) {
	h.events <- s
}

// ok: ready is used only in a select case.
func (h *Hub) Poll() bool {
	select {
	case <-h.ready:
		return true
	default:
		return false
	}
}

// Feed's items is assigned in another method: silent.
type Feed struct {
	items chan int
}

func (f *Feed) start() { f.items = make(chan int) }

// ok: start assigns it.
func (f *Feed) Take() int { return <-f.items }

// Lit's out is set by a composite literal: silent.
type Lit struct {
	out chan int
}

func newLit() *Lit { return &Lit{out: make(chan int, 1)} }

// ok: set by newLit.
func (l *Lit) Send() { l.out <- 1 }

// Pos's c is set by an unkeyed composite literal: silent.
type Pos struct {
	c chan int
	n int
}

func newPos() Pos { return Pos{make(chan int), 1} }

// ok: set by newPos.
func (p Pos) Get() int { return <-p.c }

// Exp's Out is exported: another package may assign it.
type Exp struct {
	Out chan int
}

// ok: exported field.
func (e *Exp) Emit() { e.Out <- 1 }

// Addr's c has its address taken: silent.
type Addr struct {
	c chan int
}

func (a *Addr) init() { initChan(&a.c) }

// ok: address taken in init.
func (a *Addr) Recv() int { return <-a.c }

// Guard's hook is compared with nil before use: silent.
type Guard struct {
	hook chan string
}

// ok: the code knows it may be nil.
func (g *Guard) fire(s string) {
	if g.hook != nil {
		g.hook <- s
	}
}

// Twin's ch is never assigned, but a struct of identical type is, and converts to Twin: silent.
type Twin struct {
	ch chan int
}

type twinSrc struct {
	ch chan int
}

func makeTwin() Twin { return Twin(twinSrc{ch: make(chan int)}) }

// ok: set through the identical struct type twinSrc.
func (t Twin) Wait() int { return <-t.ch }

// Decoded is decoded from JSON, which cannot set an unexported field.
type Decoded struct {
	Name string
	done chan struct{}
}

func decode(b []byte) (*Decoded, error) {
	var d Decoded
	err := json.Unmarshal(b, &d)
	return &d, err
}

// Reported: decoding does not set unexported fields.
func (d *Decoded) Wait() {
	<-d.done // want `receive from d.done, which is never assigned in this package`
}

// Ranger's jobs is never assigned.
type Ranger struct {
	jobs chan func()
}

func (r *Ranger) loop() {
	for job := range r.jobs { // want `range over r.jobs, which is never assigned in this package \(nil\): the loop blocks forever`
		job()
	}
}

// shutdown is never assigned: the receive blocks forever.
var shutdown chan struct{}

func waitShutdown() {
	<-shutdown // want `receive from shutdown, which is never assigned in this package \(nil\): it blocks forever`
}

// reload is assigned in init: silent.
var reload chan struct{}

func init() { reload = make(chan struct{}, 1) }

// ok: init assigns it.
func waitReload() { <-reload }

// ticks has an initializer: silent.
var ticks = make(chan int, 1)

// ok: initialized.
func nextTick() int { return <-ticks }

// Events is exported: another package may assign it.
var Events chan string

// ok: exported variable.
func nextEvent() string { return <-Events }

// Box's c is set by a literal of an instance of the generic type: silent.
type Box[T any] struct {
	c chan T
}

func newBox() *Box[int] { return &Box[int]{c: make(chan int, 1)} }

// ok: newBox sets it.
func (b *Box[T]) get() T { return <-b.c }

// Pipe's c is never assigned, in any instance.
type Pipe[T any] struct {
	c chan T
}

func newPipe() *Pipe[string] { return &Pipe[string]{} }

func (p *Pipe[T]) get() T {
	return <-p.c // want `receive from p.c, which is never assigned in this package \(nil\)`
}
