package blocking

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

// Kind groups blocking operations so that users can switch a kind off.
type Kind = syncapi.BlockKind

// KindChannel is a channel send, receive, range or select.
const KindChannel Kind = "channel"

// An Op is an operation found in source that blocks (Desc is set), or a statically resolved call that may
// block depending on its callee's fact (Callee is set).
type Op struct {
	Kind   Kind
	Desc   string      // "time.Sleep", "net.Conn.Write", "send on ch", ...; "" for a call to Callee
	Node   ast.Node    // CallExpr, SendStmt, UnaryExpr, SelectStmt or RangeStmt
	Pos    token.Pos   // the position go/ssa gives the instruction for Node
	Callee *types.Func // the static callee of a call that is not itself a known blocking operation
	Cond   bool        // a sync.Cond.Wait, which blocks only when the held lock is not the Cond's locker
	// OnlyIf, for a Wait on a local WaitGroup whose goroutines (started in the same function) do nothing
	// that blocks except calls, lists the functions they call: the Wait blocks only if one of them may.
	OnlyIf []*types.Func
}

// Mode says which function literals Ops walks into.
type Mode int

const (
	// Inline walks function literals that run before the enclosing function returns: called at once
	// (func(){...}()) or deferred. Use it to summarise what calling a function may do.
	Inline Mode = iota
	// AllLiterals walks every function literal except the calls of go and defer statements; use it with a
	// per-position lock state, where a literal's own state tells whether a lock is held.
	AllLiterals
)

// Ops calls yield for each blocking operation and each static call in root, in source order. Operations
// that do not run in the calling goroutine, or that cannot block, are skipped: the call of a go statement,
// a function literal that is only created, and the communication clauses of a select with a default case.
func Ops(info *types.Info, root ast.Node, mode Mode, yield func(Op)) {
	skip := make(map[*ast.CallExpr]bool) // calls that return at once on their path
	closed := make(map[ast.Node]bool)    // ranges and receives of a channel closed before them
	// Whether the function being walked (root, then each declaration) has a goto: asked only of a
	// statement list that closes a channel, so that a function without close is not walked for it.
	gotoScope, gotoKnown, gotos := root, false, false
	hasGotos := func() bool {
		if !gotoKnown {
			gotos, gotoKnown = hasGoto(gotoScope), true
		}
		return gotos
	}
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			gotoScope, gotoKnown = n, false
		case *ast.FuncLit:
			return mode == AllLiterals
		case *ast.GoStmt:
			return false // runs in another goroutine
		case *ast.DeferStmt:
			if lit, ok := n.Call.Fun.(*ast.FuncLit); ok && mode == Inline {
				ast.Inspect(lit.Body, visit)
			}
			return false // a deferred call runs at return, after the deferred unlocks registered after it
		case *ast.SelectStmt:
			visitSelect(info, n, yield, visit)
			return false
		case *ast.SendStmt:
			yield(Op{Kind: KindChannel, Desc: "send on " + types.ExprString(n.Chan), Node: n, Pos: n.Arrow})
		case *ast.UnaryExpr:
			if n.Op == token.ARROW && !closed[n] {
				yield(receive(info, n))
			}
		case *ast.RangeStmt:
			if isChan(info, n.X) && !closed[n] {
				yield(Op{Kind: KindChannel, Desc: "range over " + types.ExprString(n.X), Node: n, Pos: n.For})
			}
		case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
			list, _ := syntax.StmtList(n)
			markFailedStarts(info, list, skip)
			if closesAny(info, list) && !hasGotos() {
				markClosed(info, list, closed)
			}
		case *ast.CallExpr:
			if lit, ok := ast.Unparen(n.Fun).(*ast.FuncLit); ok && mode == Inline {
				ast.Inspect(lit.Body, visit) // func(){...}() runs here
			}
			if skip[n] {
				return true // cmd.Wait where cmd.Start failed: it returns at once
			}
			if op, ok := call(info, n); ok {
				if isWaitGroupWait(op) {
					if calls, blocks := localGroup(info, root, n); !blocks {
						if len(calls) == 0 {
							return true // the group's goroutines cannot block: Wait returns once they run
						}
						op.OnlyIf = calls
					}
				}
				yield(op)
			}
		}
		return true
	}
	ast.Inspect(root, visit)
}

