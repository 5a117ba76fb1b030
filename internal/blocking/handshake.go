package blocking

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/assigns"
	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

// Handshakes: a receive that runs only when the sender said, under the same lock, that its send is done,
// as in fasthttp's clientGetURLDeadline:
//
//	go func() {
//		...
//		mu.Lock()
//		if !timedout { ch <- resp; responded = true }
//		mu.Unlock()
//	}()
//	select {
//	case resp := <-ch: ...
//	case <-tc.C:
//		mu.Lock()
//		if responded { resp := <-ch ... } // the value is there: the other receive did not run
//		mu.Unlock()
//	}
//
// responded is true only after a send on ch completed, and the lock orders that before the receive. The
// only other receivers are in branches that did not run (another case of the same select, outside any
// loop), and nobody else has the channel, so the value sent waits in the buffer.

// handshakes returns the receives <-ch, run at most once, in the body of if f { ... } under a lock, where:
//   - f is a local bool variable assigned only constants: true only by the statement that follows a send
//     on ch in the same statement list, under a lock also held at the if;
//   - ch is a local channel variable used only to send and receive, assigned once, outside loops and
//     before any use, make(chan T, n) or x.(chan T), with x a local variable assigned only
//     make(chan T, n) or a sync.Pool's Get, and used only in those assertions, nil comparisons, and a Put
//     to the pool after the last receive from ch;
//   - every other receive from ch is in another case of a select or a switch, or the other branch of an
//     if, that also holds the receive, outside loops and function literals.
func handshakes(pass *analysis.Pass, as *assigns.Result) map[*ast.UnaryExpr]bool {
	info := pass.TypesInfo
	type candidate struct {
		recv *ast.UnaryExpr
		ifs  *ast.IfStmt
		flag *types.Var
		ch   *types.Var
		fn   ast.Node // the function declaration or literal around the receive
	}
	var cands []candidate
	for _, f := range pass.Files {
		var stack []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			stack = append(stack, n)
			u, ok := n.(*ast.UnaryExpr)
			if !ok || u.Op != token.ARROW {
				return true
			}
			ch := localVar(info, u.X)
			if ch == nil {
				return true
			}
			for i := len(stack) - 2; i > 0; i-- {
				switch s := stack[i].(type) {
				case *ast.ForStmt, *ast.RangeStmt, *ast.FuncLit, *ast.FuncDecl:
					return true // in a loop, or not under an if of the function
				case *ast.IfStmt:
					if flag := localVar(info, s.Cond); flag != nil && s.Body == stack[i+1] && types.Identical(flag.Type(), types.Typ[types.Bool]) {
						if fn := enclosingFunc(stack[:i]); fn != nil {
							cands = append(cands, candidate{recv: u, ifs: s, flag: flag, ch: ch, fn: fn})
						}
						return true
					}
				}
			}
			return true
		})
	}
	if len(cands) == 0 {
		return nil
	}
	out := make(map[*ast.UnaryExpr]bool)
	parents := make(map[ast.Node]ast.Node) // of the functions of the candidates, which hold all they use
	done := make(map[ast.Node]bool)
	for _, c := range cands {
		if hasGoto(c.fn) {
			continue // a jump back may run the receive again
		}
		if !done[c.fn] {
			addParents(c.fn, parents)
			done[c.fn] = true
		}
		h := handshake{info: info, as: as, parents: parents, fn: c.fn, recv: c.recv, ifs: c.ifs, flag: c.flag, ch: c.ch}
		if h.flagSetAfterSend() && h.chanOwned() {
			out[c.recv] = true
		}
	}
	return out
}

// enclosingFunc returns the innermost function declaration or literal of stack, if there is no loop
// between it and the end of stack.
func enclosingFunc(stack []ast.Node) ast.Node {
	for i := len(stack) - 1; i >= 0; i-- {
		switch n := stack[i].(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return nil // the if may run the receive more than once
		case *ast.FuncLit, *ast.FuncDecl:
			return n
		}
	}
	return nil
}

// localVar returns the variable that e names when it is a local variable (not a field, not a package
// variable), or nil.
func localVar(info *types.Info, e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Parent() == nil || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() {
		return nil
	}
	return v
}

type handshake struct {
	info     *types.Info
	as       *assigns.Result
	parents  map[ast.Node]ast.Node
	fn       ast.Node
	recv     *ast.UnaryExpr
	ifs      *ast.IfStmt
	flag, ch *types.Var
}

