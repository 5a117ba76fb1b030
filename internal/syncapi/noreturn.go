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
	return !NoReturn(fn)
}