// markFailedStarts marks, in a statement list, the calls x.Wait() of an exec.Cmd on the path where x.Start()
// just failed: if err := x.Start(); err != nil { ... x.Wait() ... }, or err := x.Start() followed by such
// an if, or if x.Start() != nil { ... }.
func markFailedStarts(info *types.Info, list []ast.Stmt, skip map[*ast.CallExpr]bool) {
	for i, stmt := range list {
		ifStmt, ok := stmt.(*ast.IfStmt)
		if !ok {
			continue
		}
		var prev ast.Stmt
		if ifStmt.Init != nil {
			prev = ifStmt.Init
		} else if i > 0 {
			prev = list[i-1]
		}
		cmd := failedStart(info, prev, ifStmt.Cond)
		if cmd == nil {
			continue
		}
		ast.Inspect(ifStmt.Body, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok {
				if fn, _ := typeutil.Callee(info, c).(*types.Func); syncapi.IsMethod(fn, "os/exec", "Cmd", "Wait") {
					if sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok && sameVar(info, sel.X, cmd) {
						skip[c] = true
					}
				}
			}
			return true
		})
	}
}

// markClosed marks, in a statement list, the ranges over and the receives from a channel that a statement
// close(ch) earlier in the same list closed: the close runs first on every path that reaches them, so they
// do not block (a range drains the buffer and ends). It stops at an assignment to ch (or to a variable ch
// is a field of) or a use of its address, and does not look into function literals, which may run later.
// The caller leaves out functions with a goto, which could jump past the close.
func markClosed(info *types.Info, list []ast.Stmt, closed map[ast.Node]bool) {
	for i, stmt := range list {
		c := closeStmt(info, stmt)
		if c == nil {
			continue
		}
		ch := c.Args[0]
		changed := false
		for _, later := range list[i+1:] {
			ast.Inspect(later, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncLit:
					changed = changed || assignedIn(info, n.Body, ch) // a literal may run before the range
					return false
				case *ast.AssignStmt:
					for _, lhs := range n.Lhs {
						changed = changed || assignsTo(info, lhs, ch)
					}
				case *ast.RangeStmt:
					changed = changed || n.Key != nil && assignsTo(info, n.Key, ch) || n.Value != nil && assignsTo(info, n.Value, ch)
					if !changed && sameVar(info, n.X, ch) {
						closed[n] = true
					}
				case *ast.UnaryExpr:
					changed = changed || n.Op == token.AND && assignsTo(info, n.X, ch)
					if !changed && n.Op == token.ARROW && sameVar(info, n.X, ch) {
						closed[n] = true
					}
				}
				return !changed
			})
			if changed {
				break
			}
		}
	}
}

// closeStmt returns the call of stmt if it is a statement close(ch), else nil.
func closeStmt(info *types.Info, stmt ast.Stmt) *ast.CallExpr {
	es, ok := stmt.(*ast.ExprStmt)
	if !ok {
		return nil
	}
	c, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok || len(c.Args) != 1 || !syntax.IsClose(info, c) {
		return nil
	}
	return c
}

// closesAny reports whether a statement of list is a close(ch), which markClosed starts from.
func closesAny(info *types.Info, list []ast.Stmt) bool {
	return slices.ContainsFunc(list, func(stmt ast.Stmt) bool { return closeStmt(info, stmt) != nil })
}

// assignedIn reports whether body assigns to ch, or to a variable ch is a field of, or takes its address.
func assignedIn(info *types.Info, body ast.Node, ch ast.Expr) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				found = found || assignsTo(info, lhs, ch)
			}
		case *ast.UnaryExpr:
			found = found || n.Op == token.AND && assignsTo(info, n.X, ch)
		}
		return !found
	})
	return found
}

// assignsTo reports whether assigning to lhs changes the channel that ch denotes: lhs is ch, or a variable
// or field that ch is a field of.
func assignsTo(info *types.Info, lhs, ch ast.Expr) bool {
	for {
		if sameVar(info, lhs, ch) {
			return true
		}
		sel, ok := ast.Unparen(ch).(*ast.SelectorExpr)
		if !ok {
			return false
		}
		ch = sel.X
	}
}

// hasGoto reports whether root contains a goto statement.
func hasGoto(root ast.Node) bool {
	found := false
	ast.Inspect(root, func(n ast.Node) bool {
		if b, ok := n.(*ast.BranchStmt); ok && b.Tok == token.GOTO {
			found = true
		}
		return !found
	})
	return found
}

// failedStart returns x when cond is true only if x.Start() failed: cond is err != nil with err assigned
// x.Start() by prev, or x.Start() != nil. It returns nil otherwise.
func failedStart(info *types.Info, prev ast.Stmt, cond ast.Expr) ast.Expr {
	bin, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || bin.Op != token.NEQ || !isNil(info, bin.Y) {
		return nil
	}
	if x := startRecv(info, bin.X); x != nil {
		return x
	}
	assign, ok := prev.(*ast.AssignStmt)
	if !ok || len(assign.Lhs) != 1 || len(assign.Rhs) != 1 || !sameVar(info, assign.Lhs[0], bin.X) {
		return nil
	}
	return startRecv(info, assign.Rhs[0])
}

