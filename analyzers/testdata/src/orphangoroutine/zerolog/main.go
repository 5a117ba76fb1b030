// Command zerolog starts signal watchdogs that end the process through zerolog (gitleaks' interrupt
// listener), and twins that only log or use the event for more than its send.
package main

import (
	"os"
	"os/signal"

	"github.com/rs/zerolog"
	"github.com/rs/zerolog/log"
)

func run() {}

func main() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	done := make(chan struct{})
	logger := &zerolog.Logger{}

	go func() { // ok: the fatal event's Msg ends the process
		<-sigs
		log.Fatal().Str("signal", "interrupt").Msg("interrupted, exiting")
	}()

	go func() { // ok: a logger's Panic event, sent with Msgf, does not return either
		<-done
		logger.Panic().Msgf("parent gone")
	}()

	go func() { // want `main can return while the goroutine still runs`
		<-sigs
		log.Error().Msg("interrupted") // an error event returns: the goroutine goes on and returns
	}()

	go func() { // want `main can return while the goroutine still runs`
		<-done
		ev := log.Fatal()
		if ev.Enabled() { // the event is used for more than its send
			ev.Msg("parent gone")
		}
	}()

	run()
	if len(os.Args) > 3 {
		close(done)
	}
}
