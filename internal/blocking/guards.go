package blocking

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
)

// Guards: a bool parameter that must be true for an operation to run, as in
//
//	func (c *conn) maybeFlush(doFlush bool) { if doFlush { c.flushOutbound() } }
//
// A function whose every blocking operation needs the same parameter true blocks only when its caller
// passes a value that may be true: a call with the constant false does not block.

// guards finds the bool parameters of a function that guard parts of its body.
type guards struct {
	params map[types.Object]int // the bool parameters never assigned in the body, by index
	spans  []guardSpan
}

// A guardSpan is a part of the body that runs only when the parameter at index param is true.
type guardSpan struct {
	param    int
	pos, end token.Pos
}

// findGuards returns the guards of the function fn whose body is body: the bodies of if statements whose
// condition is p or p && ..., and the right operand of p && ..., for a bool parameter p that the body
// never assigns.
func findGuards(info *types.Info, fn *types.Func, body *ast.BlockStmt) *guards {
	g := &guards{params: make(map[types.Object]int)}
	params := fn.Signature().Params()
	for i := range params.Len() {
		p := params.At(i)
		if b, ok := p.Type().Underlying().(*types.Basic); ok && b.Kind() == types.Bool && p.Name() != "" && p.Name() != "_" {
			g.params[p] = i
		}
	}
	if len(g.params) == 0 {
		return g
	}
	ast.Inspect(body, func(n ast.Node) bool {
		var lhs []ast.Expr
		switch n := n.(type) {
		case *ast.AssignStmt:
			lhs = n.Lhs
		case *ast.IncDecStmt:
			lhs = []ast.Expr{n.X}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				lhs = []ast.Expr{n.X}
			}
		case *ast.RangeStmt:
			lhs = []ast.Expr{n.Key, n.Value}
		}
		for _, e := range lhs {
			if id, ok := ast.Unparen(e).(*ast.Ident); ok {
				delete(g.params, info.Uses[id])
			}
		}
		return true
	})
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.IfStmt:
			for _, p := range g.implied(info, n.Cond) {
				g.spans = append(g.spans, guardSpan{p, n.Body.Pos(), n.Body.End()})
			}
		case *ast.BinaryExpr:
			if n.Op == token.LAND {
				for _, p := range g.implied(info, n.X) {
					g.spans = append(g.spans, guardSpan{p, n.Y.Pos(), n.Y.End()})
				}
			}
		}
		return true
	})
	return g
}

// implied returns the indexes of the guarding parameters that cond being true implies true: cond is p,
// or a && whose operands imply it.
func (g *guards) implied(info *types.Info, cond ast.Expr) []int {
	switch e := ast.Unparen(cond).(type) {
	case *ast.Ident:
		if i, ok := g.params[info.Uses[e]]; ok {
			return []int{i}
		}
	case *ast.BinaryExpr:
		if e.Op == token.LAND {
			return append(g.implied(info, e.X), g.implied(info, e.Y)...)
		}
	}
	return nil
}

// of returns the indexes of the parameters that must be true for op to run: those of the spans around it,
// and, for a call whose callee blocks only when its argument at index k is true, the parameter passed
// there. It returns ok false when op cannot block at all: it passes the constant false there.
func (g *guards) of(info *types.Info, op Op, callee *MayBlock) (params []int, ok bool) {
	pos := op.Node.Pos()
	for _, s := range g.spans {
		if s.pos <= pos && pos < s.end && !slices.Contains(params, s.param) {
			params = append(params, s.param)
		}
	}
	if callee == nil || callee.Guard == 0 {
		return params, true
	}
	arg := guardArg(info, op.Node.(*ast.CallExpr), callee.Guard-1)
	if arg == nil {
		return params, true
	}
	if tv := info.Types[arg]; tv.Value != nil && tv.Value.Kind() == constant.Bool {
		return params, constant.BoolVal(tv.Value)
	}
	if id, isIdent := ast.Unparen(arg).(*ast.Ident); isIdent {
		if i, guarding := g.params[info.Uses[id]]; guarding && !slices.Contains(params, i) {
			params = append(params, i)
		}
	}
	return params, true
}

// guardArg returns the argument of call for the parameter at index i of its static callee, or nil.
func guardArg(info *types.Info, call *ast.CallExpr, i int) ast.Expr {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodExpr {
			i++ // T.m(recv, args...)
		}
	}
	if call.Ellipsis.IsValid() || i >= len(call.Args) {
		return nil
	}
	return call.Args[i]
}

// Blocks returns the fact of the callee of op, a static call, or nil if that call cannot block: the
// callee is not known to block, or blocks only when an argument is true and the call passes the constant
// false.
func (r *Result) Blocks(op Op) *MayBlock {
	mb := r.MayBlock(op.Callee)
	if mb == nil || mb.Guard == 0 {
		return mb
	}
	call, ok := op.Node.(*ast.CallExpr)
	if !ok {
		return mb
	}
	if arg := guardArg(r.pass.TypesInfo, call, mb.Guard-1); arg != nil {
		if tv := r.pass.TypesInfo.Types[arg]; tv.Value != nil && tv.Value.Kind() == constant.Bool && !constant.BoolVal(tv.Value) {
			return nil
		}
	}
	return mb
}
