package syncapi

import "go/types"

// noReturnFuncs are the package-level functions that never return to their caller.
var noReturnFuncs = map[string]bool{
	"os.Exit": true, "runtime.Goexit": true,
	"log.Fatal": true, "log.Fatalf": true, "log.Fatalln": true,
	"log.Panic": true, "log.Panicf": true, "log.Panicln": true,
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
