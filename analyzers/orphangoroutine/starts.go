package orphangoroutine

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/conclint/conclint/internal/lifetime"
	"github.com/conclint/conclint/internal/syntax"
)

// A repeat is the evidence that a start of a goroutine that loops forever can run more than once.
type repeat struct {
	start    *lifetime.Start
	rank     int    // 0: in a loop, 1: in a handler, 2: in a function called more than once
	evidence string // "in a loop (a.go:12)", completing "goroutine started ..." or "f called ..."
}

// checkStarts reports each goroutine that loops forever with no way to stop it and whose start can run
// more than once: in a loop, on each request to an HTTP handler, or in a function called from more than
// one place. Starts that run once for the process (main, init, package-level variables, sync.Once) are
// not reported. It reports one finding per goroutine, at the start with the strongest evidence, and
// returns the positions of the go statements it reported.
func (c *checker) checkStarts(res *lifetime.Result) map[token.Pos]bool {
	var found []repeat
	for _, s := range res.Starts {
		if r, ok := c.repeats(s); ok {
			found = append(found, r)
		}
	}
	if c.callers {
		found = append(found, c.calledTwice(res)...)
	}
	slices.SortStableFunc(found, func(a, b repeat) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), c.compareSites(a.start.Node.Pos(), b.start.Node.Pos()))
	})
	reported := make(map[token.Pos]bool)
	done := make(map[string]bool)
	for _, r := range found {
		if done[r.start.Origin] || !c.tests && c.isTest(r.start.Node.Pos()) {
			continue // one finding per goroutine; tests only with -orphangoroutine.tests
		}
		done[r.start.Origin] = true
		c.reportStart(r)
		reported[r.start.Node.Pos()] = true
	}
	return reported
}

// repeats returns the evidence, in the code around it, that s can run more than once: a loop, or a handler.
// In code that runs once for the process, only a loop that runs once per event (for {}, or a range over
// a channel) counts: a loop over the configuration starts a fixed set of goroutines.
func (c *checker) repeats(s *lifetime.Start) (repeat, bool) {
	ctx := s.Ctx
	switch {
	case ctx.Kind == lifetime.Unknown:
	case ctx.Kind == lifetime.InProcess:
		if ctx.EventLoop != nil {
			return repeat{s, 0, "in a loop (" + c.position(ctx.EventLoop.Pos()) + ")"}, true
		}
	case ctx.Loop != nil:
		return repeat{s, 0, "in a loop (" + c.position(ctx.Loop.Pos()) + ")"}, true
	case ctx.Kind == lifetime.InHandler:
		name := "the handler at " + c.position(ctx.Handler.Pos())
		if d, ok := ctx.Handler.(*ast.FuncDecl); ok {
			name = d.Name.Name
		}
		return repeat{s, 1, "on each request to " + name}, true
	}
	return repeat{}, false
}

// calledTwice returns the starts in functions called from more than one place (a constructor whose
// value is made more than once): the starts in a function of the package, or the first call of a
// function of another package. Calls from code that runs once for the process do not count, nor calls
// from test code of a function that is not test code.
func (c *checker) calledTwice(res *lifetime.Result) []repeat {
	calls := make(map[*types.Func][]*lifetime.Start)
	var order []*types.Func
	for _, s := range res.Starts {
		if s.Direct || s.Ctx.Kind != lifetime.InFunc && s.Ctx.Kind != lifetime.InHandler {
			continue
		}
		if c.isTest(s.Node.Pos()) && !c.isTestFunc(s.Callee) {
			continue // a test's call says nothing about how often the program calls a function of its code
		}
		if c.forwards(s) {
			continue // a variant of the function (Init, InitNoLogFlags): its own calls are the evidence
		}
		if calls[s.Callee] == nil {
			order = append(order, s.Callee)
		}
		calls[s.Callee] = append(calls[s.Callee], s)
	}
	var out []repeat
	for _, fn := range order {
		sites := calls[fn]
		if len(sites) < 2 {
			continue
		}
		slices.SortStableFunc(sites, func(a, b *lifetime.Start) int { return c.compareSites(a.Node.Pos(), b.Node.Pos()) })
		first, second, ok := c.twoRuns(sites)
		if !ok {
			continue // the calls are on exclusive branches: one of them runs
		}
		at := c.position(first.Node.Pos()) + ", " + c.position(second.Node.Pos())
		if fn.Pkg() != c.pass.Pkg {
			out = append(out, repeat{first, 2, "more than once (" + at + ")"})
			continue
		}
		for _, s := range res.Starts {
			if s.Ctx.Func == fn && (s.Ctx.Kind == lifetime.InFunc || s.Ctx.Kind == lifetime.InHandler) {
				out = append(out, repeat{s, 2, fmt.Sprintf("on each call of %s, which is called more than once (%s)", fn.Name(), at)})
			}
		}
	}
	return out
}

