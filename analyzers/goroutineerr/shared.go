package goroutineerr

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/conclint/conclint/internal/syncapi"

	"github.com/conclint/conclint/internal/syntax"
)

// An errWrite is the first assignment, in one goroutine body, to an error variable of the function that
// starts the goroutine.
type errWrite struct {
	s    *spawn
	stmt *ast.AssignStmt
}

// checkShared reports goroutines that assign an error variable of the function that starts them, with no
// lock held, when several goroutines may do so at once: the body is started in a loop, or several
// goroutines started by the function assign the variable. Each overwrites the others' errors.
func (c *checker) checkShared(spawns []*spawn) {
	writes := make(map[*types.Var][]errWrite)
	var vars []*types.Var // in the order of their first write, for deterministic output
	for _, s := range spawns {
		fn := syntax.EnclosingFunc(s.cur)
		seen := make(map[*types.Var]bool)
		inspectBody(s.lit, func(n ast.Node) {
			as, ok := n.(*ast.AssignStmt)
			if !ok || as.Tok != token.ASSIGN || len(c.locks.HeldWithin(as.Pos(), as.End())) > 0 {
				return
			}
			for i, l := range as.Lhs {
				v := c.outerErrVar(fn, s.lit, l)
				if v == nil || seen[v] || assignsNil(c.pass.TypesInfo, as, i) {
					continue
				}
				seen[v] = true
				if writes[v] == nil {
					vars = append(vars, v)
				}
				writes[v] = append(writes[v], errWrite{s: s, stmt: as})
			}
		})
	}
	for _, v := range vars {
		ws := writes[v]
		for i, w := range ws {
			other := c.concurrentWriter(ws, i)
			if other == nil && !c.sharedByLoop(w.s.cur, v) {
				continue // one goroutine at a time: whether the function reads it in time is sharedcounter's concern
			}
			d := analysis.Diagnostic{
				Pos:      w.stmt.Pos(),
				End:      w.stmt.End(),
				Category: catShared,
				Message: "goroutine assigns " + v.Name() + " of the enclosing function: concurrent goroutines race on it and all " +
					"but one error are lost; use errgroup or a mutex-guarded errors.Join",
			}
			if other != nil {
				d.Related = []analysis.RelatedInformation{{Pos: other.Pos(), End: other.End(), Message: "another goroutine assigns " + v.Name() + " here"}}
			}
			c.emit(d)
		}
	}
}

// outerErrVar returns the error variable e denotes if it is declared in fn outside lit.
func (c *checker) outerErrVar(fn ast.Node, lit *ast.FuncLit, e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || fn == nil {
		return nil
	}
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || !syncapi.IsError(v.Type()) || v.Pos() < fn.Pos() || v.Pos() >= fn.End() || lit.Pos() <= v.Pos() && v.Pos() < lit.End() {
		return nil
	}
	return v
}

// assignsNil reports whether the assignment gives its i-th left operand the value nil.
func assignsNil(info *types.Info, as *ast.AssignStmt, i int) bool {
	return len(as.Lhs) == len(as.Rhs) && info.Types[as.Rhs[i]].IsNil()
}

// concurrentWriter returns the write of another goroutine that may run at the same time as ws[i]'s: the
// function starts both, not in exclusive branches, without waiting for anything in between.
func (c *checker) concurrentWriter(ws []errWrite, i int) *ast.AssignStmt {
	for j, w := range ws {
		if j == i || exclusive(ws[i].s.cur, w.s.cur.Node()) {
			continue
		}
		first, second := ws[i].s.cur.Node(), w.s.cur.Node() // spawns are in source order
		if j < i {
			first, second = second, first
		}
		if !c.waits(syntax.FuncBody(syntax.EnclosingFunc(w.s.cur)), first.End(), second.Pos()) {
			return w.stmt
		}
	}
	return nil
}

// exclusive reports whether the spawn at a and the node b lie in different branches of an if statement or
// different clauses of a switch or select, in the same function.
func exclusive(a inspector.Cursor, b ast.Node) bool {
	for cur := range a.Enclosing((*ast.IfStmt)(nil), (*ast.CaseClause)(nil), (*ast.CommClause)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.IfStmt:
			if n.Else != nil && (within(a.Node(), n.Body) && within(b, n.Else) || within(a.Node(), n.Else) && within(b, n.Body)) {
				return true
			}
		case *ast.CaseClause, *ast.CommClause:
			if within(b, cur.Parent().Node()) && !within(b, n) {
				return true
			}
		default:
			return false // the function's boundary
		}
	}
	return false
}

func within(n, outer ast.Node) bool { return outer.Pos() <= n.Pos() && n.End() <= outer.End() }

// sharedByLoop reports whether the spawn is in a loop of its function, v is declared outside that loop (so
// that the goroutines of all iterations share it), and the loop does not wait for anything: the goroutines
// of successive iterations may overlap.
func (c *checker) sharedByLoop(spawn inspector.Cursor, v *types.Var) bool {
	for cur := range spawn.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		var body *ast.BlockStmt
		switch n := cur.Node().(type) {
		case *ast.ForStmt:
			body = n.Body
		case *ast.RangeStmt:
			body = n.Body
		default:
			return false
		}
		return v.Pos() < cur.Node().Pos() && !c.waits(body, body.Pos(), body.End())
	}
	return false
}

// waits reports whether body, outside function literals, waits for a goroutine between from and to: a
// WaitGroup or errgroup Wait, a channel receive, a range over a channel, or a select.
func (c *checker) waits(body *ast.BlockStmt, from, to token.Pos) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil || found || n.End() <= from || n.Pos() >= to {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok || n.Pos() < from {
			return !ok // a goroutine body or another literal; or a node around from
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			found = c.isGroupWait(n) || syncapi.IsMethod(c.callee(n), "sync", "WaitGroup", "Wait")
		case *ast.UnaryExpr:
			found = n.Op == token.ARROW
		case *ast.SelectStmt:
			found = true
		case *ast.RangeStmt:
			_, found = c.pass.TypesInfo.TypeOf(n.X).Underlying().(*types.Chan)
		}
		return !found
	})
	return found
}
