// Package boolguard is the one definition of code that runs only when a parameter is on: a bool
// parameter true, or a nil-able one nil (a default that the function fills in), as in
//
//	func (c *conn) maybeFlush(doFlush bool) { if doFlush { c.flushOutbound() } }
//	func (c *Client) post(key Signer) { if key == nil { key = c.Key; kid = c.accountKID() } }
//
// or only when a bool parameter is false, the other polarity of a guard:
//
//	func (r *Ring) readErr(locked bool) error { if !locked { r.mu.Lock(); defer r.mu.Unlock() }; ... }
//
// It owns the numbering of parameters (Param, and Guard for facts), the argument a call passes for a
// parameter (Arg on syntax, ArgValue on SSA), whether that argument leaves the guard off (Off, OffValue:
// the constant false; for a nil-able parameter, a value that is not nil nor a variable), and the guarded
// parts of a function body (Find). The fact engines blocking and locksummary build on it: a callee that
// blocks, or locks, only when its parameter is on does nothing when its caller leaves it off.
package boolguard

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strconv"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"
)

// A Param numbers a parameter of a function as go/ssa numbers the arguments of a static call
// (ssa.CallCommon.Args): the receiver of a method is 0 and its first parameter 1; the first parameter of a
// function is 0. A method expression T.m has the same numbering as m: its receiver is its first argument.
type Param int

// Guard returns the guard that records p in a fact: what it guards runs only when p is on.
func (p Param) Guard() Guard { return Guard(p + 1) }

// Unless returns the guard of what runs only when p, a bool parameter, is false.
func (p Param) Unless() Guard { return -Guard(p + 1) }

// A Guard records in a fact the parameter that must be on for something to run: 1 + its Param; the
// negative -(1 + its Param) when a bool parameter must be false instead; or 0 when nothing guards it, so
// that the zero value of a fact's field means unguarded.
type Guard int

// Param returns the parameter of g, and false when g is 0.
func (g Guard) Param() (Param, bool) {
	if g < 0 {
		return Param(-g - 1), true
	}
	return Param(g - 1), g > 0
}

// Negated reports whether what g guards runs only when its bool parameter is false.
func (g Guard) Negated() bool { return g < 0 }

// For returns the guard of p with the polarity of g: a caller that passes its own parameter p on to a
// callee's guard g runs what the callee guards only when p is on (or, for a negated g, false).
func (g Guard) For(p Param) Guard {
	if g.Negated() {
		return p.Unless()
	}
	return p.Guard()
}

// String returns "p1" for the guard of parameter 1, "!p1" for its negation, "" for none.
func (g Guard) String() string {
	p, ok := g.Param()
	switch {
	case !ok:
		return ""
	case g.Negated():
		return "!p" + strconv.Itoa(int(p))
	}
	return "p" + strconv.Itoa(int(p))
}

// Arg returns the argument that call passes for the parameter p of its static callee, or nil when no one
// expression is that argument: the call is dynamic or through an interface, p is the variadic parameter,
// the arguments are one multi-value call f(g()), or p is the receiver of a method promoted from an
// embedded field (x.m(...) or T.m(x, ...) where m is a method of a field of x). For the receiver, it
// returns x of x.m(...), or the first argument of T.m(x, ...): the call may address or dereference it.
func Arg(info *types.Info, call *ast.CallExpr, p Param) ast.Expr {
	fn := typeutil.StaticCallee(info, call)
	if fn == nil || p < 0 {
		return nil // a dynamic or interface call, a builtin, a conversion
	}
	sig := fn.Signature()
	n := sig.Params().Len()
	j := int(p) // index in sig.Params(): -1 for the receiver
	i := int(p) // index in call.Args
	if sig.Recv() != nil {
		j--
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		s := info.Selections[sel]
		switch {
		case s == nil:
			return nil
		case s.Kind() == types.MethodExpr:
			if p == 0 && len(s.Index()) > 1 {
				return nil // promoted: the receiver is a field of the first argument
			}
			// T.m(recv, args...): the receiver is the first argument
		case p == 0:
			if len(s.Index()) > 1 {
				return nil // promoted: the receiver is a field of x
			}
			return sel.X
		default:
			i--
		}
	}
	if j >= n || sig.Variadic() && j == n-1 {
		return nil // not a parameter, or the variadic one
	}
	if len(call.Args) == 1 {
		if _, ok := info.TypeOf(call.Args[0]).(*types.Tuple); ok {
			return nil // f(g()): the arguments are g's results
		}
	}
	if i >= len(call.Args) {
		return nil
	}
	return call.Args[i]
}

// False reports whether e is the constant false.
func False(info *types.Info, e ast.Expr) bool { return isConstBool(info.Types[e].Value, false) }

// isConstBool reports whether v is the boolean constant b.
func isConstBool(v constant.Value, b bool) bool {
	return v != nil && v.Kind() == constant.Bool && constant.BoolVal(v) == b
}

// Off reports whether call leaves the parameter of g, a guard of its static callee, off, so that what it
// guards does not run: it passes the constant false for a bool parameter (true for a negated g); for a
// nil-able one, a value
// that is not the constant nil nor a variable (which may hold nil, or be the caller's own guard passed
// on): a field, a call's result, an address, a literal. Such a value is taken not to be nil — the caller
// fills in what the callee would default — and when the analysis cannot tell, it stays silent.
func Off(info *types.Info, call *ast.CallExpr, g Guard) bool {
	p, ok := g.Param()
	if !ok {
		return false
	}
	arg := Arg(info, call, p)
	if arg == nil {
		return false
	}
	fn := typeutil.StaticCallee(info, call)
	if fn == nil {
		return false
	}
	if g.Negated() {
		return isConstBool(info.Types[arg].Value, true)
	}
	if t := paramType(fn.Signature(), p); t != nil && Nilable(t) {
		_, isVar := ast.Unparen(arg).(*ast.Ident)
		return !isVar && !info.Types[arg].IsNil()
	}
	return False(info, arg)
}

