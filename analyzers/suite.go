// Package analyzers is conclint's registry: its own analyzers and the upstream concurrency passes it bundles.
// Adding an analyzer is one line in Own, plus its package, fixtures and docs page.
package analyzers

//go:generate go run ../internal/gendocs ../docs/analyzers

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/atomic"
	"golang.org/x/tools/go/analysis/passes/copylock"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/analysis/passes/loopclosure"
	"golang.org/x/tools/go/analysis/passes/lostcancel"
	"golang.org/x/tools/go/analysis/passes/testinggoroutine"
	"golang.org/x/tools/go/analysis/passes/waitgroup"
	"golang.org/x/tools/go/ast/inspector"
	"honnef.co/go/tools/staticcheck/sa1012"
	"honnef.co/go/tools/staticcheck/sa1015"
	"honnef.co/go/tools/staticcheck/sa1017"
	"honnef.co/go/tools/staticcheck/sa1025"
	"honnef.co/go/tools/staticcheck/sa1027"
	"honnef.co/go/tools/staticcheck/sa1029"
	"honnef.co/go/tools/staticcheck/sa2000"
	"honnef.co/go/tools/staticcheck/sa2001"
	"honnef.co/go/tools/staticcheck/sa2002"
	"honnef.co/go/tools/staticcheck/sa2003"
	"honnef.co/go/tools/staticcheck/sa5002"
	"honnef.co/go/tools/staticcheck/sa5004"
	"honnef.co/go/tools/staticcheck/sa6002"

	"github.com/conclint/conclint/analyzers/chanleak"
	"github.com/conclint/conclint/analyzers/closemisuse"
	"github.com/conclint/conclint/analyzers/doublelock"
	"github.com/conclint/conclint/analyzers/goroutineerr"
	"github.com/conclint/conclint/analyzers/ignoredirective"
	"github.com/conclint/conclint/analyzers/lockblock"
	"github.com/conclint/conclint/analyzers/lockorder"
	"github.com/conclint/conclint/analyzers/lostunlock"
	"github.com/conclint/conclint/analyzers/orphangoroutine"
	"github.com/conclint/conclint/analyzers/sharedcounter"
	"github.com/conclint/conclint/analyzers/wgmisuse"
	"github.com/conclint/conclint/internal/lazyir"
)

// Own returns conclint's own analyzers.
func Own() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		chanleak.Analyzer,
		closemisuse.Analyzer,
		doublelock.Analyzer,
		goroutineerr.Analyzer,
		ignoredirective.Analyzer,
		lockblock.Analyzer,
		lockorder.Analyzer,
		lostunlock.Analyzer,
		orphangoroutine.Analyzer,
		sharedcounter.Analyzer,
		wgmisuse.Analyzer,
	}
}

// Bundled returns the upstream passes whose subject is concurrency, run by the conclint binary next to its
// own; docs/bundled.md says why each is there.
func Bundled() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		// go vet (golang.org/x/tools)
		atomic.Analyzer,
		copylock.Analyzer,
		loopclosure.Analyzer,
		lostcancel.Analyzer,
		testinggoroutine.Analyzer,
		waitgroup.Analyzer,
		// staticcheck (honnef.co/go/tools)
		guardedSA1012,
		lazySA1015,
		lazySA1017,
		lazySA1025,
		lazySA1027,
		lazySA1029,
		sa2000.Analyzer,
		sa2001.Analyzer,
		lazySA2002,
		lazySA2003,
		sa5002.Analyzer,
		sa5004.Analyzer,
		lazySA6002,
	}
}

