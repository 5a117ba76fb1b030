package sharedcounter

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/syntax"
)

// atomicUse is the first sync/atomic call on a variable.
type atomicUse struct {
	call *ast.CallExpr
	fn   *types.Func
}

// checkMixed reports, once per function, a plain access to a package-level variable (or, with fields, a
// struct field) that is also accessed through sync/atomic functions: the plain access races with the
// atomic ones. A field is one variable per struct value, and a plain access to a value no other goroutine
// sees yet (being built or reset) is fine, which is why fields are behind a flag.
//
// Test files are skipped (benchmark sinks and reads after Wait dominate there), and so is an access that a
// join in its own function precedes.
func (c *checker) checkMixed(in *inspector.Inspector, fields bool) {
	pass, r := c.pass, c.r
	atomics := make(map[any]atomicUse)  // by variable identity (identityOf)
	operands := make(map[ast.Node]bool) // the &x operands of atomic calls
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		fn, _ := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
		if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "sync/atomic" || fn.Signature().Recv() != nil || len(call.Args) == 0 {
			continue
		}
		addr, ok := ast.Unparen(call.Args[0]).(*ast.UnaryExpr)
		if !ok || addr.Op != token.AND {
			continue
		}
		if v := varOf(pass.TypesInfo, addr.X); v != nil && (fields || !v.IsField()) {
			operands[ast.Unparen(addr.X)] = true
			if id := identityOf(pass.TypesInfo, addr.X, v); id != nil {
				if _, seen := atomics[id]; !seen {
					atomics[id] = atomicUse{call, fn}
				}
			}
		}
	}
	if len(atomics) == 0 {
		return
	}
	reported := make(map[[2]any]bool) // (function, variable) pairs already reported
	for cur := range in.Root().Preorder((*ast.Ident)(nil), (*ast.SelectorExpr)(nil)) {
		e := cur.Node().(ast.Expr)
		v := varOf(pass.TypesInfo, e)
		if v == nil {
			continue
		}
		use, ok := atomics[identityOf(pass.TypesInfo, e, v)]
		if !ok || operands[e] || isFieldKey(cur) {
			continue
		}
		if u, ok := cur.Parent().Node().(*ast.UnaryExpr); ok && u.Op == token.AND {
			continue // &x is not an access: the pointer may well be passed to sync/atomic
		}
		if _, isSel := cur.Parent().Node().(*ast.SelectorExpr); isSel && cur.ParentEdgeKind() == edge.SelectorExpr_Sel {
			continue // the Sel of a selector: the selector itself is the access
		}
		fn := syntax.EnclosingFunc(cur)
		if isInit(fn) {
			continue // initialisation, before any goroutine is started
		}
		if v.IsField() && c.unshared(fn, e) {
			continue // a local copy, or a value the function created and is still building
		}
		if syntax.IsTestCode(pass.Fset, pass.Pkg.Path(), pass.Pkg.Name(), e.Pos()) {
			continue // a test: sinks and reads after Wait
		}
		if join := c.firstJoin(fn, syntax.FuncBody(fn).Pos()); join.IsValid() && join < e.Pos() {
			continue // the function waits before the access: it may have joined every writer
		}
		key := [2]any{fn, v}
		if reported[key] {
			continue
		}
		reported[key] = true
		p := pass.Fset.Position(use.call.Pos())
		r.Report(analysis.Diagnostic{
			Pos: e.Pos(), End: e.End(), Category: "mixed-atomic",
			Message: fmt.Sprintf("%s is accessed with %s.%s (%s:%d) but plainly here; use %s for every access",
				types.ExprString(e), use.fn.Pkg().Name(), use.fn.Name(), filepath.Base(p.Filename), p.Line, atomicType(v.Type())),
		})
	}
}

// varOf returns the package-level variable or struct field that e denotes, or nil. Local variables are
// left to the goroutine checks.
func varOf(info *types.Info, e ast.Expr) *types.Var {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, _ := info.Uses[e].(*types.Var)
		if v != nil && !v.IsField() && v.Parent() == v.Pkg().Scope() {
			return v
		}
	case *ast.SelectorExpr:
		if sel := info.Selections[e]; sel != nil && sel.Kind() == types.FieldVal {
			v, _ := sel.Obj().(*types.Var)
			return v
		}
		if v, ok := info.Uses[e.Sel].(*types.Var); ok && !v.IsField() {
			return v // a package-level variable of another package
		}
	}
	return nil
}

// identityOf returns the identity of the variable v that e denotes: the variable itself for a
// package-level variable; for a field, the field path from the last pointer on the way to it, with that
// pointer's element type ("(pkg.A).stats.n"), so that a struct embedded in two types is two variables.
func identityOf(info *types.Info, e ast.Expr, v *types.Var) any {
	if !v.IsField() {
		return v
	}
	base, path := fieldPath(info, e)
	if base == nil {
		return nil
	}
	return "(" + typeName(base) + ")" + strings.Join(path, "")
}

