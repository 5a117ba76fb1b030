package a

import (
	"context"
	"time"

	"orphangoroutine/dep"
)

func refresh() {}

// reported: an endless loop with nothing but a sleep.
func StartRefresh() {
	go func() { // want `goroutine loops forever with no way to stop it \(loop at a.go:15\); pass a context.Context and return when ctx.Done\(\) is closed`
		for {
			refresh()
			time.Sleep(time.Minute)
		}
	}()
}

// reported: a ticker loop without a stop case.
func StartTicker() {
	ticker := time.NewTicker(time.Minute)
	go func() { // want `goroutine ranges over ticker.C forever with no way to stop it \(loop at a.go:26\); select on the ticker and on ctx.Done\(\) instead`
		for range ticker.C {
			refresh()
		}
	}()
}

// reported: a named function of another package that loops forever, known through its fact.
func StartPoll() {
	go dep.Poll() // want `goroutine runs dep.Poll, which loops forever with no way to stop it \(loop at dep.go:10\)`
}

// reported: a named function of this package.
func StartLocal() {
	go spin() // want `goroutine runs spin, which loops forever`
}

func spin() {
	for {
		refresh()
		<-time.After(time.Second)
	}
}

// ok: the loop returns when ctx is done.
func StartStoppable(ctx context.Context) {
	go func() {
		ticker := time.NewTicker(time.Minute)
		defer ticker.Stop()
		for {
			select {
			case <-ticker.C:
				refresh()
			case <-ctx.Done():
				return
			}
		}
	}()
}

// ok: the loop receives work from a channel; whoever closes it is not tracked, but the goroutine is not
// spinning on timers.
func StartWorker(jobs chan func()) {
	go func() {
		for job := range jobs {
			job()
		}
	}()
}

// ok: the loop breaks out when refresh fails.
func StartUntilError(try func() error) {
	go func() {
		for {
			if try() != nil {
				break
			}
			time.Sleep(time.Second)
		}
	}()
}

// reported: a break inside a select leaves the select, not the loop.
func StartSelectBreak() {
	go func() { // want `goroutine loops forever`
		for {
			select {
			case <-time.After(time.Second):
				break
			}
		}
	}()
}

// ok: not main or a test, and not an endless loop: the goroutine ends after its work (with -orphangoroutine.ctx
// it would be reported, since the function has a context it does not pass).
func FireAndForget(ctx context.Context) {
	go refresh()
}

// ok: silenced with a directive.
func StartSilenced() {
	//conclint:ignore orphangoroutine the process-wide metrics loop lives as long as the process
	go spin()
}

// reported: a goroutine started in init lives as long as the process, but nothing can stop its loop.
func init() {
	go spin() // want `goroutine runs spin, which loops forever`
}
