package sharedcounter

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"

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
	atomics := make(map[*types.Var]atomicUse)
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
			if _, seen := atomics[v]; !seen {
				atomics[v] = atomicUse{call, fn}
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
		use, ok := atomics[v]
		if !ok || operands[e] || isFieldKey(cur) {
			continue
		}
		if _, isSel := cur.Parent().Node().(*ast.SelectorExpr); isSel && cur.ParentEdgeKind() == edge.SelectorExpr_Sel {
			continue // the Sel of a selector: the selector itself is the access
		}
		fn := syntax.EnclosingFunc(cur)
		if isInit(fn) {
			continue // initialisation, before any goroutine is started
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
