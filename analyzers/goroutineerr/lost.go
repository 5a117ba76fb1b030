package goroutineerr

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/errclass"
	"github.com/conclint/conclint/internal/syncapi"
)

// lost decides whether dropping the error of call, made in the goroutine started at spawn (a go statement
// or the call that starts a goroutine body), loses a failure worth reporting, by what the callee can return
// (its errclass fact) and by how the caller set up its arguments. It returns false when nothing that
// matters is lost, and otherwise what the message should add about the callee, in parentheses, or "".
func (c *checker) lost(call *ast.CallExpr, spawn inspector.Cursor) (bool, string) {
	fn := c.callee(call)
	if class := c.errs.Of(fn); class != nil {
		switch class.Kind {
		case errclass.Nil:
			return false, "" // it never fails
		case errclass.Ctx:
			arg := c.arg(call, class.Param)
			if arg == nil {
				return true, " (it returns only the error of its context)"
			}
			if c.ctxEnds(arg, spawn) {
				return false, "" // it fails only when a context that the caller owns or cancels is done
			}
			return true, " (it returns only the error of its context " + types.ExprString(arg) + ")"
		case errclass.Sentinel:
			if normalEnds(class.Sentinels) {
				return false, "" // it returns only a value documented as its normal end
			}
			return true, " (it returns only " + c.sentinelNames(class.Sentinels) + ")"
		case errclass.Logged:
			if !c.cfg.logged {
				return false, "" // it logs its error before returning it
			}
			return true, " (it logs the error before returning it)"
		}
	}
	if !c.cfg.serve && c.servesCheckedListener(call, spawn) {
		return false, "" // the bind failed, or not, before the go statement; Serve ends on close or rare accept errors
	}
	if where, cause := c.errs.Failure(fn); where != "" {
		if cause != "" {
			return true, " (it fails at " + where + " when " + cause + " fails)"
		}
		return true, " (it fails at " + where + ")"
	}
	return true, ""
}

func normalEnds(sentinels []string) bool {
	for _, s := range sentinels {
		if !syncapi.IsNormalEnd(s) {
			return false
		}
	}
	return true
}

// sentinelNames returns the sentinels as the package would write them: "ErrStopped", "io.EOF".
func (c *checker) sentinelNames(sentinels []string) string {
	names := make([]string, len(sentinels))
	for i, s := range sentinels {
		dot := strings.LastIndex(s, ".")
		pkg, name := s[:dot], s[dot+1:]
		if pkg == c.pass.Pkg.Path() {
			names[i] = name
		} else {
			names[i] = pkg[strings.LastIndex(pkg, "/")+1:] + "." + name
		}
	}
	return strings.Join(names, " or ")
}

// arg returns the argument of call passed to parameter i of its callee (the receiver not counted), or nil.
func (c *checker) arg(call *ast.CallExpr, i int) ast.Expr {
	args := call.Args
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s := c.pass.TypesInfo.Selections[sel]; s != nil && s.Kind() == types.MethodExpr && len(args) > 0 {
			args = args[1:]
		}
	}
	if i < 0 || i >= len(args) {
		return nil
	}
	return args[i]
}

// cancellers are the functions that return a context with the function that cancels it, or with an
// errgroup.Group whose Wait cancels it.
var cancellers = []struct{ pkg, name string }{
	{"context", "WithCancel"},
	{"context", "WithCancelCause"},
	{"context", "WithTimeout"},
	{"context", "WithTimeoutCause"},
	{"context", "WithDeadline"},
	{"context", "WithDeadlineCause"},
	{"os/signal", "NotifyContext"},
}

// ctxEnds reports whether the context e, passed to a goroutine, is the caller's own (a parameter of a
// function enclosing the go statement), or one that the caller cancels (created with context.WithCancel,
// WithTimeout, WithDeadline or signal.NotifyContext, its cancel function used; or by errgroup.WithContext),
// or one that is never done (context.Background, context.TODO): the error it returns then tells the caller
// nothing it does not already know.
func (c *checker) ctxEnds(e ast.Expr, spawn inspector.Cursor) bool {
	info := c.pass.TypesInfo
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok {
		fn := c.callee(call)
		return syncapi.IsFunc(fn, "context", "Background") || syncapi.IsFunc(fn, "context", "TODO")
	}
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	v, _ := info.Uses[id].(*types.Var)
	if v == nil {
		return false
	}
	if posIn(v.Pos(), spawn.Node()) {
		// Declared in the goroutine body itself: look in the innermost function literal that declares it.
		var body *ast.BlockStmt
		ast.Inspect(spawn.Node(), func(n ast.Node) bool {
			if lit, ok := n.(*ast.FuncLit); ok && posIn(v.Pos(), lit.Body) {
				body = lit.Body
			}
			return true
		})
		return body != nil && c.cancelled(body, v)
	}
	for cur := range spawn.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		var ft *ast.FuncType
		var body *ast.BlockStmt
		switch n := cur.Node().(type) {
		case *ast.FuncDecl:
			ft, body = n.Type, n.Body
		case *ast.FuncLit:
			ft, body = n.Type, n.Body
		}
		if declares(info, ft.Params, v) {
			return true // the caller's own context
		}
		if body != nil && posIn(v.Pos(), body) {
			return c.cancelled(body, v)
		}
	}
	return false
}

// declares reports whether the field list declares v.
func declares(info *types.Info, fl *ast.FieldList, v *types.Var) bool {
	if fl == nil {
		return false
	}
	for _, f := range fl.List {
		for _, name := range f.Names {
			if info.Defs[name] == v {
				return true
			}
		}
	}
	return false
}

func posIn(pos token.Pos, n ast.Node) bool { return n.Pos() <= pos && pos < n.End() }

