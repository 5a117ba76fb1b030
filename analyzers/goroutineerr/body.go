package goroutineerr

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

// checkBody reports the errors a goroutine body drops, and, for an errgroup callback, the errors it checks
// and then hides from the group by returning nil.
func (c *checker) checkBody(s *spawn) {
	inspectBody(s.lit, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.ExprStmt:
			if call, ok := ast.Unparen(n.X).(*ast.CallExpr); ok && (c.cfg.calls || soleWork(s.lit, n)) {
				if !c.cfg.calls && isCleanup(c.callee(call)) {
					break // the goroutine exists to run a cleanup, best effort as a go statement's (see isCleanup)
				}
				c.checkDropped(s, call, nil)
			}
		case *ast.AssignStmt:
			c.checkAssign(s, n)
		}
		if list, ok := syntax.StmtList(n); ok {
			c.checkNilReturns(s, list)
		}
	})
}

// inspectBody calls f for each node of the literal's body that runs in the goroutine itself: not inside a
// nested function literal, nor a deferred call or a go statement.
func inspectBody(lit *ast.FuncLit, f func(ast.Node)) {
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		switch n.(type) {
		case nil:
			return false
		case *ast.FuncLit, *ast.DeferStmt, *ast.GoStmt:
			return false
		}
		f(n)
		return true
	})
}

// soleWork reports whether st is the only statement of the literal's body besides defer statements: the
// goroutine exists to run it, as in go func() { defer wg.Done(); srv.Serve(l) }().
func soleWork(lit *ast.FuncLit, st ast.Stmt) bool {
	for _, other := range lit.Body.List {
		if _, ok := other.(*ast.DeferStmt); !ok && other != st {
			return false
		}
	}
	return true
}

// checkAssign checks each call of an assignment whose error result goes to _ or to a variable of the body.
func (c *checker) checkAssign(s *spawn, as *ast.AssignStmt) {
	if as.Tok != token.ASSIGN && as.Tok != token.DEFINE {
		return
	}
	for i, rhs := range as.Rhs {
		call, ok := ast.Unparen(rhs).(*ast.CallExpr)
		if !ok {
			continue
		}
		idx, ok := c.errorResult(call)
		if !ok {
			continue
		}
		lhs := i // one value per call
		if len(as.Rhs) == 1 && len(as.Lhs) > 1 {
			lhs = idx // the call's results spread over the left-hand side
		}
		if lhs < len(as.Lhs) {
			c.checkDropped(s, call, as.Lhs[lhs])
		}
	}
}

// checkDropped reports a call of the goroutine body whose error is dropped: the call is a statement
// (dest nil), or its error goes to _ (reported with -blank) or to a variable of the body that is never read
// afterwards.
func (c *checker) checkDropped(s *spawn, call *ast.CallExpr, dest ast.Expr) {
	idx, ok := c.errorResult(call)
	if !ok || c.quiet(call) || c.isGroupWait(call) {
		return // no error, a quiet one, or errgroup's Wait, which checkWait reports
	}
	if isBlank(dest) && !c.cfg.blank {
		return // a deliberate discard
	}
	if dest == nil && c.exitWatcher(s, call) {
		return // the goroutine turns a process's exit into a signal; its exit status is not the point
	}
	if c.relayHalf(s, call) {
		return // one direction of a relay: its end, not its error, is the outcome
	}
	lost, why := c.lost(call, s.cur)
	if !lost {
		return // nothing that matters is lost
	}
	name := callName(call) + why
	switch {
	case dest == nil || isBlank(dest):
		c.report(call.Pos(), call.Lparen, catDropped, nil, "goroutine discards the error returned by %s", name)
	default:
		if v := c.localVar(s.lit, dest); v != nil && !c.readAfter(s.lit, v, call.End()) && c.unread(s.lit, call, idx) {
			c.report(call.Pos(), call.Lparen, catDropped, nil, "goroutine discards the error returned by %s: %s is never read afterwards", name, v.Name())
		}
	}
}

func isBlank(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "_"
}

// localVar returns the variable e denotes if it is declared in the literal.
func (c *checker) localVar(lit *ast.FuncLit, e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := c.pass.TypesInfo.ObjectOf(id).(*types.Var)
	if !ok || v.Pos() < lit.Pos() || v.Pos() >= lit.End() {
		return nil
	}
	return v
}

// readAfter reports whether v is read in the literal after pos, nested literals included; an identifier
// on the left of an assignment is a write, not a read.
func (c *checker) readAfter(lit *ast.FuncLit, v *types.Var, pos token.Pos) bool {
	written := make(map[*ast.Ident]bool)
	read := false
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					written[id] = true
				}
			}
		case *ast.Ident:
			if n.Pos() > pos && !written[n] && c.pass.TypesInfo.Uses[n] == v {
				read = true
			}
		}
		return !read
	})
	return read
}

