// Package logrus is a stand-in for github.com/sirupsen/logrus: its Fatal logs, then exits through a
// function value (Logger.ExitFunc), which no fact can follow.
package logrus

import "os"

type Logger struct{ ExitFunc func(int) }

var std = &Logger{}

func (l *Logger) Exit(code int) {
	if l.ExitFunc == nil {
		l.ExitFunc = os.Exit
	}
	l.ExitFunc(code)
}

func (l *Logger) Fatal(args ...any) { l.Exit(1) }

func Fatal(args ...any) { std.Fatal(args...) }

func Warnf(format string, args ...any) {}
