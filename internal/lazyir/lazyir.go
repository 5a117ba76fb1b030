// Package lazyir builds staticcheck's IR (its buildir pass) of a package only when a bundled staticcheck
// check can report something there. Eight of the checks conclint bundles (SA1015, SA1017, SA1025, SA1027,
// SA1029, SA2002, SA2003, SA6002) require buildir, which builds the IR of every function of every package
// analyzed, the largest cost of the bundled passes; yet each of them looks only at calls of a few
// functions (time.Tick, (*time.Timer).Reset, ...) that most packages never mention. Wrap gives such a check
// a condition that every package where it can report meets (the package refers to one of those
// functions): on the other packages it does not run, and no IR is built for them. Where it runs, it gets
// the IR that buildir builds, built once for all the wrapped checks, so that its findings are the same.
// It reports nothing.
package lazyir

import (
	"go/ast"
	"go/types"
	"reflect"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	xtypeutil "golang.org/x/tools/go/types/typeutil"
	"honnef.co/go/tools/go/types/typeutil"
	"honnef.co/go/tools/staticcheck/sa1015"
)

// buildir is staticcheck's pass that builds the IR, which its package keeps internal: SA1015's first
// requirement.
var buildir = func() *analysis.Analyzer {
	if b := sa1015.Analyzer.Requires[0]; b.Name == "buildir" {
		return b
	}
	panic("lazyir: SA1015 no longer requires buildir first")
}()

// Analyzer provides the IR of a package, built at the first request, and what the wrapped checks' conditions
// ask of the package. It reports nothing.
var Analyzer = &analysis.Analyzer{
	Name:       "conclint_lazyir",
	Doc:        "build staticcheck's IR of a package only if a bundled check can use it; reports nothing",
	URL:        "https://github.com/conclint/conclint/blob/main/docs/bundled.md",
	Requires:   append([]*analysis.Analyzer{inspect.Analyzer}, buildir.Requires...),
	Run:        run,
	ResultType: reflect.TypeFor[*IR](),
}

// IR is the IR of one package, built by the first wrapped check that runs, and what the package refers to.
type IR struct {
	pass         *analysis.Pass
	funcs        map[string]bool // the functions of wanted that the package refers to, by typeutil.FuncName
	values       map[string]bool // those it refers to other than as the function of a call
	deferred     map[string]bool // those that a defer statement calls
	goStmt       bool            // the package has a go statement
	dynamicDefer bool            // a defer statement calls a function value, not a function, method or literal

	once  sync.Once
	built bool
	res   any // buildir's result
	err   error
}

// wanted are the names (typeutil.FuncName) of the functions that the conditions of Wrap ask about, by
// their short name; Calls and Deferred add to it, at initialization, before any run.
var wanted = make(map[string][]string)

func want(names []string) {
	for _, name := range names {
		short := name[strings.LastIndexByte(name, '.')+1:]
		wanted[short] = append(wanted[short], name)
	}
}

// wantedName returns the name of obj if it is a function of wanted, else "".
func wantedName(obj types.Object) string {
	f, ok := obj.(*types.Func)
	if !ok || wanted[f.Name()] == nil {
		return ""
	}
	name := typeutil.FuncName(f)
	if slices.Contains(wanted[f.Name()], name) {
		return name
	}
	return ""
}

func run(pass *analysis.Pass) (any, error) {
	info := pass.TypesInfo
	r := &IR{pass: pass, funcs: make(map[string]bool), values: make(map[string]bool), deferred: make(map[string]bool)}
	callees := make(map[*ast.Ident]bool) // the names of the functions and methods that calls call
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for n := range in.PreorderSeq((*ast.GoStmt)(nil), (*ast.DeferStmt)(nil), (*ast.CallExpr)(nil)) {
		switch n := n.(type) {
		case *ast.GoStmt:
			r.goStmt = true
		case *ast.DeferStmt:
			switch callee := xtypeutil.Callee(info, n.Call); {
			case wantedName(callee) != "":
				r.deferred[wantedName(callee)] = true
			case callee == nil && !isFuncLit(n.Call.Fun), isVar(callee):
				r.dynamicDefer = true
			}
		case *ast.CallExpr:
			if id := calleeName(n.Fun); id != nil {
				callees[id] = true
			}
		}
	}
	for id, obj := range info.Uses {
		if name := wantedName(obj); name != "" {
			r.funcs[name] = true
			if !callees[id] {
				r.values[name] = true
			}
		}
	}
	return r, nil
}

