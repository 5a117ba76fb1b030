package tests

// FakeHub is test support, reported with -closemisuse.tests.
type FakeHub struct {
	calls chan string
}

func (f *FakeHub) Next() string {
	return <-f.calls // want `receive from f.calls, which is never assigned in this package`
}

func waitOn(chan struct{}) {}

func fakeWait() {
	var done chan struct{}
	go waitOn(done)
	<-done // want `receive from done, which is nil on every path`
}

// ok: assigned.
func fakeAssigned() int {
	ch := make(chan int, 1)
	ch <- 1
	return <-ch
}

// chanLike is not a channel: its Recv is an ordinary method.
type chanLike struct{}

func (chanLike) Recv() int { return 0 }

type holder struct {
	c chanLike
}

// ok: identity, not spelling: h.c is not a channel.
func (h *holder) next() int { return h.c.Recv() }
