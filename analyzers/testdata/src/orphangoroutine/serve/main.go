// Command serve ends when its server does.
package main

import (
	"log"
	"net/http"
)

func work() {}

func main() {
	go work() // ok: main returns only when the server's blocking call does, and exits then
	log.Fatal(http.ListenAndServe(":8080", nil))
}