// flagSetAfterSend reports whether the flag is declared in the function's body, assigned only constants, and
// true only just after a send on ch, under a lock that is also held at the if.
func (h *handshake) flagSetAfterSend() bool {
	if body := syntax.FuncBody(h.fn); body == nil || !within(nodeAt(h.flag.Pos()), body) {
		return false // a parameter, which the caller sets, or a variable of another function
	}
	held := h.locksHeld(h.ifs)
	if len(held) == 0 {
		return false
	}
	for _, s := range h.as.Sites(h.flag) {
		if s.Value == nil || !isBool(h.info, s.Value, true) && !isBool(h.info, s.Value, false) {
			return false
		}
		if isBool(h.info, s.Value, false) {
			continue
		}
		stmt, list, i := stmtIn(h.parents, s.At)
		if stmt == nil || i == 0 {
			return false
		}
		send, ok := list[i-1].(*ast.SendStmt)
		if !ok || localVar(h.info, send.Chan) != h.ch {
			return false // not just after a send on ch
		}
		if !h.sameLock(held, h.locksHeld(stmt)) {
			return false
		}
	}
	return true
}

// nodeAt wraps a position as a node, for within.
type nodeAt token.Pos

func (p nodeAt) Pos() token.Pos { return token.Pos(p) }
func (p nodeAt) End() token.Pos { return token.Pos(p) }

// stmtIn returns the assignment whose left side is at, the statement list of the block, case or select
// clause that holds it, and its index there; a nil statement otherwise.
func stmtIn(parents map[ast.Node]ast.Node, at ast.Expr) (*ast.AssignStmt, []ast.Stmt, int) {
	as, ok := parents[at].(*ast.AssignStmt)
	if !ok {
		return nil, nil, 0
	}
	list, _ := syntax.StmtList(parents[as])
	for i, stmt := range list {
		if stmt == as {
			return as, list, i
		}
	}
	return nil, nil, 0
}

// locksHeld returns the receivers x of the calls x.Lock() that come before n in a statement list around it,
// in the same function, with no x.Unlock() or x.RUnlock() anywhere in between.
func (h *handshake) locksHeld(n ast.Node) []ast.Expr {
	var held []ast.Expr
	for child, parent := n, h.parents[n]; parent != nil; child, parent = parent, h.parents[parent] {
		switch parent.(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return held
		}
		list, ok := syntax.StmtList(parent)
		if !ok {
			continue
		}
		idx := -1
		for i, stmt := range list {
			if stmt == child {
				idx = i
			}
		}
		for i := idx - 1; i >= 0; i-- {
			if x := lockCall(h.info, list[i]); x != nil && !h.unlocks(list[i+1:idx], x) {
				held = append(held, x)
			}
		}
	}
	return held
}

// lockCall returns x of a statement x.Lock(), or nil.
func lockCall(info *types.Info, stmt ast.Stmt) ast.Expr {
	es, ok := stmt.(*ast.ExprStmt)
	if !ok {
		return nil
	}
	call, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok {
		return nil
	}
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if syncapi.LockOpOf(fn) != syncapi.Lock {
		return nil
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		return sel.X
	}
	return nil
}

// unlocks reports whether a statement of list calls x.Unlock or x.RUnlock, other than deferred.
func (h *handshake) unlocks(list []ast.Stmt, x ast.Expr) bool {
	found := false
	for _, stmt := range list {
		if _, ok := stmt.(*ast.DeferStmt); ok {
			continue // runs at return
		}
		ast.Inspect(stmt, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				fn, _ := typeutil.Callee(h.info, call).(*types.Func)
				if l := syncapi.LockOpOf(fn); l == syncapi.Unlock || l == syncapi.RUnlock {
					if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sameVar(h.info, sel.X, x) {
						found = true
					}
				}
			}
			return !found
		})
	}
	return found
}

// sameLock reports whether a lock of a is also in b.
func (h *handshake) sameLock(a, b []ast.Expr) bool {
	for _, x := range a {
		for _, y := range b {
			if sameVar(h.info, x, y) {
				return true
			}
		}
	}
	return false
}

