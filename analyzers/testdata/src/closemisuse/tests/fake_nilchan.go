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