// forwards reports whether the call s is the whole body of the function declaration around it: that
// function is another name for the one it calls (func Init() { initInternal(true) }), and runs as often
// as it is called. Two such variants, each called once by a different program, are not two runs.
func (c *checker) forwards(s *lifetime.Start) bool {
	cur, ok := c.in.Root().FindNode(s.Call)
	if !ok {
		return false
	}
	decl, ok := syntax.EnclosingFunc(cur).(*ast.FuncDecl)
	if !ok || decl.Body == nil || len(decl.Body.List) != 1 {
		return false
	}
	switch stmt := decl.Body.List[0].(type) {
	case *ast.ExprStmt:
		return ast.Unparen(stmt.X) == s.Call
	case *ast.ReturnStmt:
		return len(stmt.Results) == 1 && ast.Unparen(stmt.Results[0]) == s.Call
	}
	return false
}

// isTestFunc reports whether fn, of this package or another, is test code.
func (c *checker) isTestFunc(fn *types.Func) bool {
	return fn.Pkg() != nil && syntax.IsTestCode(c.pass.Fset, fn.Pkg().Path(), fn.Pkg().Name(), fn.Pos())
}

// twoRuns returns the first two of sites, in order (code before tests), that can both run, the first not
// in a test: two calls on the two sides of an if/else, or in two cases of a switch or select, are one call.
func (c *checker) twoRuns(sites []*lifetime.Start) (*lifetime.Start, *lifetime.Start, bool) {
	for i, a := range sites {
		if c.isTest(a.Node.Pos()) {
			break // calls from tests only: the goroutines pile up in the test binary, not in the program
		}
		for _, b := range sites[i+1:] {
			if !c.exclusive(a.Node, b.Node) {
				return a, b, true
			}
		}
	}
	return nil, nil, false
}

// exclusive reports whether at most one of a and b runs each time the code around them runs: their
// innermost common ancestor is an if statement with one in its body and the other in its else branch,
// or a switch or select with the two in different clauses.
func (c *checker) exclusive(a, b ast.Node) bool {
	ca, okA := c.in.Root().FindNode(a)
	cb, okB := c.in.Root().FindNode(b)
	if !okA || !okB || syntax.EnclosingFunc(ca) != syntax.EnclosingFunc(cb) {
		return false
	}
	if a.Pos() < b.Pos() && returnsAfter(ca, cb) || b.Pos() < a.Pos() && returnsAfter(cb, ca) {
		return true
	}
	below := make(map[inspector.Cursor]inspector.Cursor) // ancestor of a → its child on the way to a
	for child, cur := ca, ca.Parent(); cur.Node() != nil; child, cur = cur, cur.Parent() {
		below[cur] = child
	}
	for child, cur := cb, cb.Parent(); cur.Node() != nil; child, cur = cur, cur.Parent() {
		childA, ok := below[cur]
		if !ok {
			continue
		}
		kA, kB := childA.ParentEdgeKind(), child.ParentEdgeKind()
		switch cur.Node().(type) {
		case *ast.IfStmt:
			return kA == edge.IfStmt_Body && kB == edge.IfStmt_Else || kA == edge.IfStmt_Else && kB == edge.IfStmt_Body
		case *ast.BlockStmt:
			switch cur.Parent().Node().(type) {
			case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				return childA != child && !fallsThrough(childA.Node())
			}
		}
		return false
	}
	return false
}