// calleeName returns the identifier that names the function or method fun calls, if any.
func calleeName(fun ast.Expr) *ast.Ident {
	fun = ast.Unparen(fun)
	switch f := fun.(type) {
	case *ast.IndexExpr: // an instantiation
		fun = ast.Unparen(f.X)
	case *ast.IndexListExpr:
		fun = ast.Unparen(f.X)
	}
	switch f := fun.(type) {
	case *ast.Ident:
		return f
	case *ast.SelectorExpr:
		return f.Sel
	}
	return nil
}

func isFuncLit(e ast.Expr) bool {
	_, ok := ast.Unparen(e).(*ast.FuncLit)
	return ok
}

func isVar(obj types.Object) bool {
	_, ok := obj.(*types.Var)
	return ok
}

// build returns buildir's result for the package, building it at the first call.
func (r *IR) build() (any, error) {
	r.once.Do(func() {
		p := *r.pass
		p.Analyzer = buildir
		r.res, r.err = buildir.Run(&p)
		r.built = true
	})
	return r.res, r.err
}

// Built reports whether the IR of the package was built, that is whether a wrapped check ran on it; ask it
// once the package is analyzed.
func (r *IR) Built() bool { return r.built }

// A Condition reports whether a check can report something in the package: false only if it cannot.
type Condition func(pass *analysis.Pass, ir *IR) bool

// Calls returns the condition that the package refers to one of the functions named (as staticcheck's
// typeutil.FuncName, which its checks match calls with, spells them: "time.Tick", "(*time.Timer).Reset").
// A check that reports only at a static call of one of them cannot report in a package that does not name
// it: the IR builder emits no call of them that the source does not make. Call it at initialization.
func Calls(names ...string) Condition {
	want(names)
	return func(_ *analysis.Pass, ir *IR) bool {
		return slices.ContainsFunc(names, func(name string) bool { return ir.funcs[name] })
	}
}

// Deferred returns the condition that a defer statement of the package may call one of the functions
// named: it calls one of them, or it calls a function value and the package refers to one of them other
// than by calling it (f := (*sync.Mutex).Lock; defer f(&mu)). Call it at initialization.
func Deferred(names ...string) Condition {
	want(names)
	return func(_ *analysis.Pass, ir *IR) bool {
		return slices.ContainsFunc(names, func(name string) bool {
			return ir.deferred[name] || ir.dynamicDefer && ir.values[name]
		})
	}
}

// Go returns the condition that the package has a go statement and c.
func Go(c Condition) Condition {
	return func(pass *analysis.Pass, ir *IR) bool { return ir.goStmt && c(pass, ir) }
}

// Sizes32 returns the condition that uintptr has 4 bytes in the package's build and c.
func Sizes32(c Condition) Condition {
	return func(pass *analysis.Pass, ir *IR) bool {
		return pass.TypesSizes.Sizeof(types.Typ[types.Uintptr]) == 4 && c(pass, ir)
	}
}

// Wrap returns a copy of a, a check that requires buildir, that requires Analyzer instead (and the rest of
// what a requires) and runs a only on the packages where can is true, with the IR built for it then. It
// panics if a does not require buildir.
func Wrap(a *analysis.Analyzer, can Condition) *analysis.Analyzer {
	if !slices.Contains(a.Requires, buildir) {
		panic("lazyir.Wrap: " + a.Name + " does not require buildir")
	}
	w := *a
	w.Requires = []*analysis.Analyzer{Analyzer}
	for _, r := range a.Requires {
		if r != buildir {
			w.Requires = append(w.Requires, r)
		}
	}
	w.Run = func(pass *analysis.Pass) (any, error) {
		ir := pass.ResultOf[Analyzer].(*IR)
		if !can(pass, ir) {
			return nil, nil // the check cannot report here: no IR needed
		}
		res, err := ir.build()
		if err != nil {
			return nil, err
		}
		p := *pass
		p.ResultOf = map[*analysis.Analyzer]any{buildir: res}
		for _, r := range a.Requires {
			if r != buildir {
				p.ResultOf[r] = pass.ResultOf[r]
			}
		}
		return a.Run(&p)
	}
	return &w
}
