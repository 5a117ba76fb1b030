package orphangoroutine

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/conclint/conclint/internal/lifetime"
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
	found = append(found, c.calledTwice(res)...)
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
// value is made more than once, in the package or its tests): the starts in a function of the package,
// or the first call of a function of another package. Calls from code that runs once for the process do
// not count.
func (c *checker) calledTwice(res *lifetime.Result) []repeat {
	calls := make(map[*types.Func][]*lifetime.Start)
	var order []*types.Func
	for _, s := range res.Starts {
		if s.Direct || s.Ctx.Kind != lifetime.InFunc && s.Ctx.Kind != lifetime.InHandler {
			continue
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
		at := c.position(sites[0].Node.Pos()) + ", " + c.position(sites[1].Node.Pos())
		if fn.Pkg() != c.pass.Pkg {
			out = append(out, repeat{sites[0], 2, "more than once (" + at + ")"})
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
