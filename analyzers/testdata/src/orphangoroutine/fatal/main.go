// Command fatal serves until it fails: every path out of main ends in logrus's Fatal, which exits.
package main

import (
	"net/http"
	"os"
	"time"

	log "github.com/sirupsen/logrus"
)

func tick(quit chan struct{}) {
	for {
		select {
		case <-quit:
			return
		case <-time.After(time.Second):
		}
	}
}

func main() {
	quit := make(chan struct{})
	go tick(quit) // ok: main never returns: each branch ends in log.Fatal

	if len(os.Args) == 2 {
		err := http.ListenAndServe(os.Args[1], nil)
		log.Fatal(err)
	} else {
		log.Fatal("usage: fatal addr")
	}
}
