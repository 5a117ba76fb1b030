// Package lifetime finds where goroutines that loop forever are started, and what the code around each
// start says about how often it runs: in a loop, on each request to an HTTP handler, once for the life of
// the process (main, init, package-level variables, sync.Once, and functions called only from those), or
// once per call of the function that holds it. It exports a StartsUnstoppable fact for each function
// whose every call starts such a goroutine, directly or through the functions it calls, computed at AST
// level so that it is cheap on every dependency. It reports nothing.
package lifetime

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/loops"
	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

// Analyzer computes StartsUnstoppable facts and the starts of the package. It reports nothing.
var Analyzer = &analysis.Analyzer{
	Name:       "conclint_lifetime",
	Doc:        "find where goroutines that loop forever are started and how often each start runs; reports nothing",
	URL:        "https://github.com/conclint/conclint/blob/main/docs/analyzers/orphangoroutine.md",
	Run:        run,
	Requires:   []*analysis.Analyzer{loops.Analyzer},
	ResultType: reflect.TypeFor[*Result](),
	FactTypes:  []analysis.Fact{new(StartsUnstoppable)},
}

// StartsUnstoppable is the fact that each call of a function starts a goroutine that loops forever with
// no way to stop it, directly or through the functions it calls. At is the position of the go statement
// that starts it, "file.go:line".
type StartsUnstoppable struct {
	At string
}

func (*StartsUnstoppable) AFact() {}

func (f *StartsUnstoppable) String() string { return "startsUnstoppable" }

// A Kind says how often the code around a start runs.
type Kind int

const (
	InFunc    Kind = iota // in the body of Func: once per call of Func
	InHandler             // in an HTTP handler: once per request
	InProcess             // once for the process: main, init, a package-level variable, sync.Once, or a function called only from those
	Unknown               // in a function literal whose calls are not known
)

// A Context is the code around a start.
type Context struct {
	Kind      Kind
	Func      *types.Func // the function declaration that holds the start (InFunc, InHandler), or nil
	Handler   ast.Node    // for InHandler: the *ast.FuncDecl or *ast.FuncLit of the handler
	Loop      ast.Stmt    // the innermost loop around the start, within the code Kind describes, or nil
	EventLoop ast.Stmt    // the innermost loop around the start that runs once per event (for {} or a range over a channel), or nil
	Guarded   bool        // the start depends on state that outlives a call (see guards)

	recv *types.Var   // the receiver of Func, if a method
	lit  *ast.FuncLit // for a handler literal: the literal, whose captured variables outlive a request
}

// A Start is a statement or call that starts a goroutine that loops forever with no way to stop it: the
// go statement itself (Direct), or a call of a function that starts one on each call.
type Start struct {
	Node   ast.Node      // the *ast.GoStmt, or the *ast.CallExpr of the call
	Call   *ast.CallExpr // the call: the go statement's, or Node
	Callee *types.Func   // the function called or run by the goroutine; nil for a function literal
	Direct bool          // Node is the go statement of the goroutine that loops forever
	Loop   ast.Stmt      // Direct, with a function literal: its endless loop
	LoopAt string        // Direct, with a named function: the position of its endless loop, "file.go:line"
	Origin string        // the position of the go statement of the goroutine that loops forever, "file.go:line"
	Ctx    Context
}

// Result lists the starts of the package in source order and which of its functions start a goroutine
// that loops forever on each call.
type Result struct {
	Starts   []*Start
	starters map[*types.Func]string
}

// StartsUnstoppable reports whether each call of fn, a function of the package, starts a goroutine that loops
// forever.
func (r *Result) StartsUnstoppable(fn *types.Func) bool {
	_, ok := r.starters[fn]
	return ok
}