// The staticcheck checks that need its IR run only on the packages where they can report, which refer to
// the functions whose calls they check; the IR is built only for those (internal/lazyir).
var (
	lazySA1015 = lazyir.Wrap(sa1015.Analyzer, lazyir.Calls("time.Tick"))
	lazySA1017 = lazyir.Wrap(sa1017.Analyzer, lazyir.Calls("os/signal.Notify"))
	// SA1025 reports a Reset whose result an if statement tests.
	lazySA1025 = lazyir.Wrap(sa1025.Analyzer, lazyir.Used("(*time.Timer).Reset"))
	// SA1027 reports only where uintptr has 4 bytes.
	lazySA1027 = lazyir.Wrap(sa1027.Analyzer, lazyir.Sizes32(lazyir.Calls(
		"sync/atomic.AddInt64", "sync/atomic.AddUint64", "sync/atomic.CompareAndSwapInt64",
		"sync/atomic.CompareAndSwapUint64", "sync/atomic.LoadInt64", "sync/atomic.LoadUint64",
		"sync/atomic.StoreInt64", "sync/atomic.StoreUint64", "sync/atomic.SwapInt64", "sync/atomic.SwapUint64")))
	// SA1029 reports a key of a built-in type, of an unnamed empty struct type, or not comparable.
	lazySA1029 = lazyir.Wrap(sa1029.Analyzer, lazyir.Arg("context.WithValue", 1, namedOrPointer))
	// SA2002 reports a go statement whose function calls one of these.
	lazySA2002 = lazyir.Wrap(sa2002.Analyzer, lazyir.InGoroutine(
		"(*testing.common).FailNow", "(*testing.common).Fatal", "(*testing.common).Fatalf",
		"(*testing.common).SkipNow", "(*testing.common).Skip", "(*testing.common).Skipf"))
	// SA2003 reports a deferred Lock or RLock.
	lazySA2003 = lazyir.Wrap(sa2003.Analyzer, lazyir.Deferred("(*sync.Mutex).Lock", "(*sync.RWMutex).RLock"))
	// SA6002 reports a value put in the pool that is not pointer-like.
	lazySA6002 = lazyir.Wrap(sa6002.Analyzer, lazyir.Arg("(*sync.Pool).Put", 0, isPointer))
)

// SA1012 matches a pattern against every call of a package (about 2% of a cold run), to report a call whose
// first argument is nil: it runs only on the packages that make such a call.
var guardedSA1012 = onlyIf(sa1012.Analyzer, nilFirstArg)

// onlyIf returns a copy of a, an analyzer without facts or result, that runs only on the packages where can
// is true: elsewhere a cannot report.
func onlyIf(a *analysis.Analyzer, can func(*analysis.Pass) bool) *analysis.Analyzer {
	if len(a.FactTypes) > 0 || a.ResultType != nil {
		panic("onlyIf: " + a.Name + " has facts or a result")
	}
	w := *a
	w.Run = func(pass *analysis.Pass) (any, error) {
		if !can(pass) {
			return nil, nil
		}
		return a.Run(pass)
	}
	return &w
}

// nilFirstArg reports whether a call of the package passes nil as its first argument (SA1012 requires the
// inspector).
func nilFirstArg(pass *analysis.Pass) bool {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for n := range in.PreorderSeq((*ast.CallExpr)(nil)) {
		if args := n.(*ast.CallExpr).Args; len(args) > 0 {
			if id, ok := ast.Unparen(args[0]).(*ast.Ident); ok && pass.TypesInfo.Uses[id] == types.Universe.Lookup("nil") {
				return true
			}
		}
	}
	return false
}

// namedOrPointer reports whether a context key of type t is one SA1029 accepts whatever it is: of a
// comparable defined type, or a pointer.
func namedOrPointer(t types.Type) bool {
	switch t := t.(type) {
	case *types.Named:
		return types.Comparable(t)
	case *types.Pointer:
		return true
	}
	return false
}

// isPointer reports whether t is a pointer type: a value SA6002 accepts in a pool.
func isPointer(t types.Type) bool {
	_, ok := types.Unalias(t).(*types.Pointer)
	return ok
}

// Suite returns every analyzer of the conclint binary: Own, then Bundled.
func Suite() []*analysis.Analyzer {
	return append(Own(), Bundled()...)
}
