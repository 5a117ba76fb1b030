package wgmisuse

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// A use is what a function body does with one group: its own Done and Wait calls outside nested function
// literals, whether it defers Done, and whether the group reaches code that the analyzer cannot follow.
type use struct {
	dones     []*ast.CallExpr
	waits     []*ast.CallExpr
	deferDone bool
	unknown   bool
}

// useOf scans body for what it does with g.
func (c *checker) useOf(body *ast.BlockStmt, g group) use {
	var u use
	parents := map[ast.Node]ast.Node{}
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return false
		}
		if len(stack) > 0 {
			parents[n] = stack[len(stack)-1]
		}
		stack = append(stack, n)
		return true
	})
	info := c.pass.TypesInfo
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.DeferStmt:
			if wc, ok := wgCallOf(info, n.Call); ok && wc.group == g && wc.method == "Done" {
				u.deferDone = true
				return false
			}
			if lit, ok := n.Call.Fun.(*ast.FuncLit); ok && c.callsDone(lit.Body, g) {
				u.deferDone = true
				return false
			}
		case *ast.FuncLit:
			if mentions(info, n, g) {
				u.unknown = true // the group reaches a closure that may run anywhere
			}
			return false
		case *ast.CallExpr:
			if wc, ok := wgCallOf(info, n); ok && wc.group == g {
				switch wc.method {
				case "Done":
					u.dones = append(u.dones, n)
				case "Wait":
					u.waits = append(u.waits, n)
				}
			}
		case *ast.Ident:
			if info.ObjectOf(n) == g.root && !c.followable(n, g, parents) {
				u.unknown = true
			}
		}
		return true
	})
	return u
}

// callsDone reports whether body calls g's Done outside nested function literals.
func (c *checker) callsDone(body *ast.BlockStmt, g group) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if wc, ok := wgCallOf(c.pass.TypesInfo, n); ok && wc.group == g && wc.method == "Done" {
			found = true
		}
		return !found
	})
	return found
}

// followable reports whether a mention of g's root variable keeps the group where the analyzer sees it:
// the receiver of g's own methods, a selection of another field, or an argument or receiver of a
// function of the package that never touches a WaitGroup.
func (c *checker) followable(id *ast.Ident, g group, parents map[ast.Node]ast.Node) bool {
	info := c.pass.TypesInfo
	var e ast.Node = id
	path := ""
	for {
		p := parents[e]
		if paren, ok := p.(*ast.ParenExpr); ok {
			e = paren
			continue
		}
		sel, ok := p.(*ast.SelectorExpr)
		if !ok || sel.X != e {
			break
		}
		s := info.Selections[sel]
		if s == nil {
			return false
		}
		if s.Kind() != types.FieldVal {
			// A method of the value holding the group (or of the group itself).
			if call, ok := parents[sel].(*ast.CallExpr); ok && call.Fun == sel {
				if wc, ok := wgCallOf(info, call); ok && wc.group == g {
					return true
				}
				return !c.mayTouchGroups(typeutil.StaticCallee(info, call))
			}
			return false
		}
		path = group{path: path}.field(s.Index()).path
		if !isPrefix(path, g.path) {
			return true // another field: the group is not involved
		}
		e = sel
	}
	// e is the group itself or a value that holds it: it goes somewhere.
	p := parents[e]
	if u, ok := p.(*ast.UnaryExpr); ok && u.X == e {
		e, p = u, parents[u]
	}
	if call, ok := p.(*ast.CallExpr); ok && call.Fun != e {
		return !c.mayTouchGroups(typeutil.StaticCallee(info, call))
	}
	return false
}

func isPrefix(prefix, path string) bool {
	return len(prefix) <= len(path) && path[:len(prefix)] == prefix && (len(prefix) == len(path) || path[len(prefix)] == '.')
}

// mayTouchGroups reports whether a call of fn may call a WaitGroup method: fn is unknown (nil, or not
// declared in this package), or its body, or that of a function of the package it calls, calls one.
func (c *checker) mayTouchGroups(fn *types.Func) bool {
	if fn == nil {
		return true
	}
	if v, ok := c.touches[fn]; ok {
		return v
	}
	decl := c.decls[fn]
	if decl == nil || decl.Body == nil {
		return true
	}
	c.touches[fn] = false // assumed while in progress: a cycle adds nothing
	touches := false
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || touches {
			return !touches
		}
		if _, ok := wgCallOf(c.pass.TypesInfo, call); ok {
			touches = true
		} else if callee := typeutil.StaticCallee(c.pass.TypesInfo, call); callee != nil && c.decls[callee] != nil {
			touches = c.mayTouchGroups(callee)
		}
		return !touches
	})
	c.touches[fn] = touches
	return touches
}
