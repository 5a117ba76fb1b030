package errclass

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

// A builder finds the terms of one function's error result.
type builder struct {
	info     *types.Info
	decl     *ast.FuncDecl
	idx      int                // index of the error result
	nres     int                // number of results
	named    *types.Var         // the error result, if named
	params   map[*types.Var]int // the parameters, by index (the receiver not counted)
	defs     map[*types.Var][]def
	escaped  map[*types.Var]bool // assigned in a function literal, or whose address is taken
	rets     []ret
	visiting map[*types.Var]bool // the variables visited by the current varTerms query
}

// A def is one assignment to a local variable: the value expr, or result index of the call, or neither
// (a value of unknown class, such as a range variable).
type def struct {
	pos   token.Pos
	expr  ast.Expr
	call  *ast.CallExpr
	index int
	isNil bool // the zero value of a var declaration or a named result
}

// A ret is a return statement of the function's own body, with its enclosing nodes, outermost first.
type ret struct {
	stmt  *ast.ReturnStmt
	stack []ast.Node
}

func newBuilder(info *types.Info, fn *types.Func, decl *ast.FuncDecl) *builder {
	sig := fn.Signature()
	b := &builder{
		info:    info,
		decl:    decl,
		idx:     syncapi.ErrorResult(sig),
		nres:    sig.Results().Len(),
		params:  make(map[*types.Var]int),
		defs:    make(map[*types.Var][]def),
		escaped: make(map[*types.Var]bool),
	}
	for i := range sig.Params().Len() {
		b.params[sig.Params().At(i)] = i
	}
	if r := sig.Results().At(b.idx); r.Name() != "" && r.Name() != "_" {
		b.named = r
		b.defs[r] = []def{{pos: decl.Pos(), isNil: true}}
	}
	b.collect()
	return b
}

// collect records the assignments to local variables, the variables that escape, and the return
// statements of the body (not those of function literals).
func (b *builder) collect() {
	var stack []ast.Node
	var lits []*ast.FuncLit
	ast.Inspect(b.decl.Body, func(n ast.Node) bool {
		if n == nil {
			if lit, ok := stack[len(stack)-1].(*ast.FuncLit); ok && len(lits) > 0 && lits[len(lits)-1] == lit {
				lits = lits[:len(lits)-1]
			}
			stack = stack[:len(stack)-1]
			return false
		}
		stack = append(stack, n)
		switch n := n.(type) {
		case *ast.FuncLit:
			lits = append(lits, n)
		case *ast.ReturnStmt:
			if len(lits) == 0 {
				b.rets = append(b.rets, ret{stmt: n, stack: append([]ast.Node(nil), stack[:len(stack)-1]...)})
			}
		case *ast.AssignStmt:
			b.assign(n, lits)
		case *ast.ValueSpec:
			b.valueSpec(n)
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if v := b.localVar(e); v != nil {
					b.defs[v] = append(b.defs[v], def{pos: n.Pos()})
				}
			}
		case *ast.UnaryExpr:
			if v := b.localVar(n.X); v != nil && n.Op == token.AND {
				b.escaped[v] = true
			}
		}
		return true
	})
}

func (b *builder) assign(as *ast.AssignStmt, lits []*ast.FuncLit) {
	for i, l := range as.Lhs {
		v := b.localVar(l)
		if v == nil {
			continue
		}
		if len(lits) > 0 && !within(v.Pos(), lits[len(lits)-1]) {
			b.escaped[v] = true // a function literal assigns a variable of an enclosing function
		}
		d := def{pos: as.Pos()}
		switch {
		case as.Tok != token.ASSIGN && as.Tok != token.DEFINE:
		case len(as.Lhs) == len(as.Rhs):
			d.expr = as.Rhs[i]
		case len(as.Rhs) == 1:
			if call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); ok {
				d.call, d.index = call, i
			}
		}
		b.defs[v] = append(b.defs[v], d)
	}
}

func (b *builder) valueSpec(vs *ast.ValueSpec) {
	for i, name := range vs.Names {
		v, _ := b.info.Defs[name].(*types.Var)
		if v == nil {
			continue
		}
		d := def{pos: vs.Pos()}
		switch {
		case len(vs.Values) == 0:
			d.isNil = true
		case len(vs.Values) == len(vs.Names):
			d.expr = vs.Values[i]
		case len(vs.Values) == 1:
			if call, ok := ast.Unparen(vs.Values[0]).(*ast.CallExpr); ok {
				d.call, d.index = call, i
			}
		}
		b.defs[v] = append(b.defs[v], d)
	}
}

func within(pos token.Pos, n ast.Node) bool { return n.Pos() <= pos && pos < n.End() }

// localVar returns the variable e denotes if it is declared in the function (its parameters and results
// included).
func (b *builder) localVar(e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	v, _ := b.info.ObjectOf(id).(*types.Var)
	if v == nil || v.IsField() || !within(v.Pos(), b.decl) {
		return nil
	}
	return v
}