func run(pass *analysis.Pass) (any, error) {
	if syncapi.IsRuntime(pass.Pkg.Path()) {
		return &Result{}, nil // the runtime's own goroutines live as long as the process
	}
	lp := pass.ResultOf[loops.Analyzer].(*loops.Result)
	if !seeded(pass, lp) {
		return &Result{}, nil // no goroutine that loops forever is started here, directly or through another package
	}
	w := &walker{
		pass:    pass,
		loops:   lp,
		called:  make(map[*ast.Ident]bool),
		escapes: make(map[*types.Func]bool),
	}
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			w.decl(decl)
		}
	}
	onlyProcess := w.processOnly()
	for _, s := range w.sites {
		if s.Ctx.Kind == InFunc && onlyProcess[s.Ctx.Func] {
			s.Ctx.Kind = InProcess
		}
	}
	starters := w.starters()
	res := &Result{starters: starters}
	for _, s := range w.sites {
		if !s.Direct && s.Callee.Pkg() == pass.Pkg {
			s.Origin = starters[s.Callee]
		}
		if s.Origin != "" && !s.Ctx.Guarded {
			res.Starts = append(res.Starts, s)
		}
	}
	api := syntax.NewAPI(pass.Pkg)
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			if d, ok := decl.(*ast.FuncDecl); ok {
				if fn, ok := pass.TypesInfo.Defs[d.Name].(*types.Func); ok && starters[fn] != "" && api.Callable(fn) {
					pass.ExportObjectFact(fn, &StartsUnstoppable{At: starters[fn]})
				}
			}
		}
	}
	return res, nil
}

// A walker collects the go statements and calls of the package with their contexts.
type walker struct {
	pass    *analysis.Pass
	loops   *loops.Result
	sites   []*Start // go statements that start a loop, and calls of functions of the package or with a fact
	called  map[*ast.Ident]bool
	escapes map[*types.Func]bool // functions of the package used as values, not called
}

func (w *walker) decl(decl ast.Decl) {
	switch d := decl.(type) {
	case *ast.FuncDecl:
		fn, _ := w.pass.TypesInfo.Defs[d.Name].(*types.Func)
		if d.Body == nil || fn == nil {
			return
		}
		ctx := Context{Kind: InFunc, Func: fn}
		if recv := fn.Signature().Recv(); recv != nil {
			ctx.recv = recv
		}
		switch {
		case isProcessRoot(w.pass.Pkg, fn):
			ctx.Kind = InProcess
		case IsHandler(fn.Signature()):
			ctx.Kind, ctx.Handler = InHandler, d
		}
		w.walk(d.Body, ctx)
	case *ast.GenDecl:
		if d.Tok != token.VAR {
			return
		}
		for _, spec := range d.Specs {
			for _, v := range spec.(*ast.ValueSpec).Values {
				w.walk(v, Context{Kind: InProcess}) // package-level variables are initialized once
			}
		}
	}
}

// isProcessRoot reports whether fn runs once for the process: an init function, or main.main.
func isProcessRoot(pkg *types.Package, fn *types.Func) bool {
	if fn.Signature().Recv() != nil {
		return false
	}
	return fn.Name() == "init" || fn.Name() == "main" && pkg.Name() == "main"
}

// IsHandler reports whether sig is the signature of an HTTP handler, func(http.ResponseWriter,
// *http.Request): the server calls it on each request.
func IsHandler(sig *types.Signature) bool {
	p := sig.Params()
	if p.Len() != 2 || sig.Results().Len() != 0 {
		return false
	}
	_, ptr := types.Unalias(p.At(1).Type()).(*types.Pointer)
	return syncapi.IsNamed(p.At(0).Type(), "net/http", "ResponseWriter") && ptr && syncapi.IsNamed(p.At(1).Type(), "net/http", "Request")
}

// walk visits n, which runs in ctx.
func (w *walker) walk(n ast.Node, ctx Context) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BlockStmt:
			w.block(n.List, ctx)
			return false
		case *ast.IfStmt:
			w.walkOpt(n.Init, ctx)
			w.walk(n.Cond, ctx)
			in := ctx
			in.Guarded = ctx.Guarded || w.persistent(n.Cond, ctx)
			w.walk(n.Body, in)
			w.walkOpt(n.Else, in)
			return false
		case *ast.SwitchStmt:
			w.walkOpt(n.Init, ctx)
			w.walkOpt(n.Tag, ctx)
			in := ctx
			in.Guarded = ctx.Guarded || n.Tag != nil && w.persistent(n.Tag, ctx)
			for _, cc := range n.Body.List {
				for _, e := range cc.(*ast.CaseClause).List {
					in.Guarded = in.Guarded || w.persistent(e, ctx)
				}
			}
			w.walk(n.Body, in)
			return false
		case *ast.ForStmt:
			w.walkOpt(n.Init, ctx)
			in := ctx.inLoop(n, n.Cond == nil)
			w.walkOpt(n.Cond, in)
			w.walkOpt(n.Post, in)
			w.walk(n.Body, in)
			return false
		case *ast.RangeStmt:
			w.walk(n.X, ctx)
			_, overChan := w.typeOf(n.X).Underlying().(*types.Chan)
			w.walk(n.Body, ctx.inLoop(n, overChan))
			return false
		case *ast.FuncLit:
			w.walk(n.Body, w.literal(n, false, ctx, false))
			return false
		case *ast.GoStmt:
			w.goStmt(n, ctx)
			return false
		case *ast.CallExpr:
			w.call(n, nil, ctx)
			return false
		case *ast.Ident:
			if fn, ok := w.pass.TypesInfo.Uses[n].(*types.Func); ok && fn.Pkg() == w.pass.Pkg && !w.called[n] {
				w.escapes[fn.Origin()] = true // used as a value: called where it is not known
			}
		}
		return true
	})
}

