package wgmisuse

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/syncapi"
)

// A group names a sync.WaitGroup by what it is, not by how it is spelled: a variable (local, parameter,
// package-level) and the path of field indices from it to the WaitGroup. wg, (&wg), *p's fields and an
// embedded WaitGroup all resolve to one group.
type group struct {
	root types.Object
	path string
}

// refOf returns the group an expression denotes (through & and *, parentheses and field selections), or
// false for anything else (a call result, an index expression, a map element).
func refOf(info *types.Info, e ast.Expr) (group, bool) {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := info.ObjectOf(e).(*types.Var); ok {
			return group{root: v}, true
		}
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return refOf(info, e.X)
		}
	case *ast.StarExpr:
		return refOf(info, e.X)
	case *ast.SelectorExpr:
		sel := info.Selections[e]
		if sel == nil { // a qualified identifier: pkg.Var
			if v, ok := info.ObjectOf(e.Sel).(*types.Var); ok {
				return group{root: v}, true
			}
			return group{}, false
		}
		if sel.Kind() != types.FieldVal {
			return group{}, false
		}
		base, ok := refOf(info, e.X)
		if !ok {
			return group{}, false
		}
		return base.field(sel.Index()), true
	}
	return group{}, false
}

func (g group) field(index []int) group {
	for _, i := range index {
		g.path += "." + strconv.Itoa(i)
	}
	return g
}

// A wgCall is a call of a sync.WaitGroup method on a group.
type wgCall struct {
	call   *ast.CallExpr
	method string // "Add", "Done", "Wait" or "Go"
	group  group
}

// wgCallOf returns the WaitGroup method call n is, with its group, or false.
func wgCallOf(info *types.Info, n ast.Node) (wgCall, bool) {
	call, ok := n.(*ast.CallExpr)
	if !ok {
		return wgCall{}, false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return wgCall{}, false
	}
	fn := typeutil.Callee(info, call)
	method := ""
	for _, m := range []string{"Add", "Done", "Wait", "Go"} {
		if syncapi.IsMethod(fn, "sync", "WaitGroup", m) {
			method = m
		}
	}
	if method == "" {
		return wgCall{}, false
	}
	s := info.Selections[sel]
	if s == nil {
		return wgCall{}, false
	}
	g, ok := refOf(info, sel.X)
	if !ok {
		return wgCall{}, false
	}
	idx := s.Index()
	return wgCall{call: call, method: method, group: g.field(idx[:len(idx)-1])}, true
}

// mentions reports whether e refers to the root variable of g anywhere.
func mentions(info *types.Info, e ast.Node, g group) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && info.ObjectOf(id) == g.root {
			found = true
		}
		return !found
	})
	return found
}
