package fields

// State guards: a type that keeps its life cycle in a field, set where the stop signal is closed and
// checked before each send (k6's WebSocket).

type readyState int

const (
	connecting readyState = iota
	open
	closed
)

type socket struct {
	state  readyState
	queue  chan event
	done   chan struct{}
	writes int
}

func (w *socket) start() {
	w.queue, w.done = make(chan event), make(chan struct{})
	go w.pump()
	w.state = open
}

func (w *socket) pump() {
	for {
		select {
		case e := <-w.queue:
			handle(e)
		case <-w.done:
			return
		}
	}
}

// closedWithError is where the loop is stopped: the state goes with the close.
func (w *socket) closedWithError() {
	if w.state == closed {
		return
	}
	w.state = closed
	close(w.done)
}

func (w *socket) assertOpen() {
	if w.state != open {
		panic("InvalidStateError")
	}
}

// ok: a helper checks the state first; done is closed only with the state set to closed.
func (w *socket) Send(e event) {
	w.assertOpen()
	w.queue <- e
}

// ok: the check is in the method itself.
func (w *socket) Ping() {
	if w.state != open {
		return
	}
	w.queue <- event{id: -1}
}

// ok: an unexported helper that only guarded methods call.
func (w *socket) SendAll(es []event) {
	w.assertOpen()
	for _, e := range es {
		w.sendOne(e)
	}
}

func (w *socket) sendOne(e event) {
	w.writes++
	w.queue <- e
}

// reported: nothing checks the state before this send.
func (w *socket) Flush() {
	w.queue <- event{} // want `w.queue <- event\{\} blocks forever once pump has returned on w.done`
}

// A stream whose stop is closed without a change of the state that its senders check (k6's gRPC stream):
// a write after the server ended the stream blocks forever.
type stream struct {
	writing readyState
	ended   bool
	queue   chan event
	done    chan struct{}
}

func (s *stream) start() {
	s.queue, s.done = make(chan event), make(chan struct{})
	go s.writer()
}

func (s *stream) writer() {
	for {
		select {
		case e := <-s.queue:
			handle(e)
		case <-s.done:
			return
		}
	}
}

func (s *stream) close() {
	s.ended = true
	close(s.done)
}

// reported: writing is not the state that close sets.
func (s *stream) Write(e event) {
	if s.writing != open {
		return
	}
	s.queue <- e // want `s.queue <- e blocks forever once writer has returned on s.done`
}
