package wgmisuse

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/conclint/conclint/internal/syntax"
)

// checkLateAdd reports a wg.Add in a goroutine that wg does not count, on a WaitGroup local to the
// function that starts the goroutine and then waits on it with nothing in between that waits for the
// goroutine: the Wait can run first, see a zero count and return before the work is added.
func (c *checker) checkLateAdd(cur inspector.Cursor, fn *ast.BlockStmt, s *ast.GoStmt) {
	lit, ok := ast.Unparen(s.Call.Fun).(*ast.FuncLit)
	if !ok {
		return
	}
	info := c.pass.TypesInfo
	adds := map[group]*ast.CallExpr{}
	done := map[group]bool{}
	var order []group
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false // another goroutine's, or a callback's
		}
		if wc, ok := wgCallOf(info, n); ok {
			switch wc.method {
			case "Add":
				if adds[wc.group] == nil {
					adds[wc.group] = wc.call
					order = append(order, wc.group)
				}
			case "Done", "Wait":
				done[wc.group] = true // counted by the group, or waiting on it: ordered some other way
			}
		}
		return true
	})
	for _, g := range order {
		v, ok := g.root.(*types.Var)
		if !ok || done[g] || v.Pos() < fn.Pos() || v.Pos() > s.Pos() {
			continue // not a group of this function declared before the start, or counted by the goroutine
		}
		if c.firstCall(fn, g, "Add", s) != nil {
			continue // counted before the start: the late Add may be a nested one while the count is not zero
		}
		wait := c.waitFor(fn, g, s)
		if wait == nil || waitsBetween(fn, s.End(), wait.Pos()) {
			continue
		}
		add := adds[g]
		if stmtCall(lit.Body.List[0]) == add {
			continue // the goroutine's first statement: go vet's waitgroup and staticcheck's SA2000 report it
		}
		c.r.Report(analysis.Diagnostic{
			Pos: add.Pos(), End: add.Lparen,
			Message: types.ExprString(add.Fun) + " in a goroutine that " + c.name(add) + " does not count: " + c.name(wait) +
				".Wait (" + c.position(wait.Pos()) + ") can run first, see a zero count and return before the work is added; call " +
				types.ExprString(add.Fun) + " before the go statement",
			Related: []analysis.RelatedInformation{
				{Pos: s.Pos(), End: s.Call.Lparen, Message: "goroutine started here"},
				{Pos: wait.Pos(), End: wait.Lparen, Message: "waits here"},
			},
		})
	}
}

// waitsBetween reports whether fn, between from and to, receives from a channel, selects, ranges over a
// value, or calls a function literal: something that may wait for the goroutine to add its work.
func waitsBetween(fn *ast.BlockStmt, from, to token.Pos) bool {
	found := false
	ast.Inspect(fn, func(n ast.Node) bool {
		if found || n == nil || n.End() <= from || n.Pos() >= to {
			return false // done, or no part of n lies between from and to
		}
		inside := n.Pos() >= from && n.End() <= to
		switch n := n.(type) {
		case *ast.FuncLit:
			found = inside
			return false
		case *ast.UnaryExpr:
			found = inside && n.Op == token.ARROW
		case *ast.SelectStmt, *ast.RangeStmt:
			found = inside
		}
		return !found
	})
	return found
}

// position returns "file.go:line" for pos.
func (c *checker) position(pos token.Pos) string {
	return syntax.ShortPos(c.pass.Fset, pos)
}
