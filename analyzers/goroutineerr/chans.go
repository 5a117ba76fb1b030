package goroutineerr

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/conclint/conclint/internal/syncapi"

	"github.com/conclint/conclint/internal/syntax"
)

// checkChans reports each buffered channel of errors, held in a local variable, that goroutines send on and
// that nothing can receive from: every use of the variable is a send, close(ch) or cap(ch). An unbuffered
// one blocks its senders forever, which chanleak reports.
func (c *checker) checkChans(spawns []*spawn) {
	bodies := make(map[ast.Node]bool)
	for _, s := range spawns {
		bodies[s.lit] = true
	}
	for cur := range c.in.Root().Preorder((*ast.CallExpr)(nil)) {
		mk := cur.Node().(*ast.CallExpr)
		v := c.errChanVar(cur)
		if v == nil || !c.cfg.tests && c.inTest(mk.Pos()) {
			continue
		}
		fn, ok := c.in.Root().FindNode(syntax.EnclosingFunc(cur))
		if !ok {
			continue
		}
		if sends := c.onlySends(fn, v, bodies); len(sends) > 0 {
			c.emit(analysis.Diagnostic{
				Pos:      mk.Pos(),
				End:      mk.End(),
				Category: catChan,
				Message:  "errors sent on " + v.Name() + " are never received: every failure is lost; receive from " + v.Name() + " or use errgroup",
				Related:  sends,
			})
		}
	}
}

// errChanVar returns the local variable that the call at cur, make(chan error, n) with n not the constant
// 0, initializes.
func (c *checker) errChanVar(cur inspector.Cursor) *types.Var {
	mk := cur.Node().(*ast.CallExpr)
	if !c.isBuiltin(mk, "make") || len(mk.Args) != 2 {
		return nil
	}
	ch, ok := c.pass.TypesInfo.TypeOf(mk).Underlying().(*types.Chan)
	if !ok || !syncapi.IsError(ch.Elem()) {
		return nil
	}
	if size := c.pass.TypesInfo.Types[mk.Args[1]].Value; size != nil && size.String() == "0" {
		return nil // unbuffered: chanleak's
	}
	var id *ast.Ident
	switch p := cur.Parent().Node().(type) {
	case *ast.AssignStmt:
		if len(p.Lhs) == len(p.Rhs) {
			for i, rhs := range p.Rhs {
				if rhs == mk {
					id, _ = p.Lhs[i].(*ast.Ident)
				}
			}
		}
	case *ast.ValueSpec:
		for i, val := range p.Values {
			if val == mk && i < len(p.Names) {
				id = p.Names[i]
			}
		}
	}
	if id == nil {
		return nil
	}
	v, _ := c.pass.TypesInfo.Defs[id].(*types.Var)
	return v
}

// onlySends returns where goroutines send on v, provided that every use of v in fn is a send, close(v) or
// cap(v), so that nothing can ever receive from the channel. It returns nil if any other use may receive or
// let the channel escape (a receive, len(v), an assignment, a call, a return).
func (c *checker) onlySends(fn inspector.Cursor, v *types.Var, bodies map[ast.Node]bool) []analysis.RelatedInformation {
	var sends []analysis.RelatedInformation
	for cur := range fn.Preorder((*ast.Ident)(nil)) {
		id := cur.Node().(*ast.Ident)
		if c.pass.TypesInfo.Uses[id] != v {
			continue
		}
		switch p := cur.Parent().Node().(type) {
		case *ast.SendStmt:
			if p.Chan != id {
				return nil // the channel is sent as a value
			}
			if inBody(cur, bodies) {
				sends = append(sends, analysis.RelatedInformation{Pos: p.Pos(), End: p.End(), Message: "error sent here"})
			}
		case *ast.CallExpr:
			if !c.isBuiltin(p, "close") && !c.isBuiltin(p, "cap") {
				return nil
			}
		default:
			return nil
		}
	}
	return sends
}

// inBody reports whether cur lies in one of the goroutine bodies.
func inBody(cur inspector.Cursor, bodies map[ast.Node]bool) bool {
	for lit := range cur.Enclosing((*ast.FuncLit)(nil)) {
		if bodies[lit.Node()] {
			return true
		}
	}
	return false
}

// isBuiltin reports whether call calls the predeclared function name.
func (c *checker) isBuiltin(call *ast.CallExpr, name string) bool {
	return syntax.IsBuiltin(c.pass.TypesInfo, call, name)
}
