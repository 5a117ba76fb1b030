package goroutineerr

import (
	"go/ast"
	"go/types"

	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

// relayHalf reports whether call is one direction of a relay: io.Copy(a, b) (or io.CopyBuffer) while the
// function that starts the goroutine also copies the other way, io.Copy(b, a), in another goroutine or
// itself. Either copy ends when a side closes or fails, and that end is the relay's only outcome: the
// other direction then ends too, and nothing could retry one direction (sing-box's SSH agent forwarding).
func (c *checker) relayHalf(s *spawn, call *ast.CallExpr) bool {
	dst, src, ok := c.copyEnds(call)
	if !ok {
		return false
	}
	body := syntax.FuncBody(syntax.EnclosingFunc(s.cur))
	if body == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		other, ok := n.(*ast.CallExpr)
		if !ok || found || other == call {
			return !found
		}
		if d, s, ok := c.copyEnds(other); ok && d == src && s == dst {
			found = true
		}
		return !found
	})
	return found
}

// copyEnds returns the variables that an io.Copy or io.CopyBuffer call copies into and from, when both
// are variables (not fields or calls, whose identity the syntax does not tell).
func (c *checker) copyEnds(call *ast.CallExpr) (dst, src types.Object, ok bool) {
	fn := c.callee(call)
	if !syncapi.IsFunc(fn, "io", "Copy") && !syncapi.IsFunc(fn, "io", "CopyBuffer") || len(call.Args) < 2 {
		return nil, nil, false
	}
	dst, src = c.varOf(call.Args[0]), c.varOf(call.Args[1])
	return dst, src, dst != nil && src != nil && dst != src
}

// varOf returns the variable that the identifier e denotes, or nil.
func (c *checker) varOf(e ast.Expr) types.Object {
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		if v, ok := c.pass.TypesInfo.Uses[id].(*types.Var); ok {
			return v
		}
	}
	return nil
}
