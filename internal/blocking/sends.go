package blocking

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

// Counting the sends that can run on a local channel, on one execution of the function that makes it: the
// buffer holds them all when the count is at most its capacity.

const (
	never     = -1 << 40 // the count of a path that does not get there
	unbounded = 1 << 40  // more sends than any buffer: a send in a loop, in a literal run any number of times
	// symbolic stands for a capacity that is not constant: a loop that runs as many times as the capacity
	// says, and sends once per iteration, sends symbolic times.
	symbolic = 1 << 20
)

// A sendCount is the most sends on a channel along the paths through a statement: those that go on after
// it (through), and those that leave the function at a return or a panic in it (exit).
type sendCount struct{ through, exit int }

// sendCounter counts the sends on ch, a local channel made with capacity capacity.
type sendCounter struct {
	info     *types.Info
	ch       types.Object
	body     *ast.BlockStmt // the function that makes ch
	capacity ast.Expr
	made     token.Pos // the make call
}

// holdsAll reports whether the buffer of ch, made in body with capacity capacity, holds every send that one
// execution of body can make on it.
func holdsAll(info *types.Info, ch types.Object, body *ast.BlockStmt, capacity ast.Expr, made token.Pos) bool {
	c := &sendCounter{info: info, ch: ch, body: body, capacity: capacity, made: made}
	n := c.list(body.List)
	most := max(n.through, n.exit)
	if tv := info.Types[capacity]; tv.Value != nil {
		if tv.Value.Kind() != constant.Int {
			return false
		}
		limit, _ := constant.Int64Val(tv.Value)
		return int64(most) <= limit
	}
	// A capacity that may be zero holds only the sends of a loop that then runs zero times.
	return most <= 0 || most == symbolic
}

func (c *sendCounter) list(list []ast.Stmt) sendCount {
	n := sendCount{exit: never}
	for _, s := range list {
		n = c.then(n, c.stmt(s))
	}
	return n
}

func (c *sendCounter) stmt(s ast.Stmt) sendCount {
	switch s := s.(type) {
	case nil:
		return sendCount{exit: never}
	case *ast.SendStmt:
		n := c.exprs(s.Value)
		if c.isCh(s.Chan) {
			n.through++
		}
		return n
	case *ast.ReturnStmt:
		n := c.exprs(s)
		return sendCount{through: never, exit: n.through}
	case *ast.ExprStmt:
		n := c.exprs(s.X)
		if call, ok := ast.Unparen(s.X).(*ast.CallExpr); ok && syntax.IsBuiltin(c.info, call, "panic") {
			return sendCount{through: never, exit: n.through}
		}
		return n
	case *ast.BranchStmt:
		if s.Tok == token.GOTO {
			return sendCount{through: unbounded, exit: unbounded}
		}
		return sendCount{exit: never} // break and continue: counted as if the path went on, which counts more
	case *ast.BlockStmt:
		return c.list(s.List)
	case *ast.LabeledStmt:
		return c.stmt(s.Stmt)
	case *ast.IfStmt:
		init := c.stmt(s.Init)
		cond := c.exprs(s.Cond)
		body := c.list(s.Body.List)
		els := sendCount{exit: never}
		if s.Else != nil {
			els = c.stmt(s.Else)
		}
		return c.then(c.then(init, cond), sendCount{through: max(body.through, els.through), exit: max(body.exit, els.exit)})
	case *ast.SwitchStmt:
		return c.then(c.then(c.stmt(s.Init), c.exprs(s.Tag)), c.clauses(s.Body))
	case *ast.TypeSwitchStmt:
		return c.then(c.then(c.stmt(s.Init), c.stmt(s.Assign)), c.clauses(s.Body))
	case *ast.SelectStmt:
		return c.clauses(s.Body)
	case *ast.ForStmt:
		return c.loop(s, s.Body, c.then(c.stmt(s.Init), c.exprs(s.Cond)), s.Post)
	case *ast.RangeStmt:
		return c.loop(s, s.Body, c.exprs(s.X), nil)
	case *ast.GoStmt:
		return c.exprs(s.Call)
	case *ast.DeferStmt:
		return c.exprs(s.Call)
	}
	return c.exprs(s) // assignments, declarations, increments
}

// then is the count of a followed by b.
func (c *sendCounter) then(a, b sendCount) sendCount {
	return sendCount{through: add(a.through, b.through), exit: max(a.exit, add(a.through, b.exit))}
}

// add adds two counts, where a path that does not get there stays so, and more than unbounded is
// unbounded.
func add(a, b int) int {
	if a <= never/2 || b <= never/2 {
		return never
	}
	return min(a+b, unbounded)
}