// checkNilReturns reports, in an errgroup callback, an if statement that checks an error just returned by
// a call and returns nil without using it: the group never sees the failure.
func (c *checker) checkNilReturns(s *spawn, list []ast.Stmt) {
	if !s.group {
		return
	}
	for i, st := range list {
		ifs, ok := st.(*ast.IfStmt)
		if !ok {
			continue
		}
		v := c.checkedErr(ifs.Cond)
		if v == nil {
			continue
		}
		call := c.errFrom(ifs.Init, v)
		if call == nil && i > 0 {
			call = c.errFrom(list[i-1], v)
		}
		ret := nilReturn(c.pass.TypesInfo, ifs.Body)
		if call == nil || ret == nil || c.quiet(call) || c.mentions(ifs.Body, v) || c.recordsFailure(s, ifs.Body) {
			continue
		}
		if lost, _ := c.lost(call, s.cur); !lost {
			continue // the callee never fails, or fails only in a way that loses nothing
		}
		c.emit(analysis.Diagnostic{
			Pos:      ret.Pos(),
			End:      ret.End(),
			Category: catNilReturn,
			Message:  "errgroup callback returns nil when " + callName(call) + " fails: the group never sees the error; return " + v.Name(),
			Related:  []analysis.RelatedInformation{{Pos: ifs.Cond.Pos(), End: ifs.Cond.End(), Message: v.Name() + " checked here"}},
		})
	}
}

// checkedErr returns the error variable v of a condition "v != nil" or "nil != v".
func (c *checker) checkedErr(cond ast.Expr) *types.Var {
	b, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || b.Op != token.NEQ {
		return nil
	}
	x := b.X
	if c.pass.TypesInfo.Types[x].IsNil() {
		x = b.Y
	} else if !c.pass.TypesInfo.Types[b.Y].IsNil() {
		return nil
	}
	id, ok := ast.Unparen(x).(*ast.Ident)
	if !ok {
		return nil
	}
	v, _ := c.pass.TypesInfo.Uses[id].(*types.Var)
	if v == nil || !syncapi.IsError(v.Type()) {
		return nil
	}
	return v
}

// errFrom returns the call whose error result st assigns to v, or nil.
func (c *checker) errFrom(st ast.Stmt, v *types.Var) *ast.CallExpr {
	as, ok := st.(*ast.AssignStmt)
	if !ok {
		return nil
	}
	for i, l := range as.Lhs {
		id, ok := l.(*ast.Ident)
		if !ok || c.pass.TypesInfo.ObjectOf(id) != v {
			continue
		}
		rhs := i
		if len(as.Rhs) == 1 {
			rhs = 0
		}
		if rhs >= len(as.Rhs) {
			return nil
		}
		call, ok := ast.Unparen(as.Rhs[rhs]).(*ast.CallExpr)
		if !ok {
			return nil
		}
		if idx, ok := c.errorResult(call); ok && (len(as.Rhs) > 1 || len(as.Lhs) == 1 || idx == i) {
			return call
		}
	}
	return nil
}

// nilReturn returns the statement "return nil" that ends body, or nil.
func nilReturn(info *types.Info, body *ast.BlockStmt) *ast.ReturnStmt {
	if len(body.List) == 0 {
		return nil
	}
	ret, ok := body.List[len(body.List)-1].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 || !info.Types[ret.Results[0]].IsNil() {
		return nil
	}
	return ret
}

// mentions reports whether n refers to v.
func (c *checker) mentions(n ast.Node, v *types.Var) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && c.pass.TypesInfo.Uses[id] == v {
			found = true
		}
		return !found
	})
	return found
}

// exitWatcher reports whether the goroutine's body only waits for a process to exit, with call (the Wait
// of an os.Process or an exec.Cmd), and signals that it did by closing a channel or sending on it, directly
// or deferred: a waiter selects on that signal beside a timeout, and learns the exit status elsewhere.
func (c *checker) exitWatcher(s *spawn, call *ast.CallExpr) bool {
	fn := c.callee(call)
	if !syncapi.IsMethod(fn, "os", "Process", "Wait") && !syncapi.IsMethod(fn, "os/exec", "Cmd", "Wait") {
		return false
	}
	signals := false
	for _, st := range s.lit.Body.List {
		switch st := st.(type) {
		case *ast.ExprStmt:
			if ast.Unparen(st.X) == call {
				continue
			}
			if call, ok := ast.Unparen(st.X).(*ast.CallExpr); !ok || !syntax.IsClose(c.pass.TypesInfo, call) {
				return false
			}
			signals = true
		case *ast.DeferStmt:
			if !syntax.IsClose(c.pass.TypesInfo, st.Call) {
				return false
			}
			signals = true
		case *ast.SendStmt:
			signals = true
		default:
			return false
		}
	}
	return signals
}
