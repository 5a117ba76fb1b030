// Package lazyir builds staticcheck's IR (its buildir pass) of a package only when a bundled staticcheck
// check can report something there. Eight of the checks conclint bundles (SA1015, SA1017, SA1025, SA1027,
// SA1029, SA2002, SA2003, SA6002) require buildir, which builds the IR of every function of every package
// analyzed, the largest cost of the bundled passes; yet each of them looks only at calls of a few
// functions (time.Tick, (*time.Timer).Reset, ...) that most packages never mention, or mention only as the
// check cannot report (a Reset whose result is discarded, a pointer put in a sync.Pool). Wrap gives such a
// check a condition that every package where it can report meets (the package refers to one of those
// functions, in a way the check can report): on the other packages it does not run, and no IR is built for
// them. Where it runs, it gets
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
	dynamicDefer bool            // a defer statement calls a function value, not a function, method or literal

	calls     map[string][]*ast.CallExpr // the calls of each function of wanted, by name
	discarded map[*ast.CallExpr]bool     // the calls whose results are discarded: statements, go and defer
	goStmts   []*ast.GoStmt
	decls     func() map[*types.Func]*ast.FuncDecl // the package's function declarations, at the first request

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
	r := &IR{pass: pass, funcs: make(map[string]bool), values: make(map[string]bool), deferred: make(map[string]bool),
		calls: make(map[string][]*ast.CallExpr), discarded: make(map[*ast.CallExpr]bool)}
	r.decls = sync.OnceValue(func() map[*types.Func]*ast.FuncDecl { return funcDecls(pass) })
	callees := make(map[*ast.Ident]*ast.CallExpr) // the names of the functions and methods that calls call
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for n := range in.PreorderSeq((*ast.GoStmt)(nil), (*ast.DeferStmt)(nil), (*ast.CallExpr)(nil), (*ast.ExprStmt)(nil)) {
		switch n := n.(type) {
		case *ast.GoStmt:
			r.goStmts = append(r.goStmts, n)
			r.discarded[n.Call] = true
		case *ast.ExprStmt:
			if call, ok := ast.Unparen(n.X).(*ast.CallExpr); ok {
				r.discarded[call] = true
			}
		case *ast.DeferStmt:
			r.discarded[n.Call] = true
			switch callee := xtypeutil.Callee(info, n.Call); {
			case wantedName(callee) != "":
				r.deferred[wantedName(callee)] = true
			case callee == nil && !isFuncLit(n.Call.Fun), isVar(callee):
				r.dynamicDefer = true
			}
		case *ast.CallExpr:
			if id := calleeName(n.Fun); id != nil {
				callees[id] = n
			}
		}
	}
	for id, obj := range info.Uses {
		if name := wantedName(obj); name != "" {
			r.funcs[name] = true
			if call := callees[id]; call != nil {
				r.calls[name] = append(r.calls[name], call)
			} else {
				r.values[name] = true
			}
		}
	}
	return r, nil
}

// funcDecls returns the function declarations of the package with a body, by function.
func funcDecls(pass *analysis.Pass) map[*types.Func]*ast.FuncDecl {
	decls := make(map[*types.Func]*ast.FuncDecl)
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					decls[fn] = fd
				}
			}
		}
	}
	return decls
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

// Used returns the condition that the package may use the result of a call of one of the functions named:
// a call of one is not a statement of its own, nor the call of a go or defer statement (x := f(), if
// f() {...}), or the package refers to one other than by calling it (a method value, whose calls it cannot
// see). A check that reports only where such a result is used cannot report elsewhere: the IR builder
// gives a call whose result the source discards no user. Call it at initialization.
func Used(names ...string) Condition {
	want(names)
	return func(_ *analysis.Pass, ir *IR) bool {
		return slices.ContainsFunc(names, func(name string) bool {
			return ir.values[name] || slices.ContainsFunc(ir.calls[name], func(c *ast.CallExpr) bool { return !ir.discarded[c] })
		})
	}
}

// Arg returns the condition that a call of the function named may pass, as its argument i (the receiver
// not counted), a value whose type is not one that ok accepts. It is true when a call passes an argument
// of a type ok rejects, or that the condition cannot see one by one (the results of a call returning
// several values), when a call is a method expression's, and when the package refers to the function other
// than by calling it. A check whose every finding is an argument of such a type cannot report elsewhere:
// the IR passes the argument with the type it has in the source (converted to an interface parameter by a
// MakeInterface, which staticcheck's callcheck looks through). Call it at initialization.
func Arg(name string, i int, ok func(types.Type) bool) Condition {
	want([]string{name})
	return func(pass *analysis.Pass, ir *IR) bool {
		if ir.values[name] {
			return true
		}
		info := pass.TypesInfo
		for _, c := range ir.calls[name] {
			if sel, isSel := ast.Unparen(c.Fun).(*ast.SelectorExpr); isSel {
				if s := info.Selections[sel]; s != nil && s.Kind() != types.MethodVal {
					return true // a method expression: the receiver is an argument
				}
			}
			var sig *types.Signature
			if t := info.TypeOf(c.Fun); t != nil {
				sig, _ = t.Underlying().(*types.Signature)
			}
			if sig == nil || len(c.Args) != sig.Params().Len() || i >= len(c.Args) {
				return true
			}
			if t := info.TypeOf(c.Args[i]); t == nil || !ok(t) {
				return true
			}
		}
		return false
	}
}

// InGoroutine returns the condition that a go statement of the package may run a function that calls one
// of the functions named: the function literal, or the declaration of the function of the package, that
// it runs refers to one of them, or it runs another function (of another package, or a function value)
// and the package refers to one of them. Call it at initialization.
func InGoroutine(names ...string) Condition {
	want(names)
	return func(pass *analysis.Pass, ir *IR) bool {
		if !slices.ContainsFunc(names, func(name string) bool { return ir.funcs[name] }) {
			return false // the package does not refer to any of them
		}
		for _, g := range ir.goStmts {
			var body *ast.BlockStmt
			if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
				body = lit.Body
			} else if fn := xtypeutil.StaticCallee(pass.TypesInfo, g.Call); fn != nil && fn.Pkg() == pass.Pkg && ir.decls()[fn.Origin()] != nil {
				body = ir.decls()[fn.Origin()].Body
			} else {
				return true // a function of another package, or a function value
			}
			if refersTo(pass.TypesInfo, body, names) {
				return true
			}
		}
		return false
	}
}

// refersTo reports whether n refers to one of the functions named.
func refersTo(info *types.Info, n ast.Node, names []string) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && slices.Contains(names, wantedName(info.Uses[id])) {
			found = true
		}
		return !found
	})
	return found
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
