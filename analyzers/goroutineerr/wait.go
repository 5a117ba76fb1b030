package goroutineerr

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/conclint/conclint/internal/errclass"
	"github.com/conclint/conclint/internal/syncapi"

	"github.com/conclint/conclint/internal/syntax"
)

// isGroupWait reports whether call is errgroup.Group.Wait.
func (c *checker) isGroupWait(call *ast.CallExpr) bool {
	return syncapi.IsMethod(c.callee(call), syncapi.ErrgroupPath, "Group", "Wait")
}

// checkWait reports an errgroup.Group.Wait call whose result is dropped: a statement, or, with -blank, an
// assignment to _.
func (c *checker) checkWait(cur inspector.Cursor) {
	call := cur.Node().(*ast.CallExpr)
	stmt, ok := cur.Parent().Node().(ast.Stmt)
	if !ok {
		return
	}
	switch st := stmt.(type) {
	case *ast.ExprStmt:
	case *ast.AssignStmt:
		if len(st.Lhs) != 1 || !isBlank(st.Lhs[0]) || !c.cfg.blank {
			return // used, or deliberately discarded
		}
	default:
		return // used, deferred, or started in a goroutine (checkGoStmt)
	}
	fn := syntax.EnclosingFunc(cur)
	if c.neverFails(fn, call) {
		return // every callback of the group returns nil: Wait always returns nil
	}
	c.report(call.Pos(), call.Lparen, catWait, c.waitFix(fn, stmt, call),
		"error returned by %s is not checked: the group's failures are lost", callName(call))
}

// neverFails reports whether the group whose Wait is called is a variable of fn used only to call Go,
// TryGo, SetLimit and Wait, with callbacks that are function literals returning nil on every path.
func (c *checker) neverFails(fn ast.Node, wait *ast.CallExpr) bool {
	sel, ok := ast.Unparen(wait.Fun).(*ast.SelectorExpr)
	if !ok || fn == nil {
		return false
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return false
	}
	g, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || g.Pos() < fn.Pos() || g.Pos() >= fn.End() {
		return false // not a variable of the function: other callbacks may be added elsewhere
	}
	fnCur, ok := c.in.Root().FindNode(fn)
	if !ok {
		return false
	}
	for idCur := range fnCur.Preorder((*ast.Ident)(nil)) {
		if c.pass.TypesInfo.Uses[idCur.Node().(*ast.Ident)] != g {
			continue
		}
		_, isSel := idCur.Parent().Node().(*ast.SelectorExpr)
		call, ok := idCur.Parent().Parent().Node().(*ast.CallExpr)
		if !isSel || !ok || call.Fun != idCur.Parent().Node() {
			return false // g is used other than by calling one of its methods
		}
		switch m := c.callee(call); {
		case syncapi.IsMethod(m, syncapi.ErrgroupPath, "Group", "Go"), syncapi.IsMethod(m, syncapi.ErrgroupPath, "Group", "TryGo"):
			lit, ok := ast.Unparen(call.Args[0]).(*ast.FuncLit)
			if !ok || !c.returnsOnlyNil(lit) {
				return false
			}
		case syncapi.IsMethod(m, syncapi.ErrgroupPath, "Group", "Wait"), syncapi.IsMethod(m, syncapi.ErrgroupPath, "Group", "SetLimit"):
		default:
			return false
		}
	}
	return true
}

// returnsOnlyNil reports whether every return statement of lit returns nil, or the result of a call that
// can only return nil (errclass).
func (c *checker) returnsOnlyNil(lit *ast.FuncLit) bool {
	ok := true
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(n.Results) != 1 || !c.pass.TypesInfo.Types[n.Results[0]].IsNil() && !c.alwaysNil(n.Results[0]) {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// alwaysNil reports whether e is a call whose callee can only return a nil error.
func (c *checker) alwaysNil(e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	class := c.errs.Of(c.callee(call))
	return class != nil && class.Kind == errclass.Nil
}

// waitFix turns the statement that drops Wait's error into "if err := g.Wait(); err != nil { return ...,
// err }", when the enclosing function returns an error last and zero values of its other results can be
// written.
func (c *checker) waitFix(fn ast.Node, stmt ast.Stmt, call *ast.CallExpr) []analysis.SuggestedFix {
	var sig *types.Signature
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		if obj, ok := c.pass.TypesInfo.Defs[fn.Name].(*types.Func); ok {
			sig = obj.Signature()
		}
	case *ast.FuncLit:
		sig, _ = c.pass.TypesInfo.TypeOf(fn).(*types.Signature)
	}
	if sig == nil || sig.Results().Len() == 0 || !syncapi.IsError(sig.Results().At(sig.Results().Len()-1).Type()) {
		return nil
	}
	var results []string
	for i := range sig.Results().Len() - 1 {
		z := zeroValue(sig.Results().At(i).Type())
		if z == "" {
			return nil
		}
		results = append(results, z)
	}
	results = append(results, "err")
	indent := syntax.Indent(c.pass.Fset, stmt.Pos())
	return []analysis.SuggestedFix{{
		Message: "Return the error from " + callName(call),
		TextEdits: []analysis.TextEdit{
			{Pos: stmt.Pos(), End: call.Pos(), NewText: []byte("if err := ")},
			{Pos: call.End(), End: stmt.End(), NewText: []byte("; err != nil {\n" + indent + "\treturn " + strings.Join(results, ", ") + "\n" + indent + "}")},
		},
	}}
}

// zeroValue returns the zero value of t as a literal, or "" for types whose zero value needs the type's
// name (structs, arrays, type parameters).
func zeroValue(t types.Type) string {
	if _, ok := types.Unalias(t).(*types.TypeParam); ok {
		return ""
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return "false"
		case u.Info()&types.IsString != 0:
			return `""`
		case u.Info()&types.IsNumeric != 0:
			return "0"
		case u.Kind() == types.UnsafePointer:
			return "nil"
		}
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Signature, *types.Interface:
		return "nil"
	}
	return ""
}