// clauses counts the clauses of a switch or a select: one of them runs, or none when there is no default.
func (c *sendCounter) clauses(body *ast.BlockStmt) sendCount {
	n := sendCount{exit: never}
	hasDefault := false
	for _, cl := range body.List {
		var one sendCount
		switch cl := cl.(type) {
		case *ast.CaseClause:
			hasDefault = hasDefault || cl.List == nil
			one = c.exprs(&ast.CompositeLit{Elts: cl.List})
			for _, s := range cl.Body {
				if b, ok := s.(*ast.BranchStmt); ok && b.Tok == token.FALLTHROUGH {
					return sendCount{through: unbounded, exit: unbounded}
				}
			}
			one = c.then(one, c.list(cl.Body))
		case *ast.CommClause:
			hasDefault = hasDefault || cl.Comm == nil
			one = c.then(c.stmt(cl.Comm), c.list(cl.Body))
		}
		n = sendCount{through: max(n.through, one.through), exit: max(n.exit, one.exit)}
	}
	if !hasDefault {
		n.through = max(n.through, 0)
	}
	return n
}

// loop counts a loop: no send in its body, or one send at most per iteration of a loop that runs as many
// times as the capacity says.
func (c *sendCounter) loop(loop ast.Stmt, body *ast.BlockStmt, head sendCount, post ast.Stmt) sendCount {
	n := c.then(c.list(body.List), c.stmt(post))
	switch most := max(n.through, n.exit); {
	case most <= 0:
		return head
	case most == 1 && c.bounded(loop):
		if tv := c.info.Types[c.capacity]; tv.Value != nil {
			limit, _ := constant.Int64Val(tv.Value)
			return c.then(head, sendCount{through: int(limit), exit: int(limit)})
		}
		return c.then(head, sendCount{through: symbolic, exit: symbolic})
	}
	return sendCount{through: unbounded, exit: unbounded}
}

// bounded reports whether loop runs at most as many times as the capacity says, counted when the channel
// is made: for range n or for i := 0; i < n; i++ with a capacity n, or for ... range xs with a capacity
// len(xs), where n or xs is not assigned between the make and the end of the loop.
func (c *sendCounter) bounded(loop ast.Stmt) bool {
	if within(&ast.BasicLit{ValuePos: c.made}, loop) {
		return false // a new channel each time round: its own count
	}
	operand := ast.Unparen(c.capacity)
	if rng, ok := loop.(*ast.RangeStmt); ok {
		if call, ok := operand.(*ast.CallExpr); ok && syntax.IsBuiltin(c.info, call, "len") && len(call.Args) == 1 {
			if !sameVar(c.info, rng.X, call.Args[0]) || !finite(c.info.TypeOf(rng.X)) {
				return false
			}
			operand = call.Args[0]
		} else if !loopsCapacity(c.info, loop, c.capacity) {
			return false
		}
	} else if !loopsCapacity(c.info, loop, c.capacity) {
		return false
	}
	if c.info.Types[operand].Value != nil {
		return true
	}
	if _, ok := operand.(*ast.Ident); !ok {
		if _, ok := operand.(*ast.SelectorExpr); !ok {
			return false
		}
	}
	assigned := false
	ast.Inspect(c.body, func(n ast.Node) bool {
		if n == nil || n.End() < c.made || n.Pos() > loop.End() {
			return false // not between the make and the end of the loop
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				assigned = assigned || assignsTo(c.info, lhs, operand)
			}
		case *ast.IncDecStmt:
			assigned = assigned || assignsTo(c.info, n.X, operand)
		case *ast.UnaryExpr:
			assigned = assigned || n.Op == token.AND && assignsTo(c.info, n.X, operand)
		}
		return !assigned
	})
	return !assigned
}

// exprs counts the sends in the function literals of n: a literal called at once, deferred or run by a
// go statement or a goroutine start runs once; any other literal may run any number of times.
func (c *sendCounter) exprs(n ast.Node) sendCount {
	total := sendCount{exit: never}
	if n == nil || c.body == nil {
		return total
	}
	var stack []ast.Node
	ast.Inspect(n, func(x ast.Node) bool {
		if x == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if lit, ok := x.(*ast.FuncLit); ok {
			body := c.list(lit.Body.List)
			most := max(body.through, body.exit)
			if most > 0 {
				if !runsOnce(c.info, lit, stack) {
					most = unbounded
				}
				total.through = add(total.through, most)
			}
			return false
		}
		stack = append(stack, x)
		return true
	})
	return total
}

// runsOnce reports whether lit, with its ancestors in stack, is called at once, deferred, or started as a
// goroutine: it runs once each time its enclosing code does.
func runsOnce(info *types.Info, lit *ast.FuncLit, stack []ast.Node) bool {
	if len(stack) == 0 {
		return false
	}
	call, ok := stack[len(stack)-1].(*ast.CallExpr)
	if !ok {
		return false
	}
	if ast.Unparen(call.Fun) == lit {
		return true // called at once, deferred or by a go statement
	}
	return len(call.Args) == 1 && call.Args[0] == lit && syncapi.GoCallback(typeutil.Callee(info, call)) != syncapi.NotStart
}

func (c *sendCounter) isCh(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && c.info.Uses[id] == c.ch
}

// finite reports whether ranging over a value of type t runs at most len times: a slice, an array or a
// pointer to one, a map or a string.
func finite(t types.Type) bool {
	if t == nil {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Slice, *types.Array, *types.Map:
		return true
	case *types.Pointer:
		_, ok := u.Elem().Underlying().(*types.Array)
		return ok
	case *types.Basic:
		return u.Info()&types.IsString != 0
	}
	return false
}