// cancelled reports whether body declares the context v with a canceller whose cancel function the body
// uses, or with errgroup.WithContext.
func (c *checker) cancelled(body *ast.BlockStmt, v *types.Var) bool {
	info := c.pass.TypesInfo
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if found || !ok || len(as.Lhs) != 2 || len(as.Rhs) != 1 {
			return !found
		}
		call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		if !ok {
			return true
		}
		fn := c.callee(call)
		if syncapi.IsFunc(fn, syncapi.ErrgroupPath, "WithContext") {
			found = isVar(info, as.Lhs[1], v)
			return !found
		}
		if !isVar(info, as.Lhs[0], v) {
			return true
		}
		for _, k := range cancellers {
			if syncapi.IsFunc(fn, k.pkg, k.name) {
				cancel, _ := info.ObjectOf(identOf(as.Lhs[1])).(*types.Var)
				found = cancel != nil && c.used(body, cancel)
			}
		}
		return !found
	})
	return found
}

// lastAssign returns the last assignment in body before start, in source order, to an operand for which is
// returns true, and the index of that operand; nil if there is none.
func lastAssign(body *ast.BlockStmt, start token.Pos, is func(ast.Expr) bool) (*ast.AssignStmt, int) {
	var last *ast.AssignStmt
	index := -1
	ast.Inspect(body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && as.Pos() < start {
			for i, l := range as.Lhs {
				if is(l) {
					last, index = as, i
				}
			}
		}
		return n == nil || n.Pos() < start
	})
	return last, index
}

// sameField reports whether e selects the same field as sel, of the same variable: h.ln and h.ln.
func sameField(info *types.Info, e ast.Expr, sel *ast.SelectorExpr) bool {
	other, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	field, _ := info.Uses[sel.Sel].(*types.Var)
	base, _ := info.Uses[identOf(sel.X)].(*types.Var)
	return field != nil && field.IsField() && base != nil &&
		info.Uses[other.Sel] == field && info.Uses[identOf(other.X)] == base
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

func isVar(info *types.Info, e ast.Expr, v *types.Var) bool {
	id := identOf(e)
	return id != nil && info.ObjectOf(id) == v
}

// used reports whether body refers to v.
func (c *checker) used(body ast.Node, v *types.Var) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && c.pass.TypesInfo.Uses[id] == v {
			found = true
		}
		return !found
	})
	return found
}

// servesCheckedListener reports whether call is Serve-style (its callee takes a net.Listener) and the
// listener passed is a variable whose creating call's error the caller checked before the goroutine
// started: the failure that matters, the bind, was handled. A ListenAndServe-style call, which binds
// inside, takes no listener.
func (c *checker) servesCheckedListener(call *ast.CallExpr, spawn inspector.Cursor) bool {
	fn, _ := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	if fn == nil {
		return false
	}
	params := fn.Signature().Params()
	serve := false
	for i := range params.Len() {
		if syncapi.IsNamed(params.At(i).Type(), "net", "Listener") {
			serve = true
			if !c.checkedListener(c.arg(call, i), spawn, 3) {
				return false
			}
		}
	}
	return serve
}

// checkedListener reports whether e is a local variable of the function that starts the goroutine,
// assigned before it by a call whose error the function checks before the goroutine starts, or by a call
// without an error that wraps such a listener (tls.NewListener(l, cfg)).
//
// A field (h.ln) counts when its last assignment before the goroutine starts, in the same function, stores
// such a local variable: ln, err := net.Listen(...); if err != nil { return err }; h.ln = ln.
func (c *checker) checkedListener(e ast.Expr, spawn inspector.Cursor, depth int) bool {
	info := c.pass.TypesInfo
	if depth == 0 {
		return false
	}
	var body *ast.BlockStmt
	for cur := range spawn.Enclosing((*ast.FuncDecl)(nil)) {
		body = cur.Node().(*ast.FuncDecl).Body
	}
	if body == nil {
		return false
	}
	start := spawn.Node().Pos()
	if sel, ok := ast.Unparen(e).(*ast.SelectorExpr); ok {
		last, i := lastAssign(body, start, func(l ast.Expr) bool { return sameField(info, l, sel) })
		return last != nil && len(last.Lhs) == len(last.Rhs) && identOf(last.Rhs[i]) != nil &&
			c.checkedListener(last.Rhs[i], spawn, depth-1)
	}
	id := identOf(e)
	if id == nil {
		return false
	}
	v, _ := info.Uses[id].(*types.Var)
	if v == nil || !posIn(v.Pos(), body) {
		return false // a parameter, a field, a package variable: created elsewhere
	}
	last, _ := lastAssign(body, start, func(l ast.Expr) bool { return isVar(info, l, v) })
	if last == nil || len(last.Rhs) != 1 {
		return false
	}
	call, ok := ast.Unparen(last.Rhs[0]).(*ast.CallExpr)
	if !ok {
		return false
	}
	idx, ok := c.errorResult(call)
	if !ok {
		for _, a := range call.Args {
			if syncapi.IsNamed(info.TypeOf(a), "net", "Listener") && c.checkedListener(a, spawn, depth-1) {
				return true
			}
		}
		return false
	}
	if idx >= len(last.Lhs) || len(last.Lhs) == 1 {
		return false
	}
	errVar, _ := info.ObjectOf(identOf(last.Lhs[idx])).(*types.Var)
	if errVar == nil {
		return false // the error goes to _ or elsewhere
	}
	checked := false
	ast.Inspect(body, func(n ast.Node) bool {
		if ifs, ok := n.(*ast.IfStmt); ok && (ifs.Init == last || ifs.Pos() >= last.Pos()) && ifs.Pos() < start && c.checkedErr(ifs.Cond) == errVar {
			checked = true
		}
		return !checked && (n == nil || n.Pos() < start)
	})
	return checked
}
