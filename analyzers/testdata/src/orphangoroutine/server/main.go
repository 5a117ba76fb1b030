// Command server runs forever: the goroutines it starts are its purpose.
package main

import (
	"net/http"
	"os"
	"os/signal"
)

func main() {
	// ok: main never returns before the signal, and exits on it.
	go http.ListenAndServe(":8080", nil)
	go mainLoop()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	<-sig
}

func publish() {}

// ok: started by main, it lives as long as the program by design.
func mainLoop() {
	for {
		publish()
	}
}