// returnsAfter reports whether the statement list that holds a returns after a, before reaching later, which
// is outside the list: a return statement is at a's level in its block, at or after a's statement.
func returnsAfter(a, later inspector.Cursor) bool {
	for cur := a; cur.Node() != nil; cur = cur.Parent() {
		switch cur.Parent().Node().(type) {
		case *ast.FuncLit, *ast.FuncDecl, nil:
			return false
		}
		list, ok := syntax.StmtList(cur.Parent().Node())
		if !ok {
			continue
		}
		if cur.Parent().Contains(later) {
			return false
		}
		stmt, ok := cur.Node().(ast.Stmt)
		if !ok {
			return false
		}
		i := slices.Index(list, stmt)
		return i >= 0 && slices.ContainsFunc(list[i:], func(s ast.Stmt) bool { _, ok := s.(*ast.ReturnStmt); return ok })
	}
	return false
}

// fallsThrough reports whether the case clause ends with a fallthrough statement.
func fallsThrough(n ast.Node) bool {
	cc, ok := n.(*ast.CaseClause)
	if !ok || len(cc.Body) == 0 {
		return false
	}
	br, ok := cc.Body[len(cc.Body)-1].(*ast.BranchStmt)
	return ok && br.Tok == token.FALLTHROUGH
}

// compareSites orders positions with code before test code, then by file and offset, so that the
// positions a message names are the same whether or not the package's tests are loaded.
func (c *checker) compareSites(a, b token.Pos) int {
	pa, pb := c.pass.Fset.Position(a), c.pass.Fset.Position(b)
	return cmp.Or(compareBool(c.isTest(a), c.isTest(b)), cmp.Compare(pa.Filename, pb.Filename), cmp.Compare(pa.Offset, pb.Offset))
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// reportStart reports a start of a goroutine that loops forever: at the go statement, from go to the
// function it runs, or at the call that starts it.
func (c *checker) reportStart(r repeat) {
	s := r.start
	var msg string
	switch {
	case s.Direct && s.Loop != nil:
		msg = fmt.Sprintf("goroutine started %s %s with no way to stop it (loop at %s); %s", r.evidence, loopVerb(s.Loop), c.position(s.Loop.Pos()), advice(s.Loop))
	case s.Direct:
		msg = fmt.Sprintf("goroutine started %s runs %s, which loops forever with no way to stop it (loop at %s); pass it a context.Context and return when ctx.Done() is closed",
			r.evidence, types.ExprString(s.Call.Fun), s.LoopAt)
	default:
		msg = fmt.Sprintf("%s called %s: each call starts a goroutine that loops forever with no way to stop it (%s)", types.ExprString(s.Call.Fun), r.evidence, s.Origin)
	}
	d := analysis.Diagnostic{Pos: s.Node.Pos(), End: s.Call.Lparen, Category: "loop", Message: msg}
	if lit, ok := ast.Unparen(s.Call.Fun).(*ast.FuncLit); ok {
		d.End = lit.Type.End()
	}
	c.r.Report(d)
}

func loopVerb(loop ast.Stmt) string {
	if r, ok := loop.(*ast.RangeStmt); ok {
		return "ranges over " + types.ExprString(r.X) + " forever"
	}
	return "loops forever"
}

func advice(loop ast.Stmt) string {
	if _, ok := loop.(*ast.RangeStmt); ok {
		return "select on the ticker and on ctx.Done() instead, and return when ctx is done"
	}
	return "pass a context.Context and return when ctx.Done() is closed"
}
