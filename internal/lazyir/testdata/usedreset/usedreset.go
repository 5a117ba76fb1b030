// Package usedreset uses Reset's result through a variable: SA1025 reports it.
package usedreset

import "time"

func reset(t *time.Timer) {
	ok := t.Reset(time.Second)
	if ok {
		<-t.C
	}
}