// block visits a list of statements that run in ctx. The statements after an if statement that may return
// on a condition of state that outlives a call (if s.started { return }) are guarded.
func (w *walker) block(list []ast.Stmt, ctx Context) {
	for _, st := range list {
		w.walk(st, ctx)
		if is, ok := st.(*ast.IfStmt); ok && !ctx.Guarded && w.persistent(is.Cond, ctx) && syntax.Has[*ast.ReturnStmt](is) {
			ctx.Guarded = true
		}
	}
}

// persistent reports whether e, evaluated in ctx, reads state that outlives a call: a package-level
// variable, a field or method of the receiver or of a package-level variable, or, in a handler literal, a
// variable it captures. A start that depends on such state may happen once per value, or once for the
// process (if s.loop == nil { go s.run() }), not on each call. Conditions on local variables (err != nil)
// do not guard.
func (w *walker) persistent(e ast.Node, ctx Context) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.SelectorExpr:
			if w.pass.TypesInfo.Selections[n] != nil && w.outlives(baseIdent(n.X), ctx, true) {
				found = true
			}
		case *ast.Ident:
			if w.outlives(n, ctx, false) {
				found = true
			}
		}
		return !found
	})
	return found
}

// outlives reports whether id names a variable that outlives a call in ctx: a package-level variable, the
// receiver (if selected), or a variable captured by a handler literal.
func (w *walker) outlives(id *ast.Ident, ctx Context, selected bool) bool {
	if id == nil {
		return false
	}
	v, ok := w.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.IsField() {
		return false
	}
	switch {
	case v.Pkg() != nil && v.Parent() == v.Pkg().Scope():
		return true
	case selected && v == ctx.recv:
		return true
	case ctx.lit != nil && v.Pos().IsValid() && (v.Pos() < ctx.lit.Pos() || v.Pos() >= ctx.lit.End()):
		return v.Parent() != types.Universe
	}
	return false
}

// baseIdent returns the variable at the root of a selector, index or call chain: s in s.a.b[i].c().
func baseIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.CallExpr:
			e = x.Fun
		default:
			return nil
		}
	}
}

func (w *walker) walkOpt(n ast.Node, ctx Context) {
	if n != nil {
		w.walk(n, ctx)
	}
}

func (w *walker) typeOf(e ast.Expr) types.Type {
	if t := w.pass.TypesInfo.TypeOf(e); t != nil {
		return t
	}
	return types.Typ[types.Invalid]
}

// inLoop returns the context of the body of loop; event says whether the loop runs once per event.
func (ctx Context) inLoop(loop ast.Stmt, event bool) Context {
	ctx.Loop = loop
	if event {
		ctx.EventLoop = loop
	}
	return ctx
}

// literal returns the context of the body of a function literal found in ctx. A literal that is called
// where it is written, or passed to a call (most callees call what they are given), runs in ctx; one
// passed to sync.Once.Do or sync.OnceFunc runs once; an HTTP handler runs on each request; any other
// literal runs where it is not known.
func (w *walker) literal(lit *ast.FuncLit, once bool, ctx Context, inherit bool) Context {
	if sig, ok := w.typeOf(lit).(*types.Signature); ok && IsHandler(sig) {
		return Context{Kind: InHandler, Handler: lit, lit: lit}
	}
	switch {
	case once:
		return Context{Kind: InProcess}
	case inherit:
		return ctx
	}
	return Context{Kind: Unknown}
}

