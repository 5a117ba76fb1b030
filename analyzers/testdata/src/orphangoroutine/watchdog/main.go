// Command watchdog starts goroutines that wait for their parent to go away and then end the process:
// main's return cannot cut off work they do not have. Their twins do work before they exit.
package main

import (
	"fmt"
	"log"
	"os"
	"os/signal"
	"time"
)

// dieOnPipeClose is tailscaled's dieOnPipeReadErrorOfFD: it blocks reading the pipe, then exits.
func dieOnPipeClose(fd int) {
	f := os.NewFile(uintptr(fd), "PARENT_DEATH_FD")
	f.Read(make([]byte, 1))
	os.Exit(1)
}

// saveThenDie writes state after the read: main's return can cut that write off.
func saveThenDie(fd int) {
	f := os.NewFile(uintptr(fd), "PARENT_DEATH_FD")
	f.Read(make([]byte, 1))
	os.WriteFile("state", nil, 0o600)
	os.Exit(1)
}

// dieOrReturn returns when the read succeeds: on that path it does not end the process.
func dieOrReturn(fd int) {
	f := os.NewFile(uintptr(fd), "PARENT_DEATH_FD")
	if _, err := f.Read(make([]byte, 1)); err == nil {
		return
	}
	os.Exit(1)
}

// watch runs the watchdog: a literal calling it is a watchdog too.
func watch(fd int) { dieOnPipeClose(fd) }

// Exit is the package's own, an identity trap: it prints, and returns.
func Exit(code int) { fmt.Println("exit", code) }

func main() {
	fd := 3
	parentGone := make(chan struct{})

	go dieOnPipeClose(fd) // ok: a watchdog: it only reads the pipe, then calls os.Exit

	go saveThenDie(fd) // want `main can return while the goroutine still runs \(end of function at main.go:\d+\): its work may be cut off`

	go dieOrReturn(fd) // want `main can return while the goroutine still runs`

	go func() { // ok: it follows watch to dieOnPipeClose, a watchdog
		watch(fd)
	}()

	go func() { // ok: a timeout watchdog: it waits, then log.Fatal ends the process
		<-time.After(time.Hour)
		log.Fatal("timed out")
	}()

	go func() { // ok: a signal watchdog: signal.Notify registers what it waits on
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, os.Interrupt)
		<-sigs
		os.Exit(1)
	}()

	go func() { // want `main can return while the goroutine still runs`
		<-parentGone
		fmt.Println("parent gone") // work before the exit
		os.Exit(1)
	}()

	go func() { // want `main can return while the goroutine still runs`
		<-parentGone
		Exit(1) // not os.Exit: the package's own Exit returns
	}()

	if len(os.Args) > 5 {
		close(parentGone)
	}
}
