package a

// Identity trap: a local Group with Go and Wait methods, and a local WaitGroup with Go, that run the
// function at once in the calling goroutine.

type Group struct{}

func (*Group) Go(f func() error) { f() }

func (*Group) Wait() error { return nil }

type WaitGroup struct{}

func (*WaitGroup) Go(f func()) { f() }

// ok: the local Group is not errgroup: its Wait is an ordinary call, and its callback no goroutine.
func localGroup(x string) {
	var g Group
	g.Go(func() error {
		if err := process(x); err != nil {
			return nil
		}
		return nil
	})
	g.Wait()
}

// ok: the local WaitGroup's callback runs in the caller, which may drop what it wants.
func localWaitGroup(x string) {
	var wg WaitGroup
	wg.Go(func() { process(x) })
}