// goStmt records a go statement whose goroutine loops forever, or that calls a function.
func (w *walker) goStmt(g *ast.GoStmt, ctx Context) {
	if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
		if loop := loops.Endless(w.pass.TypesInfo, lit.Body); loop != nil {
			w.sites = append(w.sites, &Start{Node: g, Call: g.Call, Direct: true, Loop: loop, Origin: w.position(g.Pos()), Ctx: ctx})
		}
		w.call(g.Call, g, ctx)
		return
	}
	fn := typeutil.StaticCallee(w.pass.TypesInfo, g.Call)
	if f := w.loops.LoopsForever(fn); f != nil {
		w.sites = append(w.sites, &Start{Node: g, Call: g.Call, Callee: fn.Origin(), Direct: true, LoopAt: f.At, Origin: w.position(g.Pos()), Ctx: ctx})
		w.call(g.Call, nil, ctx) // the function it runs is what loops, not a start of another goroutine
		return
	}
	w.call(g.Call, g, ctx)
}

// call records a call of a function of the package, or of one with a fact, made in ctx (by the go
// statement g, if not nil), and visits its operands.
func (w *walker) call(call *ast.CallExpr, g *ast.GoStmt, ctx Context) {
	fn := typeutil.StaticCallee(w.pass.TypesInfo, call)
	if id := calleeIdent(call.Fun); id != nil {
		w.called[id] = true
	}
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		w.walk(lit.Body, ctx) // called where it is written
	} else {
		w.walk(call.Fun, ctx)
	}
	once := isOnce(fn)
	for _, arg := range call.Args {
		if lit, ok := ast.Unparen(arg).(*ast.FuncLit); ok {
			w.walk(lit.Body, w.literal(lit, once, ctx, true))
			continue
		}
		if ref := w.funcRef(arg); once && ref != nil {
			w.called[calleeIdent(arg)] = true
			w.sites = append(w.sites, &Start{Node: arg, Call: call, Callee: ref, Ctx: Context{Kind: InProcess}})
		}
		w.walk(arg, ctx)
	}
	if fn == nil || fn.Pkg() == nil {
		return
	}
	fn = fn.Origin()
	node := ast.Node(call)
	if g != nil {
		node = g
	}
	if fn == ctx.Func {
		return // a recursive call: what starts the goroutine is the call from outside
	}
	if fn.Pkg() == w.pass.Pkg {
		w.sites = append(w.sites, &Start{Node: node, Call: call, Callee: fn, Ctx: ctx}) // a start if fn is a starter
		return
	}
	var f StartsUnstoppable
	if w.pass.ImportObjectFact(fn, &f) {
		w.sites = append(w.sites, &Start{Node: node, Call: call, Callee: fn, Origin: f.At, Ctx: ctx})
	}
}

// seeded reports whether the package may start a goroutine that loops forever: a go statement whose
// function literal has an endless loop or whose callee loops forever, or a call of a function of another
// package that starts one. Every start the walker finds with an origin comes from one of these: without
// one, the package has no start to report and no starter to export, and its code need not be walked.
func seeded(pass *analysis.Pass, lp *loops.Result) bool {
	found := false
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if g, ok := n.(*ast.GoStmt); ok {
				if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
					found = loops.Endless(pass.TypesInfo, lit.Body) != nil
				} else {
					found = lp.LoopsForever(typeutil.StaticCallee(pass.TypesInfo, g.Call)) != nil
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	return callsStarters(pass)
}

// callsStarters reports whether the package refers to a function of another package that starts a
// goroutine that loops forever (a StartsUnstoppable fact).
func callsStarters(pass *analysis.Pass) bool {
	for _, obj := range pass.TypesInfo.Uses {
		if fn, ok := obj.(*types.Func); ok && fn.Pkg() != nil && fn.Pkg() != pass.Pkg && pass.ImportObjectFact(fn.Origin(), new(StartsUnstoppable)) {
			return true
		}
	}
	return false
}

// funcRef returns the function of the package that e names, if any.
func (w *walker) funcRef(e ast.Expr) *types.Func {
	id := calleeIdent(e)
	if id == nil {
		return nil
	}
	fn, _ := w.pass.TypesInfo.Uses[id].(*types.Func)
	if fn == nil || fn.Pkg() != w.pass.Pkg {
		return nil
	}
	return fn.Origin()
}

// isOnce reports whether fn runs the function it is given at most once: sync.Once.Do, sync.OnceFunc,
// sync.OnceValue or sync.OnceValues.
func isOnce(fn *types.Func) bool {
	return syncapi.IsMethod(fn, "sync", "Once", "Do") || syncapi.IsFunc(fn, "sync", "OnceFunc") ||
		syncapi.IsFunc(fn, "sync", "OnceValue") || syncapi.IsFunc(fn, "sync", "OnceValues")
}

// calleeIdent returns the identifier that names the function of e: f, x.f, f[T] or x.f[T].
func calleeIdent(e ast.Expr) *ast.Ident {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return e
	case *ast.SelectorExpr:
		return e.Sel
	case *ast.IndexExpr:
		return calleeIdent(e.X)
	case *ast.IndexListExpr:
		return calleeIdent(e.X)
	}
	return nil
}