// startRecv returns x of a call x.Start() of an exec.Cmd, or nil.
func startRecv(info *types.Info, e ast.Expr) ast.Expr {
	c, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return nil
	}
	if fn, _ := typeutil.Callee(info, c).(*types.Func); !syncapi.IsMethod(fn, "os/exec", "Cmd", "Start") {
		return nil
	}
	if sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok {
		return sel.X
	}
	return nil
}

func isNil(info *types.Info, e ast.Expr) bool {
	return info.Types[e].IsNil()
}

// sameVar reports whether a and b denote the same variable, or the same field of the same variable.
func sameVar(info *types.Info, a, b ast.Expr) bool {
	switch a := ast.Unparen(a).(type) {
	case *ast.Ident:
		b, ok := ast.Unparen(b).(*ast.Ident)
		return ok && info.ObjectOf(a) != nil && info.ObjectOf(a) == info.ObjectOf(b)
	case *ast.SelectorExpr:
		b, ok := ast.Unparen(b).(*ast.SelectorExpr)
		return ok && info.ObjectOf(a.Sel) == info.ObjectOf(b.Sel) && sameVar(info, a.X, b.X)
	}
	return false
}

func isWaitGroupWait(op Op) bool {
	call, ok := op.Node.(*ast.CallExpr)
	return ok && op.Desc != "" && call != nil && op.Kind == syncapi.KindWait && op.Desc == "sync.WaitGroup.Wait"
}

// localGroup looks at the WaitGroup of wg.Wait() when it is a local variable used only for its Add, Done,
// Wait and Go methods, in the function of root that declares it: its goroutines are the go statements and
// the wg.Go calls of that function, on function literals. It returns the static calls their bodies make,
// and blocks true when the group is not such a local one or a goroutine may block otherwise (a blocking
// operation, a call through an interface or a function value, a goroutine that is not a literal).
func localGroup(info *types.Info, root ast.Node, wait *ast.CallExpr) (calls []*types.Func, blocks bool) {
	sel, ok := ast.Unparen(wait.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, true
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return nil, true
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Parent() == nil || v.Parent().Parent() == types.Universe || !syncapi.IsNamed(v.Type(), "sync", "WaitGroup") {
		return nil, true // not a local sync.WaitGroup variable (a pointer may be shared)
	}
	if _, ptr := types.Unalias(v.Type()).(*types.Pointer); ptr {
		return nil, true
	}
	var body *ast.BlockStmt // the innermost function body that declares v
	if b, ok := root.(*ast.BlockStmt); ok && b.Pos() <= v.Pos() && v.Pos() < b.End() {
		body = b // the body of the function whose operations are summarised
	}
	ast.Inspect(root, func(n ast.Node) bool {
		var b *ast.BlockStmt
		switch n := n.(type) {
		case *ast.FuncDecl:
			b = n.Body
		case *ast.FuncLit:
			b = n.Body
		}
		if b != nil && b.Pos() <= v.Pos() && v.Pos() < b.End() {
			body = b
		}
		return true
	})
	if body == nil {
		return nil, true
	}
	methodOf := make(map[*ast.Ident]bool) // the uses of v as the receiver of a WaitGroup method
	var lits []*ast.FuncLit
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			lit, ok := ast.Unparen(n.Call.Fun).(*ast.FuncLit)
			if !ok {
				blocks = true
				return false
			}
			lits = append(lits, lit)
		case *ast.CallExpr:
			s, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr)
			if !ok {
				return true
			}
			x, ok := ast.Unparen(s.X).(*ast.Ident)
			if !ok || info.Uses[x] != v {
				return true
			}
			fn, _ := typeutil.Callee(info, n).(*types.Func)
			switch {
			case syncapi.IsMethod(fn, "sync", "WaitGroup", "Go"):
				lit, ok := ast.Unparen(n.Args[0]).(*ast.FuncLit)
				if !ok {
					blocks = true
				} else {
					lits = append(lits, lit)
				}
				fallthrough
			case syncapi.IsMethod(fn, "sync", "WaitGroup", "Add"), syncapi.IsMethod(fn, "sync", "WaitGroup", "Done"),
				syncapi.IsMethod(fn, "sync", "WaitGroup", "Wait"):
				methodOf[x] = true
			}
		}
		return true
	})
	for id, obj := range info.Uses {
		if obj == v && !methodOf[id] {
			return nil, true // used otherwise (&wg passed on): its goroutines may be elsewhere
		}
	}
	for _, lit := range lits {
		Ops(info, lit.Body, Inline, func(op Op) {
			switch {
			case op.Desc != "" || op.Cond:
				if !isDone(info, op) {
					blocks = true
				}
			case op.Callee != nil:
				if l := syncapi.LockOpOf(op.Callee); l == syncapi.Lock || l == syncapi.RLock {
					blocks = true // it waits for a lock, which the waiter may hold
				}
				calls = append(calls, op.Callee)
			}
		})
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok && dynamic(info, c) {
				blocks = true
			}
			return !blocks
		})
	}
	return calls, blocks
}