// returns returns the terms of the function's error result, one or more per return statement.
func (b *builder) returns() []term {
	var out []term
	for _, r := range b.rets {
		var ts []term
		var val ast.Expr // the returned error, or nil for a bare return
		switch n := len(r.stmt.Results); {
		case n == 0 && b.named != nil:
			ts = b.varTerms(b.named)
		case n == b.nres:
			val = r.stmt.Results[b.idx]
			ts = b.exprTerms(val)
		case n == 1:
			if call, ok := ast.Unparen(r.stmt.Results[0]).(*ast.CallExpr); ok {
				ts = b.tupleTerms(call, b.idx)
			}
		}
		if len(ts) == 0 || b.named != nil && b.escaped[b.named] {
			// Nothing known; or the named result is assigned by a function literal (a deferred one runs
			// after the return statement and may replace what it returns) or through its address.
			ts = []term{{}}
		}
		v := b.named
		if val != nil {
			v = b.returnedVar(val)
		}
		if v != nil && b.logged(v, r) && !allNil(ts) {
			ts = []term{{class: Class{Kind: Logged}}}
		}
		for _, t := range ts {
			t.ret = r.stmt
			out = append(out, t)
		}
	}
	return out
}

func allNil(ts []term) bool {
	for _, t := range ts {
		if t.callee != nil || t.class.Kind != Nil {
			return false
		}
	}
	return true
}

// exprTerms returns the terms of an error-valued expression.
func (b *builder) exprTerms(e ast.Expr) []term {
	e = ast.Unparen(e)
	if b.info.Types[e].IsNil() {
		return []term{{class: Class{Kind: Nil}}}
	}
	switch e := e.(type) {
	case *ast.Ident:
		if s := sentinel(b.info.Uses[e]); s != "" {
			return []term{{class: Class{Kind: Sentinel, Sentinels: []string{s}}}}
		}
		if v := b.localVar(e); v != nil {
			return b.varTerms(v)
		}
	case *ast.SelectorExpr:
		if s := sentinel(b.info.Uses[e.Sel]); s != "" && b.info.Selections[e] == nil {
			return []term{{class: Class{Kind: Sentinel, Sentinels: []string{s}}}}
		}
	case *ast.CallExpr:
		return b.callTerms(e)
	}
	return []term{{}}
}

// sentinel returns "pkgpath.Name" if obj is a package-level variable, or "".
func sentinel(obj types.Object) string {
	v, ok := obj.(*types.Var)
	if !ok || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
		return ""
	}
	return v.Pkg().Path() + "." + v.Name()
}

// varTerms returns the terms of the values assigned to a local variable of interface type.
func (b *builder) varTerms(v *types.Var) []term {
	if b.visiting == nil {
		// A new query: variables visited during it are not visited again (a cycle of assignments adds
		// nothing), and the answer is complete only for the variable asked about, so it is not kept.
		b.visiting = make(map[*types.Var]bool)
		defer func() { b.visiting = nil }()
	}
	if b.visiting[v] {
		return nil
	}
	b.visiting[v] = true
	if _, param := b.params[v]; param || b.escaped[v] || !types.IsInterface(v.Type()) || len(b.defs[v]) == 0 {
		return []term{{}} // a parameter, an escaped variable, or a concrete type whose nil is not a nil error
	}
	var ts []term
	for _, d := range b.defs[v] {
		switch {
		case d.isNil:
			ts = append(ts, term{class: Class{Kind: Nil}})
		case d.expr != nil:
			ts = append(ts, b.exprTerms(d.expr)...)
		case d.call != nil:
			ts = append(ts, b.tupleTerms(d.call, d.index)...)
		default:
			ts = append(ts, term{})
		}
	}
	return ts
}

// tupleTerms returns the terms of result k of a call with several results.
func (b *builder) tupleTerms(call *ast.CallExpr, k int) []term {
	fn := typeutil.StaticCallee(b.info, call)
	cause := types.ExprString(call.Fun)
	if fn == nil || fn.Signature().Results().Len() < 2 || syncapi.ErrorResult(fn.Signature()) != k {
		return []term{{cause: cause}}
	}
	return []term{{callee: fn, args: b.ctxArgs(call, fn), cause: cause}}
}

// callTerms returns the terms of a call with a single error result.
func (b *builder) callTerms(call *ast.CallExpr) []term {
	fn, _ := typeutil.Callee(b.info, call).(*types.Func)
	cause := types.ExprString(call.Fun)
	switch {
	case syncapi.IsMethod(fn, "context", "Context", "Err"):
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			if i, ok := b.param(sel.X); ok {
				return []term{{class: Class{Kind: Ctx, Param: i}}}
			}
		}
	case syncapi.IsFunc(fn, "context", "Cause"):
		if len(call.Args) == 1 {
			if i, ok := b.param(call.Args[0]); ok {
				return []term{{class: Class{Kind: Ctx, Param: i}}}
			}
		}
	case syncapi.IsFunc(fn, "fmt", "Errorf"):
		var ts []term
		for _, a := range call.Args[1:] {
			if syncapi.IsError(b.info.TypeOf(a)) {
				for _, t := range b.exprTerms(a) {
					t.wrapped = true
					ts = append(ts, t)
				}
			}
		}
		if len(ts) > 0 {
			return ts
		}
	case syncapi.IsFunc(fn, "errors", "New"):
		return []term{{fresh: true}} // a new error: the failure is the function's own, not a call's
	case syncapi.IsFunc(fn, "errors", "Join"):
		return []term{{}}
	default:
		if fn := typeutil.StaticCallee(b.info, call); fn != nil && fn.Signature().Results().Len() == 1 {
			return []term{{callee: fn, args: b.ctxArgs(call, fn), cause: cause}}
		}
	}
	if syncapi.IsFunc(fn, "fmt", "Errorf") {
		return []term{{fresh: true}} // a new error, wrapping none
	}
	return []term{{cause: cause}}
}