// processOnly returns the functions of the package that run only for the process: called, and only from
// process-lifetime code (main, init, package-level variables, sync.Once, or another such function) outside
// loops that run once per event, never used as a value, and not callable from other packages.
func (w *walker) processOnly() map[*types.Func]bool {
	calls := make(map[*types.Func][]*Start)        // the calls of each function of the package
	callees := make(map[*types.Func][]*types.Func) // the functions of the package each one calls
	var order []*types.Func
	for _, s := range w.sites {
		if s.Direct || s.Callee.Pkg() != w.pass.Pkg {
			continue
		}
		if calls[s.Callee] == nil {
			order = append(order, s.Callee)
		}
		calls[s.Callee] = append(calls[s.Callee], s)
		if s.Ctx.Func != nil {
			callees[s.Ctx.Func] = append(callees[s.Ctx.Func], s.Callee)
		}
	}
	only := make(map[*types.Func]bool)
	for _, fn := range order {
		if !w.escapes[fn] && (w.pass.Pkg.Name() == "main" || !fn.Exported()) && !IsHandler(fn.Signature()) {
			only[fn] = true
		}
	}
	// Remove the functions with a call from elsewhere, then the functions they call, and so on.
	work := slices.Clone(order)
	for len(work) > 0 {
		fn := work[0]
		work = work[1:]
		if !only[fn] {
			continue
		}
		for _, s := range calls[fn] {
			fromProcess := s.Ctx.Kind == InProcess || s.Ctx.Kind == InFunc && only[s.Ctx.Func]
			if !fromProcess || s.Ctx.EventLoop != nil {
				delete(only, fn)
				work = append(work, callees[fn]...)
				break
			}
		}
	}
	return only
}

// starters returns the functions of the package each call of which starts a goroutine that loops
// forever, with the position of its go statement: those with such a go statement, or a call of another
// such function, in their body (not in a function literal whose calls are not known, not in
// process-lifetime code, and not guarded by state that outlives the call).
func (w *walker) starters() map[*types.Func]string {
	starters := make(map[*types.Func]string)
	calls := make(map[*types.Func][]*Start) // the calls of each function of the package
	for _, s := range w.sites {
		if !s.Direct && s.Callee.Pkg() == w.pass.Pkg {
			calls[s.Callee] = append(calls[s.Callee], s)
		}
	}
	counts := func(s *Start) bool {
		return !s.Ctx.Guarded && s.Ctx.Func != nil && (s.Ctx.Kind == InFunc || s.Ctx.Kind == InHandler) && starters[s.Ctx.Func] == ""
	}
	var work []*Start // starts whose origin is known, in the order found
	for _, s := range w.sites {
		if s.Origin != "" {
			work = append(work, s)
		}
	}
	for len(work) > 0 {
		s := work[0]
		work = work[1:]
		if !counts(s) {
			continue
		}
		origin := s.Origin
		if !s.Direct && s.Callee.Pkg() == w.pass.Pkg {
			origin = starters[s.Callee]
		}
		starters[s.Ctx.Func] = origin
		work = append(work, calls[s.Ctx.Func]...)
	}
	return starters
}

func (w *walker) position(pos token.Pos) string {
	return syntax.ShortPos(w.pass.Fset, pos)
}
