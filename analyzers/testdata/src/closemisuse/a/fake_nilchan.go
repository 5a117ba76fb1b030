package a

// FakeHub is test support: its code is test code.
type FakeHub struct {
	calls chan string
}

// ok: test code, without -closemisuse.tests.
func (f *FakeHub) Next() string { return <-f.calls }

// ok: test code, without -closemisuse.tests.
func fakeWait() {
	var done chan struct{}
	go waitOn(done)
	<-done
}
