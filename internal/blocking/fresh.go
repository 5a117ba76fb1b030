package blocking

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/conclint/conclint/internal/syntax"
)

// Fresh channels: a send on a channel that the function just made with room for n values, before the
// channel is used in any other way, as in nats.go's Subscription.StatusChanged:
//
//	ch := make(chan SubStatus, 10)
//	...
//	if s.status == SubscriptionClosed { ch <- SubscriptionClosed; close(ch); return ch }
//
// Nobody else has the channel yet, so only the sends of the function itself can have filled it: when at
// most n sends can run from the make to this one, there is room.

// freshSends returns the sends on a local channel, made by its declaration ch := make(chan T, n) with a
// constant n, that come after it in the same function with no other use of ch in between, outside loops and
// function literals, and are at most the n-th send on ch in source order since the make (which counts
// every send that can run before them, and more).
func freshSends(pass *analysis.Pass) map[*ast.SendStmt]bool {
	info := pass.TypesInfo
	out := make(map[*ast.SendStmt]bool)
	var visit func(body *ast.BlockStmt)
	visit = func(body *ast.BlockStmt) {
		if hasGoto(body) {
			return // a jump back could run a send again
		}
		ast.Inspect(body, func(n ast.Node) bool {
			if lit, ok := n.(*ast.FuncLit); ok {
				visit(lit.Body)
				return false
			}
			list, ok := syntax.StmtList(n)
			if !ok {
				return true
			}
			for i, stmt := range list {
				if ch, capacity := madeHere(pass, stmt); ch != nil {
					markFresh(info, ch, capacity, list[i+1:], out)
				}
			}
			return true
		})
	}
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			if d, ok := decl.(*ast.FuncDecl); ok && d.Body != nil {
				visit(d.Body)
			}
		}
	}
	return out
}

// madeHere returns the variable that stmt declares as ch := make(chan T, n) or var ch = make(chan T, n)
// with a constant n >= 1, and n; else nil.
func madeHere(pass *analysis.Pass, stmt ast.Stmt) (types.Object, int64) {
	var name *ast.Ident
	var value ast.Expr
	switch s := stmt.(type) {
	case *ast.AssignStmt:
		if s.Tok != token.DEFINE || len(s.Lhs) != 1 || len(s.Rhs) != 1 {
			return nil, 0
		}
		name, _ = s.Lhs[0].(*ast.Ident)
		value = s.Rhs[0]
	case *ast.DeclStmt:
		gen, ok := s.Decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.VAR || len(gen.Specs) != 1 {
			return nil, 0
		}
		spec := gen.Specs[0].(*ast.ValueSpec)
		if len(spec.Names) != 1 || len(spec.Values) != 1 {
			return nil, 0
		}
		name, value = spec.Names[0], spec.Values[0]
	}
	if name == nil {
		return nil, 0
	}
	obj := pass.TypesInfo.Defs[name]
	if obj == nil {
		return nil, 0 // ch already declared: := assigns it
	}
	if n := makeCap(pass, value); n >= 1 {
		return obj, n
	}
	return nil, 0
}

// markFresh marks the sends on ch in the statements after its make, in source order, until ch is used
// otherwise, is used in a loop or a function literal, or has had capacity sends.
func markFresh(info *types.Info, ch types.Object, capacity int64, after []ast.Stmt, out map[*ast.SendStmt]bool) {
	sends := int64(0)
	stop := false
	uses := func(n ast.Node) bool {
		found := false
		ast.Inspect(n, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && info.Uses[id] == ch {
				found = true
			}
			return !found
		})
		return found
	}
	for _, stmt := range after {
		ast.Inspect(stmt, func(n ast.Node) bool {
			if stop {
				return false
			}
			switch n := n.(type) {
			case *ast.FuncLit, *ast.ForStmt, *ast.RangeStmt:
				stop = uses(n)
				return false // a literal may run later, a loop again: its sends are not counted
			case *ast.SendStmt:
				id, ok := ast.Unparen(n.Chan).(*ast.Ident)
				if !ok || info.Uses[id] != ch {
					return true
				}
				if uses(n.Value) {
					stop = true
					return false
				}
				sends++
				if sends > capacity {
					stop = true
					return false
				}
				out[n] = true
				return false
			case *ast.Ident:
				stop = info.Uses[n] == ch // any other use: the channel may be in other hands, or another one
			}
			return !stop
		})
		if stop {
			return
		}
	}
}
