package syncapi

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// noReturnFuncs are the package-level functions that never return to their caller.
var noReturnFuncs = map[string]bool{
	"os.Exit": true, "runtime.Goexit": true,
	"log.Fatal": true, "log.Fatalf": true, "log.Fatalln": true,
	"log.Panic": true, "log.Panicf": true, "log.Panicln": true,
}

// Loggers whose Fatal and Panic functions end the process or panic. logrus's and zap's exit through a
// function value (Logger.ExitFunc, a hook) that no fact can follow: they are listed.
var (
	fatalNames   = []string{"Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln"}
	fatalLoggers = map[string][]string{ // package path → types whose methods named fatalNames end the path ("" for functions)
		"github.com/sirupsen/logrus": {"", "Logger", "Entry"},
		"github.com/golang/glog":     {""},
		"k8s.io/klog":                {""},
		"k8s.io/klog/v2":             {""},
		"go.uber.org/zap":            {"SugaredLogger"},
	}
)

func init() {
	for path, types := range fatalLoggers {
		for _, t := range types {
			for _, name := range fatalNames {
				if t == "" {
					noReturnFuncs[path+"."+name] = true
				} else {
					noReturnMethods[path+"."+t+"."+name] = true
				}
			}
		}
	}
	for _, name := range []string{"Exit", "Exitf", "Exitln"} { // glog and klog exit without a stack trace
		noReturnFuncs["github.com/golang/glog."+name] = true
		noReturnFuncs["k8s.io/klog/v2."+name] = true
		noReturnFuncs["k8s.io/klog."+name] = true
	}
	for _, name := range []string{"Fatalw", "Panicw"} {
		noReturnMethods["go.uber.org/zap.SugaredLogger."+name] = true
	}
	noReturnMethods["go.uber.org/zap.Logger.Fatal"] = true
	noReturnMethods["go.uber.org/zap.Logger.Panic"] = true
}

// noReturnMethods are the methods (by package path, type and name) that never return to their caller.
var noReturnMethods = map[string]bool{
	"log.Logger.Fatal": true, "log.Logger.Fatalf": true, "log.Logger.Fatalln": true,
	"log.Logger.Panic": true, "log.Logger.Panicf": true, "log.Logger.Panicln": true,
	"testing.common.FailNow": true, "testing.common.Fatal": true, "testing.common.Fatalf": true,
	"testing.common.SkipNow": true, "testing.common.Skip": true, "testing.common.Skipf": true,
}

// NoReturn reports whether a call to fn ends the path: the process exits, the goroutine exits, or it
// panics. A path ending there reaches no return of its function.
func NoReturn(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	recv := fn.Signature().Recv()
	if recv == nil {
		return noReturnFuncs[fn.Pkg().Path()+"."+fn.Name()]
	}
	return noReturnMethods[fn.Pkg().Path()+"."+RecvTypeName(recv.Type())+"."+fn.Name()]
}

// MayReturn reports whether the call may return to its caller: it is not panic, nor a call of a function
// that NoReturn knows. It is the callback golang.org/x/tools/go/cfg.New takes (bound to info), so every
// control-flow graph the engines build ends its paths at the same calls.
func MayReturn(info *types.Info, call *ast.CallExpr) bool {
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if _, ok := info.Uses[id].(*types.Builtin); ok && id.Name == "panic" {
			return false
		}
	}
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && ZerologSend(fn) && zerologFatalExpr(info, sel.X) {
		return false
	}
	return !NoReturn(fn)
}

// zerolog's Fatal and Panic do not end the path themselves: they return an event, and the call that
// sends it ends the process or panics (log.Fatal().Err(err).Msg("...")). When the level is disabled,
// Fatal and Panic end it at once. FatalExitFunc, a variable a program may set, is taken to exit, as
// logrus's ExitFunc is.
const (
	zerologPath    = "github.com/rs/zerolog"
	zerologLogPath = "github.com/rs/zerolog/log"
)

// ZerologSend reports whether fn sends a zerolog event: Event.Msg, Msgf, MsgFunc or Send. Such a call
// ends the path when its receiver is a fatal event (see ZerologFatal).
func ZerologSend(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != zerologPath {
		return false
	}
	switch fn.Name() {
	case "Msg", "Msgf", "MsgFunc", "Send":
		return IsMethod(fn, zerologPath, "Event", fn.Name())
	}
	return false
}

// ZerologFatal reports how a call of fn bears on a fatal event: start is true for a call that makes one
// (Logger.Fatal or Logger.Panic, or package log's Fatal or Panic); chain is true for a method of Event
// that returns its receiver's event (Err, Str, Int, …), which is fatal when its receiver is.
func ZerologFatal(fn *types.Func) (start, chain bool) {
	if fn == nil || fn.Pkg() == nil {
		return false, false
	}
	switch fn.Pkg().Path() {
	case zerologLogPath:
		return IsFunc(fn, zerologLogPath, "Fatal") || IsFunc(fn, zerologLogPath, "Panic"), false
	case zerologPath:
		if IsMethod(fn, zerologPath, "Logger", "Fatal") || IsMethod(fn, zerologPath, "Logger", "Panic") {
			return true, false
		}
		res := fn.Signature().Results()
		return false, IsMethod(fn, zerologPath, "Event", fn.Name()) && res.Len() == 1 && RecvTypeName(res.At(0).Type()) == "Event"
	}
	return false, false
}

// zerologFatalExpr reports whether e is a zerolog fatal event: a call that makes one, or a chain method
// called on one.
func zerologFatalExpr(info *types.Info, e ast.Expr) bool {
	for {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			return false
		}
		fn, _ := typeutil.Callee(info, call).(*types.Func)
		start, chain := ZerologFatal(fn)
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		switch {
		case start:
			return true
		case !chain || !ok:
			return false
		}
		e = sel.X
	}
}
