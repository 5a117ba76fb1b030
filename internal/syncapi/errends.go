package syncapi

import (
	"go/types"
	"slices"
)

// normalEnds lists, as "pkgpath.Name", the package-level error values documented as the normal end of a
// function rather than a failure: a server's Serve returns http.ErrServerClosed after Shutdown or Close, a
// reader returns io.EOF at the end of its input, an operation on a closed network connection returns
// net.ErrClosed, and a function that gave up because its context was cancelled returns context.Canceled.
var normalEnds = []string{
	"context.Canceled",
	"io.EOF",
	"net.ErrClosed",
	"net/http.ErrServerClosed",
}

// IsNormalEnd reports whether the package-level variable named "pkgpath.Name" is an error value documented
// as a normal end (http.ErrServerClosed, io.EOF, net.ErrClosed, context.Canceled).
func IsNormalEnd(name string) bool { return slices.Contains(normalEnds, name) }

// logPackages lists the logging packages whose functions and methods record the values passed to them:
// the standard log and log/slog, and the most used third-party loggers.
var logPackages = []string{
	"log",
	"log/slog",
	"github.com/sirupsen/logrus",
	"go.uber.org/zap",
	"k8s.io/klog",
	"k8s.io/klog/v2",
	"github.com/hashicorp/go-hclog",
	"github.com/rs/zerolog",
	"github.com/rs/zerolog/log",
}

// IsLogCall reports whether fn is a function or method of a logging package (log, log/slog, logrus, zap,
// klog, hclog, zerolog).
func IsLogCall(fn *types.Func) bool {
	return fn != nil && fn.Pkg() != nil && slices.Contains(logPackages, fn.Pkg().Path())
}
