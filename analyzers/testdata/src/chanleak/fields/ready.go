package fields

// A worker waits on ready, which nothing in the package sends on or closes.
type worker struct {
	ready chan struct{}
	done  chan struct{}
	Start chan struct{}
	input chan int
}

func newWorker() *worker {
	return &worker{ready: make(chan struct{}), done: make(chan struct{}), Start: make(chan struct{}), input: make(chan int)}
}

// reported: nothing sends on ready or closes it.
func (w *worker) wait() {
	<-w.ready // want `receive from w.ready blocks forever: nothing in the package sends on w.ready or closes it`
}

// ok: done is closed by finish.
func (w *worker) waitDone() { <-w.done }

func (w *worker) finish() { close(w.done) }

// ok: Start is exported: another package may close it.
func (w *worker) waitStart() { <-w.Start }

// ok: input is passed out of the package's sight (to feed), which may send on it.
func (w *worker) next() int { return <-w.input }

func (w *worker) wire() { feed(w.input) }

func feed(ch chan int) {}

// Identity trap: another type with a field of the same name, which is closed. Identity is by field, so
// closing other.ready does not feed worker.ready (reported above), and other.ready's receive is silent.
type other struct{ ready chan struct{} }

func newOther() *other { return &other{ready: make(chan struct{})} }

func (o *other) open() { close(o.ready) }

// ok: other.ready is closed by open.
func (o *other) wait() { <-o.ready }
