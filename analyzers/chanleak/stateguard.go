package chanleak

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/goroutines"
	"github.com/conclint/conclint/internal/syntax"
)

// State guards: a type that keeps its life cycle in a field sets it where it closes the stop signal, and
// checks it before it sends, as k6's WebSocket does:
//
//	func (w *webSocket) closed() { w.readyState = CLOSED; close(w.done) }
//	func (w *webSocket) send(m message) { w.assertStateOpen(); w.writeQueueCh <- m }
//
// The send runs only while the state says the loop has not been told to stop. Unless the two race (which
// is a data race the race detector reports, not a leak this analyzer can show), the loop is still
// receiving. Without the state set at the close (the state checked is another one), the send is reported.

// stateFields returns the struct fields that every function closing stop assigns: the life-cycle state
// that the close goes with. Nil if a close is in a function literal, or the closes assign no common field.
func (c *checker) stateFields(stop *fieldChan) map[*types.Var]bool {
	var out map[*types.Var]bool
	for _, u := range stop.uses {
		if u.kind != goroutines.Close {
			continue
		}
		body := syntax.FuncBody(u.instr.Parent().Syntax())
		if body == nil {
			return nil
		}
		assigned := make(map[*types.Var]bool)
		ast.Inspect(body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // may run at another time
			case *ast.AssignStmt:
				for _, l := range n.Lhs {
					if f := c.fieldOf(l); f != nil && f != stop.field && (out == nil || out[f]) {
						assigned[f] = true
					}
				}
			}
			return true
		})
		out = assigned
		if len(out) == 0 {
			return nil
		}
	}
	return out
}

// stateGuarded reports whether the send at pos in fn runs only after a check of one of the state fields:
// an if or switch on it before the send in fn, or in a function of the package that fn calls before the
// send (an assertStateOpen helper); or whether fn is an unexported function of the package whose every call
// is so guarded (sendArrayBuffer, called by send after its check). depth bounds the callers followed.
func (c *checker) stateGuarded(fn *ssa.Function, pos token.Pos, state map[*types.Var]bool, depth int) bool {
	body := syntax.FuncBody(fn.Syntax())
	if body == nil || depth == 0 {
		return false
	}
	if c.checksState(body, pos, state, 2) {
		return true
	}
	obj, _ := fn.Object().(*types.Func)
	if obj == nil || obj.Exported() || fn.Parent() != nil {
		return false
	}
	sites := c.form.CallSites(fn)
	for _, call := range sites {
		if !c.stateGuarded(call.Parent(), call.Pos(), state, depth-1) {
			return false
		}
	}
	return len(sites) > 0
}

// checksState reports whether body has, before pos in source order (anywhere if pos is NoPos), an if or
// switch whose condition reads a state field, or a call of a function of the package whose body has one
// (depth bounds the calls followed).
func (c *checker) checksState(body *ast.BlockStmt, pos token.Pos, state map[*types.Var]bool, depth int) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found || n == nil || pos.IsValid() && n.Pos() >= pos {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.IfStmt:
			found = c.readsState(n.Cond, state)
		case *ast.SwitchStmt:
			found = n.Tag != nil && c.readsState(n.Tag, state)
		case *ast.CallExpr:
			if depth > 1 {
				if d := c.declOf(n); d != nil && d.Body != nil {
					found = c.checksState(d.Body, token.NoPos, state, depth-1)
				}
			}
		}
		return !found
	})
	return found
}

// readsState reports whether e reads one of the state fields.
func (c *checker) readsState(e ast.Expr, state map[*types.Var]bool) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if f := c.fieldOf(n); f != nil && state[f] {
			found = true
		}
		return !found
	})
	return found
}

// fieldOf returns the struct field that n selects, if it is a selector of one.
func (c *checker) fieldOf(n ast.Node) *types.Var {
	sel, ok := n.(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	if f, ok := c.pass.TypesInfo.Uses[sel.Sel].(*types.Var); ok && f.IsField() {
		return f.Origin()
	}
	return nil
}

// declOf returns the declaration of the package's function or method that call calls, if any.
func (c *checker) declOf(call *ast.CallExpr) *ast.FuncDecl {
	fn, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	if !ok || fn.Pkg() != c.pass.Pkg {
		return nil
	}
	if c.decls == nil {
		c.decls = syntax.FuncDecls(c.pass.Files, c.pass.TypesInfo)
	}
	return c.decls[fn.Origin()]
}
