// Command debugsrv starts a debug server and a loop that last as long as the program, and returns when
// its work is done: what they do has no end to wait for.
package main

import (
	"fmt"
	"net/http"
	"time"
)

func poll() {
	for {
		time.Sleep(time.Second)
	}
}

func run() {}

func main() {
	go http.ListenAndServe("localhost:6060", nil) // ok: a server runs until the program ends
	go func() {                                   // ok: tries ports until one serves, then serves until the program ends
		for port := 8080; port < 8090; port++ {
			if err := http.ListenAndServe(fmt.Sprintf(":%d", port), nil); err != nil {
				continue
			}
		}
	}()
	go poll() // ok: it loops forever: there is no end to wait for
	run()
}
