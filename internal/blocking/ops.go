package blocking

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/syncapi"
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
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
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
			if n.Op == token.ARROW {
				yield(receive(info, n))
			}
		case *ast.RangeStmt:
			if isChan(info, n.X) {
				yield(Op{Kind: KindChannel, Desc: "range over " + types.ExprString(n.X), Node: n, Pos: n.For})
			}
		case *ast.CallExpr:
			if lit, ok := ast.Unparen(n.Fun).(*ast.FuncLit); ok && mode == Inline {
				ast.Inspect(lit.Body, visit) // func(){...}() runs here
			}
			if op, ok := call(info, n); ok {
				yield(op)
			}
		}
		return true
	}
	ast.Inspect(root, visit)
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
	if !hasDefault {
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
