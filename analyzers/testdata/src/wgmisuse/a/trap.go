package a

// WaitGroup is not sync.WaitGroup: nothing here is reported.
type WaitGroup struct{ n int }

func (w *WaitGroup) Add(n int) { w.n += n }
func (w *WaitGroup) Done()     { w.n-- }
func (w *WaitGroup) Wait()     {}

// ok: identity trap: a local WaitGroup type.
func trap(u string) {
	var wg WaitGroup
	wg.Add(2)
	go func() {
		if fetch(u) != nil {
			return
		}
		wg.Done()
	}()
	wg.Wait()
}
