package a

// Identity trap: a local WaitGroup whose Go runs the function at once, not in a goroutine.

type WaitGroup struct{}

func (*WaitGroup) Go(f func()) { f() }

// ok: the local WaitGroup.Go is a plain call.
func localGo(urls []string) int {
	var wg WaitGroup
	n := 0
	for range urls {
		wg.Go(func() { n++ })
	}
	return n
}