// param returns the index of the parameter e denotes.
func (b *builder) param(e ast.Expr) (int, bool) {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return 0, false
	}
	v, _ := b.info.Uses[id].(*types.Var)
	i, ok := b.params[v]
	return i, ok
}

// ctxArgs returns, for each parameter of fn, the index of the caller's parameter passed to it, or -1.
func (b *builder) ctxArgs(call *ast.CallExpr, fn *types.Func) []int {
	args := call.Args
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s := b.info.Selections[sel]; s != nil && s.Kind() == types.MethodExpr && len(args) > 0 {
			args = args[1:] // the receiver
		}
	}
	n := min(len(args), fn.Signature().Params().Len())
	out := make([]int, n)
	for i := range n {
		out[i] = -1
		if p, ok := b.param(args[i]); ok {
			out[i] = p
		}
	}
	return out
}

// returnedVar returns the local variable a returned error is, or wraps with fmt.Errorf.
func (b *builder) returnedVar(e ast.Expr) *types.Var {
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok {
		fn, _ := typeutil.Callee(b.info, call).(*types.Func)
		if !syncapi.IsFunc(fn, "fmt", "Errorf") {
			return nil
		}
		for _, a := range call.Args[1:] {
			if v := b.localVar(a); v != nil && syncapi.IsError(v.Type()) {
				return v
			}
		}
		return nil
	}
	return b.localVar(e)
}

// logged reports whether v is passed to a logging call in a statement that precedes the return r in its
// block or an enclosing block (so that it runs on every path to r), with no assignment to v in between.
func (b *builder) logged(v *types.Var, r ret) bool {
	path := append(r.stack, r.stmt)
	for i := len(path) - 2; i >= 0; i-- {
		list, ok := syntax.StmtList(path[i])
		if !ok {
			continue
		}
		for _, st := range list {
			if st.Pos() >= path[i+1].Pos() {
				break
			}
			if b.logs(st, v) && !b.assignedBetween(v, st.End(), r.stmt.Pos()) {
				return true
			}
		}
	}
	return false
}

// logs reports whether st hands v on before the function returns it: a call of a logging package, or any
// call made for its effect (its results dropped), with v among its arguments (t.events.Set(quit{err}),
// s.fail(err)); a send of v on a channel; or a store of v in a field or a package-level variable. The
// caller that drops the returned error does not lose it: another copy went where the function sends
// its errors.
func (b *builder) logs(st ast.Stmt, v *types.Var) bool {
	switch st := st.(type) {
	case *ast.ExprStmt:
		call, ok := ast.Unparen(st.X).(*ast.CallExpr)
		if !ok {
			return false
		}
		if fn, _ := typeutil.Callee(b.info, call).(*types.Func); syncapi.IsLogCall(fn) {
			return b.mentions(call, v)
		}
		for _, arg := range call.Args {
			if b.mentions(arg, v) {
				return true
			}
		}
	case *ast.SendStmt:
		return b.mentions(st.Value, v)
	case *ast.AssignStmt:
		if st.Tok != token.ASSIGN || len(st.Lhs) != len(st.Rhs) {
			return false
		}
		for i, lhs := range st.Lhs {
			if b.outlives(lhs) && b.mentions(st.Rhs[i], v) {
				return true
			}
		}
	}
	return false
}

// mentions reports whether e uses v, outside function literals (a closure that assigns v hands nothing on).
func (b *builder) mentions(e ast.Node, v *types.Var) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if id, ok := n.(*ast.Ident); ok && b.info.Uses[id] == v {
			found = true
		}
		return !found
	})
	return found
}

// outlives reports whether an assignment to e outlives the call: e is a field (s.err, s.last.err) or a
// package-level variable.
func (b *builder) outlives(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		sel := b.info.Selections[e]
		return sel != nil && sel.Kind() == types.FieldVal || sentinel(b.info.Uses[e.Sel]) != ""
	case *ast.Ident:
		return sentinel(b.info.Uses[e]) != ""
	}
	return false
}

func (b *builder) assignedBetween(v *types.Var, from, to token.Pos) bool {
	for _, d := range b.defs[v] {
		if from <= d.pos && d.pos < to {
			return true
		}
	}
	return false
}