// fieldPath returns the type of the last pointer (or of the root value) on the way to the field that e
// selects, and the fields from it, promoted fields included.
func fieldPath(info *types.Info, e ast.Expr) (types.Type, []string) {
	switch x := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		sel := info.Selections[x]
		if sel == nil || sel.Kind() != types.FieldVal {
			return info.TypeOf(x), nil
		}
		base, path := fieldPath(info, x.X)
		t := info.TypeOf(x.X)
		for _, i := range sel.Index() {
			if isPointer(t) {
				base, path = t, nil
			}
			st, ok := derefType(t).Underlying().(*types.Struct)
			if !ok || i >= st.NumFields() {
				return nil, nil
			}
			f := st.Field(i)
			path = append(path, "."+f.Name())
			t = f.Type()
		}
		return base, path
	case *ast.StarExpr:
		return info.TypeOf(x.X), nil
	}
	return info.TypeOf(e), nil
}

// unshared reports whether the field access e is to a value that no other goroutine can see yet: a struct
// variable local to fn (a copy), or a pointer variable fn initialized with a new value (&T{...} or new(T))
// and does not assign otherwise. Whether the new value escaped before e is not checked.
func (c *checker) unshared(fn ast.Node, e ast.Expr) bool {
	root := ast.Unparen(e)
	for {
		sel, ok := root.(*ast.SelectorExpr)
		if !ok {
			break
		}
		if s := c.pass.TypesInfo.Selections[sel]; s == nil || s.Kind() != types.FieldVal || s.Indirect() && !c.isRootSel(sel) {
			return false // through a pointer loaded from a field: the pointee may be shared
		}
		root = ast.Unparen(sel.X)
	}
	id, ok := root.(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	body := syntax.FuncBody(fn)
	if !ok || body == nil || v.Pos() < body.Pos() || v.Pos() >= body.End() {
		return false // not a local variable of fn (a parameter, a capture, a package-level variable)
	}
	if c.captured(body, v) {
		return false // a function literal (a goroutine) shares it
	}
	if !isPointer(v.Type()) {
		return isStruct(v.Type()) // a struct value local to fn
	}
	fresh := false
	assigned := 0
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if lid, ok := ast.Unparen(lhs).(*ast.Ident); ok && (c.pass.TypesInfo.Defs[lid] == v || c.pass.TypesInfo.Uses[lid] == v) {
					assigned++
					fresh = len(n.Rhs) == len(n.Lhs) && c.isNew(n.Rhs[i])
				}
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if c.pass.TypesInfo.Defs[name] == v {
					assigned++
					fresh = len(n.Values) == len(n.Names) && c.isNew(n.Values[i])
				}
			}
		}
		return true
	})
	return assigned == 1 && fresh
}

// captured reports whether a function literal in body refers to v.
func (c *checker) captured(body *ast.BlockStmt, v *types.Var) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if lit, ok := n.(*ast.FuncLit); ok {
			ast.Inspect(lit.Body, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && c.pass.TypesInfo.Uses[id] == v {
					found = true
				}
				return !found
			})
			return false
		}
		return !found
	})
	return found
}

// isRootSel reports whether sel selects directly from an identifier: p.f with p a pointer variable.
func (c *checker) isRootSel(sel *ast.SelectorExpr) bool {
	s := c.pass.TypesInfo.Selections[sel]
	_, ok := ast.Unparen(sel.X).(*ast.Ident)
	return ok && len(s.Index()) == 1
}

// isNew reports whether e is &T{...} or new(T).
func (c *checker) isNew(e ast.Expr) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.UnaryExpr:
		_, ok := ast.Unparen(x.X).(*ast.CompositeLit)
		return x.Op == token.AND && ok
	case *ast.CallExpr:
		return c.isBuiltin(x.Fun, "new")
	}
	return false
}

func isPointer(t types.Type) bool { _, ok := types.Unalias(t).Underlying().(*types.Pointer); return ok }

func isStruct(t types.Type) bool { _, ok := types.Unalias(t).Underlying().(*types.Struct); return ok }

func derefType(t types.Type) types.Type {
	if p, ok := types.Unalias(t).Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// isFieldKey reports whether cur is the key of a struct literal's element.
func isFieldKey(cur inspector.Cursor) bool {
	return cur.ParentEdgeKind() == edge.KeyValueExpr_Key
}

// isInit reports whether fn is nil (a package-level initializer) or an init function, or a function
// literal in one.
func isInit(fn ast.Node) bool {
	if fn == nil {
		return true
	}
	d, ok := fn.(*ast.FuncDecl)
	return ok && d.Recv == nil && d.Name.Name == "init"
}

// atomicType names the sync/atomic type to use for a variable of type t.
func atomicType(t types.Type) string {
	if b, ok := t.Underlying().(*types.Basic); ok {
		switch b.Kind() {
		case types.Int32:
			return "atomic.Int32"
		case types.Int64:
			return "atomic.Int64"
		case types.Uint32:
			return "atomic.Uint32"
		case types.Uint64:
			return "atomic.Uint64"
		case types.Uintptr:
			return "atomic.Uintptr"
		case types.UnsafePointer:
			return "atomic.Pointer"
		}
	}
	return "a sync/atomic type"
}
