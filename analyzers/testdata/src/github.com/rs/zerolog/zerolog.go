// Package zerolog is a stand-in for github.com/rs/zerolog: Fatal and Panic return an event, and sending
// it (Msg, Msgf, Send) ends the process or panics, through a function value that no fact can follow.
package zerolog

import "os"

type Logger struct{}

type Event struct{ done func(string) }

func (l *Logger) Fatal() *Event { return &Event{done: func(string) { os.Exit(1) }} }

func (l *Logger) Panic() *Event { return &Event{done: func(msg string) { panic(msg) }} }

func (l *Logger) Error() *Event { return &Event{} }

func (e *Event) Err(err error) *Event { return e }

func (e *Event) Str(key, val string) *Event { return e }

func (e *Event) Msg(msg string) {
	if e.done != nil {
		e.done(msg)
	}
}

func (e *Event) Msgf(format string, v ...any) { e.Msg(format) }

func (e *Event) Send() { e.Msg("") }

// Enabled is not a chain method: it does not return the event.
func (e *Event) Enabled() bool { return e != nil }
