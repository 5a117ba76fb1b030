package a

import (
	"os/exec"
	"time"
)

// ok: the goroutine turns the process's exit into a signal that the select waits on beside a timeout;
// the exit status is collected where the command was started.
func waitOrKill(cmd *exec.Cmd, timeout time.Duration) bool {
	exited := make(chan struct{}, 1)
	go func() {
		defer close(exited)
		cmd.Process.Wait() // ok: an exit watcher
	}()
	select {
	case <-exited:
		return true
	case <-time.After(timeout):
		cmd.Process.Kill()
		return false
	}
}

// reported: nothing learns how the command ended, not even that it did.
func reap(cmd *exec.Cmd) {
	go func() {
		cmd.Wait() // want `goroutine discards the error returned by cmd.Wait`
	}()
}