// ArgValue returns the value that c passes for the parameter p of its static callee, or nil when no one
// value is that argument: the call is dynamic or through an interface, p is the variadic parameter, or p
// is the receiver of a wrapper that passes the method a field of its own (a promoted method). A call of
// a method value bound to its receiver (f := x.m; f(...)) passes no receiver.
func ArgValue(c *ssa.CallCommon, p Param) ssa.Value {
	fn := c.StaticCallee()
	if fn == nil || c.IsInvoke() || p < 0 {
		return nil
	}
	sig := fn.Signature
	if obj, ok := fn.Object().(*types.Func); ok {
		sig = obj.Signature() // the numbering is the declared function's, not its wrapper's
	}
	n := sig.Params().Len()
	i := int(p) // index in c.Args
	if sig.Recv() != nil {
		switch len(c.Args) {
		case n + 1: // the receiver is Args[0]: a static method call, or a thunk of a method expression
		case n: // a bound method: the receiver is a free variable of the closure
			i--
		default:
			return nil
		}
		if j := int(p) - 1; j >= n || sig.Variadic() && j == n-1 {
			return nil
		}
	} else if int(p) >= n || sig.Variadic() && int(p) == n-1 {
		return nil
	}
	if i < 0 || i >= len(c.Args) {
		return nil
	}
	if p == 0 && sig.Recv() != nil && !types.Identical(c.Args[0].Type(), sig.Recv().Type()) {
		return nil // a wrapper's receiver, of which the method's is a field (or the pointee)
	}
	return c.Args[i]
}

// FalseValue reports whether v is the constant false.
func FalseValue(v ssa.Value) bool {
	k, ok := v.(*ssa.Const)
	return ok && isConstBool(k.Value, false)
}

// OffValue is Off on SSA: c leaves the parameter of g off when it passes the constant false for a bool
// parameter (true for a negated g), or, for a nil-able one, a value that is not the constant nil nor a variable (a parameter, a
// local, a φ of several): a field or global read, a call's result, an address, a literal.
func OffValue(c *ssa.CallCommon, g Guard) bool {
	p, ok := g.Param()
	if !ok {
		return false
	}
	v := ArgValue(c, p)
	if v == nil {
		return false
	}
	if g.Negated() {
		k, ok := v.(*ssa.Const)
		return ok && isConstBool(k.Value, true)
	}
	fn := c.StaticCallee()
	sig := fn.Signature
	if obj, ok := fn.Object().(*types.Func); ok {
		sig = obj.Signature()
	}
	if t := paramType(sig, p); t != nil && Nilable(t) {
		switch v := v.(type) {
		case *ssa.Const:
			return !v.IsNil()
		case *ssa.Parameter, *ssa.Phi, *ssa.FreeVar:
			return false
		case *ssa.UnOp:
			_, local := v.X.(*ssa.Alloc)
			return !(v.Op == token.MUL && local)
		}
		return true
	}
	return FalseValue(v)
}

// paramType returns the type of the parameter p of a function of signature sig, or nil.
func paramType(sig *types.Signature, p Param) types.Type {
	i := int(p)
	if sig.Recv() != nil {
		if i == 0 {
			return sig.Recv().Type()
		}
		i--
	}
	if i < 0 || i >= sig.Params().Len() {
		return nil
	}
	return sig.Params().At(i).Type()
}

// allParams returns every parameter of fn, numbered as Param.
func allParams(fn *types.Func) map[*types.Var]Param {
	out := make(map[*types.Var]Param)
	sig := fn.Signature()
	i := 0
	if r := sig.Recv(); r != nil {
		out[r] = 0
		i = 1
	}
	for j := range sig.Params().Len() {
		out[sig.Params().At(j)] = Param(i + j)
	}
	return out
}

func isBool(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.Bool
}

// Nilable reports whether a value of type t can be nil: a pointer, an interface, a map, a slice, a
// function or a channel (not a type parameter, whose instances may not be).
func Nilable(t types.Type) bool {
	if _, ok := t.(*types.TypeParam); ok {
		return false
	}
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Interface, *types.Map, *types.Slice, *types.Signature, *types.Chan:
		return true
	}
	return false
}

// Params returns the parameters of fn, numbered as Param, that body never assigns and never takes the
// address of: in the whole body, each one keeps the value its caller passed. Assignments in function
// literals count.
func Params(info *types.Info, fn *types.Func, body *ast.BlockStmt) map[*types.Var]Param {
	out := allParams(fn)
	drop := func(e ast.Expr) {
		if id, ok := ast.Unparen(e).(*ast.Ident); ok {
			if v, ok := info.Uses[id].(*types.Var); ok {
				delete(out, v)
			}
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				drop(l)
			}
		case *ast.IncDecStmt:
			drop(n.X)
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				drop(n.X)
			}
		case *ast.RangeStmt:
			if n.Tok == token.ASSIGN {
				drop(n.Key)
				if n.Value != nil {
					drop(n.Value)
				}
			}
		}
		return true
	})
	return out
}
