package a

import "time"

// Identity trap: a local Group whose Go runs the function at once, and a local WaitGroup whose Wait does
// not wait for goroutines.

type Group struct{}

func (Group) Go(f func() error) { f() }

type WaitGroup struct{}

func (*WaitGroup) Wait() {}

// ok: the local Group.Go is a plain call, not a goroutine: the send is the parent's own, and the parent
// receives.
func localGroup() string {
	ch := make(chan string, 1)
	var g Group
	g.Go(func() error { ch <- "x"; return nil })
	return <-ch
}

// reported: the local WaitGroup.Wait does not join the goroutine.
func localWait(url string) string {
	ch := make(chan string)
	var wg WaitGroup
	go func() { ch <- fetch(url) }() // want `goroutine may block forever sending on ch`
	wg.Wait()
	select {
	case r := <-ch:
		return r
	case <-time.After(time.Second):
		return ""
	}
}
