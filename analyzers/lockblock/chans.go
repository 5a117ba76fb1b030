package lockblock

import (
	"go/ast"
	"go/constant"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// bufferedChans returns the local channel variables whose sends can never block: made once with
// make(chan T, n) for a constant n, never assigned again, and sent on at most n times, never in a loop.
func bufferedChans(pass *analysis.Pass) map[types.Object]bool {
	type info struct {
		capacity int64
		made     ast.Node // the make call
		assigns  int
		sends    int
		inLoop   bool
	}
	vars := make(map[types.Object]*info)
	get := func(e ast.Expr) *info {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return nil
		}
		obj := pass.TypesInfo.ObjectOf(id)
		if v, ok := obj.(*types.Var); !ok || v.Parent() == nil || v.Parent() == pass.Pkg.Scope() {
			return nil // not a local variable
		}
		if vars[obj] == nil {
			vars[obj] = &info{capacity: -1}
		}
		return vars[obj]
	}
	for _, f := range pass.Files {
		var loops []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				return true
			}
			switch n := n.(type) {
			case *ast.ForStmt, *ast.RangeStmt:
				loops = append(loops, n)
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					v := get(lhs)
					if v == nil {
						continue
					}
					v.assigns++
					if len(n.Rhs) == len(n.Lhs) {
						v.capacity, v.made = makeCap(pass, n.Rhs[i]), n.Rhs[i]
					}
				}
			case *ast.ValueSpec:
				for i, name := range n.Names {
					if v := get(name); v != nil && len(n.Values) == len(n.Names) {
						v.assigns++
						v.capacity, v.made = makeCap(pass, n.Values[i]), n.Values[i]
					}
				}
			case *ast.SendStmt:
				if v := get(n.Chan); v != nil {
					v.sends++
					for _, l := range loops {
						if within(n, l) && (v.made == nil || !within(v.made, l)) {
							v.inLoop = true // sent on each iteration of a loop the channel outlives
						}
					}
				}
			}
			return true
		})
	}
	out := make(map[types.Object]bool)
	for obj, v := range vars {
		if v.assigns == 1 && v.capacity >= 1 && int64(v.sends) <= v.capacity && !v.inLoop {
			out[obj] = true
		}
	}
	return out
}

// makeCap returns n for make(chan T, n) with a constant n, else -1.
func makeCap(pass *analysis.Pass, e ast.Expr) int64 {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 2 {
		return -1
	}
	if pass.TypesInfo.Uses[identOf(call.Fun)] != types.Universe.Lookup("make") {
		return -1
	}
	tv := pass.TypesInfo.Types[call.Args[1]]
	if tv.Value == nil || tv.Value.Kind() != constant.Int {
		return -1
	}
	n, _ := constant.Int64Val(tv.Value)
	return n
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

func within(n, outer ast.Node) bool { return outer.Pos() <= n.Pos() && n.End() <= outer.End() }
