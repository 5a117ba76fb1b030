// Package log is a stand-in for github.com/rs/zerolog/log, the global logger's functions.
package log

import "github.com/rs/zerolog"

var Logger zerolog.Logger

func Fatal() *zerolog.Event { return Logger.Fatal() }

func Panic() *zerolog.Event { return Logger.Panic() }

func Error() *zerolog.Event { return Logger.Error() }