// chanOwned reports whether ch is declared in the function, used only to send and receive, with every other
// receive exclusive with ours, and assigned only channels that nobody else has (see handshakes).
func (h *handshake) chanOwned() bool {
	if !within(nodeAt(h.ch.Pos()), h.fn) {
		return false
	}
	sites := h.as.Sites(h.ch)
	if len(sites) != 1 || sites[0].Value == nil || h.inLoop(sites[0].At) {
		return false // assigned again, or in a loop: the goroutine may send on another channel than ours
	}
	site := sites[0].At
	last := h.ifs.End() // the end of the last receive
	for id, obj := range h.info.Uses {
		if obj != h.ch {
			continue
		}
		if id.Pos() < site.Pos() {
			return false // used before it holds the channel
		}
		switch p := h.parents[id].(type) {
		case *ast.SendStmt:
			if p.Chan == id {
				continue
			}
		case *ast.UnaryExpr:
			if p.Op == token.ARROW && (p == h.recv || h.exclusive(p)) {
				last = max(last, p.End())
				continue
			}
		case *ast.AssignStmt:
			if isLhs(p, id) {
				continue // the write, checked below
			}
		}
		return false
	}
	if isMakeChan(h.info, sites[0].Value) {
		return true
	}
	ta, ok := ast.Unparen(sites[0].Value).(*ast.TypeAssertExpr)
	return ok && h.pooled(localVar(h.info, ta.X), last)
}

func isLhs(as *ast.AssignStmt, e ast.Expr) bool {
	for _, lhs := range as.Lhs {
		if lhs == e {
			return true
		}
	}
	return false
}

// isMakeChan reports whether e is make(chan T) or make(chan T, n).
func isMakeChan(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	return ok && syntax.IsBuiltin(info, call, "make") && isChan(info, call)
}

// pooled reports whether x, the variable asserted to hold ch, is declared in the function, assigned only
// make(chan T, n) or a sync.Pool's Get, and used only in type assertions, nil comparisons, and a Put after
// last, the end of the last receive from ch, outside loops: nobody else has the channel until then.
func (h *handshake) pooled(x *types.Var, last token.Pos) bool {
	if x == nil || !within(nodeAt(x.Pos()), h.fn) {
		return false
	}
	for _, s := range h.as.Sites(x) {
		if s.Value == nil {
			return false
		}
		call, ok := ast.Unparen(s.Value).(*ast.CallExpr)
		if !ok {
			return false
		}
		if fn, _ := typeutil.Callee(h.info, call).(*types.Func); !isMakeChan(h.info, call) && !syncapi.IsMethod(fn, "sync", "Pool", "Get") {
			return false
		}
	}
	for id, obj := range h.info.Uses {
		if obj != x {
			continue
		}
		switch p := h.parents[id].(type) {
		case *ast.AssignStmt:
			if isLhs(p, id) {
				continue
			}
		case *ast.TypeAssertExpr:
			continue
		case *ast.BinaryExpr:
			if (p.Op == token.EQL || p.Op == token.NEQ) && (h.info.Types[p.X].IsNil() || h.info.Types[p.Y].IsNil()) {
				continue
			}
		case *ast.CallExpr:
			fn, _ := typeutil.Callee(h.info, p).(*types.Func)
			if syncapi.IsMethod(fn, "sync", "Pool", "Put") && p.Pos() > last && !h.inLoop(p) {
				continue
			}
		}
		return false
	}
	return true
}

// inLoop reports whether n is in a loop or a function literal of the function.
func (h *handshake) inLoop(n ast.Node) bool {
	for p := h.parents[n]; p != nil && p != h.fn; p = h.parents[p] {
		switch p.(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.FuncLit:
			return true
		}
	}
	return false
}

// exclusive reports whether the receive other and ours are in different cases of a select or a switch,
// or different branches of an if, outside loops and function literals: one run of the function runs one.
func (h *handshake) exclusive(other ast.Node) bool {
	ours := make(map[ast.Node]ast.Node) // ancestor → its child on the way to our receive
	for child, p := ast.Node(h.recv), h.parents[h.recv]; p != nil; child, p = p, h.parents[p] {
		ours[p] = child
		if p == h.fn {
			break
		}
	}
	child := other
	for p := h.parents[other]; p != nil; child, p = p, h.parents[p] {
		switch p.(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return false // in another function, or not under a common statement that chooses
		}
		mine, common := ours[p]
		if !common {
			continue
		}
		if h.inLoop(p) {
			return false
		}
		switch p := p.(type) {
		case *ast.BlockStmt:
			switch h.parents[p].(type) {
			case *ast.SelectStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt:
				return mine != child // different clauses
			}
		case *ast.IfStmt:
			return (mine == p.Body && child == p.Else) || (mine == p.Else && child == p.Body)
		}
		return false
	}
	return false
}
