// Command blocks never returns from main.
package main

func work() {}

func main() {
	go work() // ok: main blocks forever below
	select {}
}
