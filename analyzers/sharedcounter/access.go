package sharedcounter

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/blocking"
	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

// firstJoin returns the position of the first operation in fn's body after pos that may wait for the
// goroutine: a channel receive, a range over a channel, a select, or a call that may wait (a WaitGroup or
// errgroup Wait, synctest.Wait, or a function whose fact says it may wait on a channel or a group); or
// token.NoPos when there is none. Any of these counts, so that a join is never missed.
func (c *checker) firstJoin(fn ast.Node, after token.Pos) token.Pos {
	join := token.NoPos
	note := func(pos token.Pos) {
		if pos >= after && (join == token.NoPos || pos < join) {
			join = pos
		}
	}
	ast.Inspect(syntax.FuncBody(fn), func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if c.mayWait(n) {
				note(n.Pos())
			}
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				note(n.Pos())
			}
		case *ast.SelectStmt:
			note(n.Pos())
		case *ast.RangeStmt:
			if _, ok := c.pass.TypesInfo.TypeOf(n.X).Underlying().(*types.Chan); ok {
				note(n.Pos())
			}
		}
		return true
	})
	return join
}

// parentAccess returns the first access, in fn's own body (not in function literals) between after and
// join (or the end, if join is NoPos), to what w writes: the variable, or the same field path from it.
func (c *checker) parentAccess(fn ast.Node, w write, after, join token.Pos) ast.Expr {
	var found ast.Expr
	ast.Inspect(syntax.FuncBody(fn), func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.Ident, *ast.SelectorExpr:
			e := n.(ast.Expr)
			if n.Pos() >= after && (join == token.NoPos || n.Pos() < join) && c.sameVar(e, w.target) {
				found = e
			}
		}
		return found == nil
	})
	return found
}

// mayWait reports whether call may wait for another goroutine: a known wait, a call whose callee may
// block on a channel or a wait, or a call handed a channel it can receive from (terraform's
// b.opWait(doneCh, stopCtx, cancelCtx, ...), a select on doneCh and the contexts: bounded, so not in the
// blocking facts, but a join on the path where it reports the receive), or the read end of a pipe (litefs'
// client.WriteTx(ctx, name, pr): reading pr to its end waits for the goroutine's pw.Close).
func (c *checker) mayWait(call *ast.CallExpr) bool {
	fn, _ := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	if kind, _, ok := syncapi.Blocking(fn); ok {
		return kind == syncapi.KindWait
	}
	for _, arg := range call.Args {
		t := c.pass.TypesInfo.TypeOf(arg)
		if ch, ok := t.Underlying().(*types.Chan); (ok && ch.Dir() != types.SendOnly) || syncapi.IsNamed(t, "io", "PipeReader") {
			return true
		}
	}
	if mb := c.facts.MayBlock(typeutil.StaticCallee(c.pass.TypesInfo, call)); mb != nil {
		return mb.Kind == blocking.KindChannel || mb.Kind == syncapi.KindWait
	}
	return false
}
