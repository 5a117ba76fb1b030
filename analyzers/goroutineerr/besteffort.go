package goroutineerr

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// recordsFailure reports whether the body of an if statement in an errgroup callback, which returns nil
// after an error, first records the failure somewhere the callback does not own: it counts it (n++,
// n += 1, an atomic Add), sends on a channel, or assigns a variable declared outside the callback. The
// callback returns nil on purpose, so that one failure does not cancel the group, and the failure is not
// lost.
func (c *checker) recordsFailure(s *spawn, body *ast.BlockStmt) bool {
	for _, st := range body.List {
		switch st := st.(type) {
		case *ast.IncDecStmt, *ast.SendStmt:
			return true
		case *ast.AssignStmt:
			if st.Tok != token.ASSIGN && st.Tok != token.DEFINE {
				return true // n += 1
			}
			for _, l := range st.Lhs {
				if c.outside(s.lit, l) {
					return true
				}
			}
		case *ast.ExprStmt:
			if call, ok := ast.Unparen(st.X).(*ast.CallExpr); ok && c.atomicAdd(call) {
				return true
			}
		}
	}
	return false
}

// outside reports whether e is, or is a field or element of, a variable declared outside lit.
func (c *checker) outside(lit *ast.FuncLit, e ast.Expr) bool {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			e = x.X
			continue
		case *ast.IndexExpr:
			e = x.X
			continue
		case *ast.StarExpr:
			e = x.X
			continue
		case *ast.Ident:
			v, ok := c.pass.TypesInfo.ObjectOf(x).(*types.Var)
			return ok && !posIn(v.Pos(), lit)
		}
		return false
	}
}

// atomicAdd reports whether call is a sync/atomic Add or Store: a function such as atomic.AddInt64, or a
// method of an atomic type such as atomic.Int64.Add.
func (c *checker) atomicAdd(call *ast.CallExpr) bool {
	fn := c.callee(call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "sync/atomic" {
		return false
	}
	switch name := fn.Name(); {
	case fn.Signature().Recv() != nil:
		return name == "Add" || name == "Store"
	default:
		return strings.HasPrefix(name, "Add") || strings.HasPrefix(name, "Store")
	}
}
