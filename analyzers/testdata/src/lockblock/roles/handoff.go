package roles

import (
	"sync"
	"time"
)

// An element of a pipeline: the receive stage locks it and the decrypt stage unlocks it when done, so
// that the in-order stage, which locks it too, waits for the decryption.
type element struct {
	sync.Mutex
	data []byte
}

func newElement() *element { return new(element) }

// flush is a fast path on an element's lock.
func flush(e *element) []byte {
	e.Lock()
	defer e.Unlock()
	return e.data
}

// ok: each element is locked, then handed to the decrypt stage with the lock (sent on decrypt), which
// unlocks it; the sleep in the next iteration holds no lock.
func receive(decrypt chan<- *element, read func() ([]byte, error)) {
	for {
		b, err := read()
		if err != nil {
			time.Sleep(time.Second / 3) // ok: the element locked below was handed off in the previous iteration
			continue
		}
		e := newElement()
		e.data = b
		e.Lock()
		decrypt <- e
	}
}

func decryptStage(in <-chan *element) {
	for e := range in {
		e.data = append(e.data[:0], e.data...)
		e.Unlock()
	}
}
