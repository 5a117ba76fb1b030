// Command daemon starts goroutines for the life of the process, and one per connection.
package main

import (
	"net"
	"time"

	"orphangoroutine/dep"
)

func metrics() {
	for {
		time.Sleep(time.Minute)
	}
}

func watch(name string) {
	for {
		time.Sleep(time.Second)
	}
}

func keepAlive(c net.Conn) {
	for {
		c.Write([]byte{0})
		time.Sleep(time.Second)
	}
}

// handle starts a keep-alive loop for the connection; nothing stops it when the connection ends.
func handle(c net.Conn) {
	go keepAlive(c)
}

func main() {
	go metrics() // ok: started by main, it lives as long as the program by design

	for _, name := range []string{"users", "groups"} {
		go watch(name) // ok: a loop over the configuration in main starts a fixed set of goroutines
	}

	dep.NewWatcher() // ok: once for the process

	ln, err := net.Listen("tcp", ":0")
	if err != nil {
		return
	}
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		handle(c) // want `handle called in a loop \(main.go:48\): each call starts a goroutine that loops forever with no way to stop it \(main.go:32\)`
	}
}
