package facts

import (
	"context"
	"time"
)

func refresh() {}

func Sleeps() { // want Sleeps:`loopsForever`
	for {
		refresh()
		time.Sleep(time.Second)
	}
}

func Ticks(t *time.Ticker) { // want Ticks:`loopsForever`
	for range t.C {
		refresh()
	}
}

func SelectTimersOnly(t *time.Ticker) { // want SelectTimersOnly:`loopsForever`
	for {
		select {
		case <-t.C:
		case <-time.After(time.Second):
			break // leaves the select only
		}
	}
}

// No fact: returns on cancellation.
func Stoppable(ctx context.Context, t *time.Ticker) {
	for {
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
	}
}

// No fact: a labeled break leaves the loop.
func Labeled() {
loop:
	for {
		select {
		case <-time.After(time.Second):
			break loop
		}
	}
}

// No fact: the loop is driven by a channel someone may close.
func Worker(jobs chan int) {
	for {
		<-jobs
	}
}

// No fact: the endless loop is in a function literal, which runs only if called.
func Literal() func() {
	return func() {
		for {
			time.Sleep(time.Second)
		}
	}
}