// isDone reports whether op is a call of sync.WaitGroup.Done, which never blocks (Ops yields it as a call).
func isDone(info *types.Info, op Op) bool {
	c, ok := op.Node.(*ast.CallExpr)
	if !ok {
		return false
	}
	fn, _ := typeutil.Callee(info, c).(*types.Func)
	return syncapi.IsMethod(fn, "sync", "WaitGroup", "Done")
}

// dynamic reports whether c calls an interface method or a function value that is not a catalogued
// blocking operation: what it runs is unknown.
func dynamic(info *types.Info, c *ast.CallExpr) bool {
	if tv, ok := info.Types[c.Fun]; ok && (tv.IsType() || tv.IsBuiltin()) {
		return false
	}
	if typeutil.StaticCallee(info, c) != nil {
		return false
	}
	fn, _ := typeutil.Callee(info, c).(*types.Func)
	_, _, known := syncapi.Blocking(fn)
	return !known
}

// visitSelect yields a select without default as one operation, then walks the clause bodies; the
// communications of a select with default do not block and are skipped.
func visitSelect(info *types.Info, s *ast.SelectStmt, yield func(Op), visit func(ast.Node) bool) {
	hasDefault := false
	for _, c := range s.Body.List {
		if c.(*ast.CommClause).Comm == nil {
			hasDefault = true
		}
	}
	if !hasDefault && !bounded(info, s) {
		desc := "select"
		if len(s.Body.List) == 0 {
			desc = "select {}"
		}
		yield(Op{Kind: KindChannel, Desc: desc, Node: s, Pos: s.Select})
	}
	for _, c := range s.Body.List {
		for _, stmt := range c.(*ast.CommClause).Body {
			ast.Inspect(stmt, visit)
		}
	}
}

// bounded reports whether a select has a case that a timer or a context ends: a receive from
// time.After(d), from the C of a time.Timer or time.Ticker, or from ctx.Done().
func bounded(info *types.Info, s *ast.SelectStmt) bool {
	for _, c := range s.Body.List {
		from := receivedFrom(c.(*ast.CommClause).Comm)
		if from == nil {
			continue
		}
		switch ch := ast.Unparen(from).(type) {
		case *ast.CallExpr:
			fn, _ := typeutil.Callee(info, ch).(*types.Func)
			if syncapi.IsFunc(fn, "time", "After") || syncapi.IsMethod(fn, "context", "Context", "Done") {
				return true
			}
		case *ast.SelectorExpr:
			if sel := info.Selections[ch]; sel != nil && sel.Kind() == types.FieldVal && ch.Sel.Name == "C" &&
				(syncapi.IsNamed(sel.Recv(), "time", "Timer") || syncapi.IsNamed(sel.Recv(), "time", "Ticker")) {
				return true
			}
		}
	}
	return false
}

// receive describes a receive expression; <-time.After(d) is a sleep.
func receive(info *types.Info, u *ast.UnaryExpr) Op {
	if c, ok := ast.Unparen(u.X).(*ast.CallExpr); ok {
		if fn, _ := typeutil.Callee(info, c).(*types.Func); syncapi.IsFunc(fn, "time", "After") {
			return Op{Kind: syncapi.KindSleep, Desc: "<-time.After", Node: u, Pos: u.OpPos}
		}
	}
	return Op{Kind: KindChannel, Desc: "receive from " + types.ExprString(u.X), Node: u, Pos: u.OpPos}
}

// call classifies a call: a known blocking API, a read of an HTTP response body, or a static call whose
// callee may block.
func call(info *types.Info, c *ast.CallExpr) (Op, bool) {
	fn, _ := typeutil.Callee(info, c).(*types.Func)
	if fn == nil {
		return Op{}, false // a builtin, a conversion, or a call of a function value
	}
	if kind, name, ok := syncapi.Blocking(fn); ok {
		return Op{Kind: kind, Desc: name, Node: c, Pos: c.Lparen, Cond: syncapi.IsCondWait(fn)}, true
	}
	var recv ast.Expr
	if sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok {
		recv = sel.X
	}
	if syncapi.IsBodyRead(info, fn, recv, c.Args) {
		return Op{Kind: syncapi.KindIO, Desc: "http.Response.Body read", Node: c, Pos: c.Lparen}, true
	}
	if static := typeutil.StaticCallee(info, c); static != nil {
		return Op{Node: c, Pos: c.Lparen, Callee: static}, true
	}
	return Op{}, false // an interface method or a function value: unknown
}

func isChan(info *types.Info, e ast.Expr) bool {
	t := info.TypeOf(e)
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Chan)
	return ok
}
