package chanleak

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/conclint/conclint/internal/goroutines"
)

// node returns the syntax go/ssa positioned an instruction at (ssaform.Form.NodeAt): a send or receive
// arrow, the for of a range, the select keyword, the go keyword, or the Lparen of a call.
func (c *checker) node(pos token.Pos) ast.Node { return c.form.NodeAt(pos) }

// makeCall returns the make call of a channel.
func (c *checker) makeCall(ch *goroutines.Chan) *ast.CallExpr {
	call, _ := c.node(ch.Make.Pos()).(*ast.CallExpr)
	return call
}

// chanName returns the variable the channel is assigned to, as written, or "the channel".
func (c *checker) chanName(ch *goroutines.Chan) string {
	cur, ok := c.in.Root().FindByPos(ch.Make.Pos(), ch.Make.Pos())
	if !ok {
		return "the channel"
	}
	for ; cur.Node() != nil; cur = cur.Parent() {
		switch n := cur.Node().(type) {
		case *ast.AssignStmt:
			for i, rhs := range n.Rhs {
				if rhs.Pos() <= ch.Make.Pos() && ch.Make.Pos() < rhs.End() && i < len(n.Lhs) {
					return types.ExprString(n.Lhs[i])
				}
			}
			return "the channel"
		case *ast.ValueSpec:
			for i, v := range n.Values {
				if v.Pos() <= ch.Make.Pos() && ch.Make.Pos() < v.End() && i < len(n.Names) {
					return n.Names[i].Name
				}
			}
			return "the channel"
		case ast.Stmt:
			return "the channel"
		}
	}
	return "the channel"
}

// capacityFix returns the fix that gives the channel's make call the capacity capText.
func (c *checker) capacityFix(ch *goroutines.Chan, name, capText string) []analysis.SuggestedFix {
	call := c.makeCall(ch)
	if call == nil || len(call.Args) == 0 {
		return nil
	}
	var edit analysis.TextEdit
	switch len(call.Args) {
	case 1:
		edit = analysis.TextEdit{Pos: call.Args[0].End(), End: call.Args[0].End(), NewText: []byte(", " + capText)}
	case 2:
		edit = analysis.TextEdit{Pos: call.Args[1].Pos(), End: call.Args[1].End(), NewText: []byte(capText)}
	default:
		return nil
	}
	return []analysis.SuggestedFix{{Message: "Make " + name + " buffered (capacity " + capText + ")", TextEdits: []analysis.TextEdit{edit}}}
}

// earlyReturn returns a return statement inside the innermost loop around pos, within the same function:
// the receiving loop can end before it has received every value.
func (c *checker) earlyReturn(pos token.Pos) *ast.ReturnStmt {
	cur, ok := c.in.Root().FindByPos(pos, pos)
	if !ok {
		return nil
	}
	for l := range cur.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		switch n := l.Node().(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return nil
		case *ast.ForStmt:
			if n.Cond == nil {
				return nil // an endless loop ends only by returning: a return is its normal exit
			}
		}
		var ret *ast.ReturnStmt
		ast.Inspect(l.Node(), func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				if ret == nil {
					ret = n
				}
			}
			return ret == nil
		})
		return ret
	}
	return nil
}

// loopBound returns the number of iterations of the innermost loop around the spawn at pos, as an
// expression valid where the channel is made (at makePos): len(xs) for a range over xs, n for a range over
// n or for i := 0; i < n; i++. It returns "" when there is none.
func (c *checker) loopBound(pos, makePos token.Pos) string {
	cur, ok := c.in.Root().FindByPos(pos, pos)
	if !ok {
		return ""
	}
	for l := range cur.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		var bound ast.Expr
		switch n := l.Node().(type) {
		case *ast.RangeStmt:
			switch c.pass.TypesInfo.TypeOf(n.X).Underlying().(type) {
			case *types.Slice, *types.Array, *types.Map:
				return c.boundText("len(%s)", n.X, makePos)
			case *types.Basic:
				bound = n.X
			}
		case *ast.ForStmt:
			bound = c.countedBound(n)
		}
		if bound == nil {
			return ""
		}
		return c.boundText("%s", bound, makePos)
	}
	return ""
}

// countedBound returns n for a loop "for i := 0; i < n; i++", else nil.
func (c *checker) countedBound(f *ast.ForStmt) ast.Expr {
	init, ok := f.Init.(*ast.AssignStmt)
	cond, ok2 := f.Cond.(*ast.BinaryExpr)
	if !ok || !ok2 || len(init.Lhs) != 1 || len(init.Rhs) != 1 || cond.Op != token.LSS {
		return nil
	}
	if v := c.pass.TypesInfo.Types[init.Rhs[0]].Value; v == nil || v.String() != "0" {
		return nil
	}
	i, ok := init.Lhs[0].(*ast.Ident)
	x, ok2 := cond.X.(*ast.Ident)
	if !ok || !ok2 || c.pass.TypesInfo.ObjectOf(i) == nil || c.pass.TypesInfo.ObjectOf(i) != c.pass.TypesInfo.ObjectOf(x) {
		return nil
	}
	return cond.Y
}

// boundText formats e if every variable it uses is declared before makePos, so that the fix compiles.
func (c *checker) boundText(format string, e ast.Expr, makePos token.Pos) string {
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			if obj := c.pass.TypesInfo.Uses[n]; obj != nil && obj.Parent() != types.Universe && obj.Pkg() == c.pass.Pkg && obj.Pos() >= makePos {
				ok = false
			}
		case *ast.CallExpr:
			ok = false // a call may not give the same value twice
		}
		return ok
	})
	if !ok {
		return ""
	}
	return fmt.Sprintf(format, types.ExprString(e))
}

// inCountedLoop reports whether op is inside a loop that has a condition or a range: a loop that may run
// any number of times, zero included.
func (c *checker) inCountedLoop(op *goroutines.Op) bool {
	if !op.InLoop {
		return false
	}
	cur, ok := c.in.Root().FindByPos(op.Instr.Pos(), op.Instr.Pos())
	if !ok {
		return false
	}
	for l := range cur.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		switch n := l.Node().(type) {
		case *ast.ForStmt:
			return n.Cond != nil
		case *ast.RangeStmt:
			return true
		}
		return false
	}
	return false
}
