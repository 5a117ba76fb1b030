package chanleak

import (
	_ "embed"
	"flag"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/analyzerdoc"
	"github.com/conclint/conclint/internal/goroutines"
	"github.com/conclint/conclint/internal/report"
	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syntax"
)

//go:embed doc.go
var doc string

// Analyzer reports goroutines left blocked forever on a channel.
var Analyzer = &analysis.Analyzer{
	Name:     "chanleak",
	Doc:      analyzerdoc.MustExtract(doc, "chanleak"),
	URL:      "https://github.com/conclint/conclint/blob/main/docs/analyzers/chanleak.md",
	Flags:    newFlags(),
	Requires: []*analysis.Analyzer{inspect.Analyzer, goroutines.Analyzer, ssaform.Analyzer},
	Run:      run,
}

func newFlags() flag.FlagSet {
	fs := flag.NewFlagSet("chanleak", flag.ExitOnError)
	fs.Bool("buffered", false, "report sends that block once a buffered channel is full, not only sends on an unbuffered one (may report false positives: reviewers judged none of those on the corpus real, filling the buffer took an unlikely sequence of events)")
	fs.Bool("tests", false, "also report in _test.go files, where most leaks are on paths that fail the test anyway (may report false positives)")
	return *fs
}

// Categories of findings, for filtering.
const (
	catSender   = "abandoned-sender"
	catLoop     = "too-few-receives"
	catReceiver = "abandoned-receiver"
	catNobody   = "nobody-on-the-other-side"
	catContext  = "uncancelable-context"
)

func run(pass *analysis.Pass) (any, error) {
	model := pass.ResultOf[goroutines.Analyzer].(*goroutines.Result)
	r := report.New(pass)
	defer r.Finish()
	if len(model.Spawns) == 0 {
		return nil, nil // no goroutine started in the package
	}
	c := &checker{pass: pass, r: r, in: pass.ResultOf[inspect.Analyzer].(*inspector.Inspector), chans: model.Chans,
		form: pass.ResultOf[ssaform.Analyzer].(*ssaform.Form), buffered: syntax.BoolFlag(pass, "buffered"),
		tests: syntax.BoolFlag(pass, "tests")}
	tests := c.tests
	for _, ch := range model.Chans {
		if !tests && syntax.IsTestCode(pass.Fset, pass.Pkg.Path(), pass.Pkg.Name(), ch.Make.Pos()) {
			continue // a test's leaks are mostly on paths that fail it
		}
		if ssaform.IsMain(ch.Parent) {
			continue // when main returns, the process exits: nothing stays blocked
		}
		c.checkChan(ch)
	}
	for _, s := range model.Spawns {
		if !tests && syntax.IsTestCode(pass.Fset, pass.Pkg.Path(), pass.Pkg.Name(), s.Pos()) {
			continue // a test ends, and its goroutines with its process
		}
		c.checkUncancelable(s)
	}
	c.checkFields(model.Spawns[0].Parent.Prog, tests)
	return nil, nil
}

type checker struct {
	pass  *analysis.Pass
	r     *report.Reporter
	in    *inspector.Inspector
	chans []*goroutines.Chan // every local channel the model follows
	form  *ssaform.Form      // the package's SSA, and the syntax of its instructions
	// buffered reports a goroutine's send on a buffered channel that the receiver can leave full
	// (-chanleak.buffered); by default only sends on unbuffered channels are.
	buffered bool
	// tests reports in test code too (-chanleak.tests); by default, calls from tests are not counted
	// either (see onceForProcess).
	tests  bool
	decls  map[*types.Func]*ast.FuncDecl              // the package's functions, by object (see declOf)
	loops  map[*ssa.Function]map[*ssa.BasicBlock]bool // ssaform.LoopBlocks, by function (see inLoop)
	values map[*types.Func]bool                       // the package's functions used as values (see usedAsValue)
	// funcValues holds the package's functions (by *ssa.Function and *types.Func) used other than as a
	// callee, and the names of methods called through an interface (see calledUnseen).
	funcValues map[any]bool
	waitGroups map[*types.Var]*waitGroup            // the WaitGroup fields looked at, nil if not counted (see countedWaitGroup)
	runs       map[runsKey][]map[*ssa.Function]bool // the runs of a loop, by loop and stop signal (see loopRuns)
}

// checkChan reports what can block forever on ch: each goroutine's blocking send or receive, then the
// parent's own operations that nothing can complete.
func (c *checker) checkChan(ch *goroutines.Chan) {
	name := c.chanName(ch)
	for _, s := range ch.Spawns {
		if op := first(ch.Ops, s, isBlockingSend); op != nil {
			c.checkSender(ch, name, s, op)
		} else if op := first(ch.Ops, s, isBlockingRecv); op != nil {
			c.checkReceiver(ch, name, s, op)
		}
	}
	c.checkParent(ch, name)
}

// checkSender reports a goroutine's send that the parent can abandon.
func (c *checker) checkSender(ch *goroutines.Chan, name string, s *goroutines.Spawn, send *goroutines.Op) {
	if anyOp(ch.Ops, func(o *goroutines.Op) bool { return o.Spawn != nil && o.Spawn != s && isRecv(o) }) {
		return // another goroutine receives: whether it does so in time is not tracked
	}
	parentRecvs := filter(ch.Ops, func(o *goroutines.Op) bool { return o.Spawn == nil && isRecv(o) })
	if len(parentRecvs) == 0 {
		if ch.Cap == 0 {
			c.report(send, catNobody, nil, "goroutine blocks forever sending on %s: nothing receives from %s", name, name)
		}
		return
	}
	if c.onceForProcess(ch.Parent) {
		return // the function runs at most once per process: the goroutine is left behind once at most
	}
	if s.InLoop {
		c.checkLoopSenders(ch, name, s, send, parentRecvs)
		return
	}
	if ch.Cap > 0 && !c.buffered {
		return // a buffer the receiver leaves full: off by default
	}
	if c.doneAfterSends(ch, s) != nil {
		return // the parent leaves only after the goroutine's last message, sent after all its sends
	}
	sends := filter(ch.Ops, func(o *goroutines.Op) bool { return o.Spawn == s && o.Kind == goroutines.Send })
	most := 0 // sends pending when the goroutine starts: none when it replies to requests, counted by the parent's sends
	req, replies := c.requestChan(ch, s)
	if req == nil {
		replies = []*goroutines.Chan{ch}
		most = sendBound(s.Body, sends)
		if most != unbounded && ch.Cap >= int64(most) {
			return // the buffer holds every send one run of the goroutine makes
		}
		if anyOp(parentRecvs, c.inCountedLoop) {
			return // the receives are counted by a loop, whose zero-trip path is not a real way out
		}
	}
	exit, via, pending := c.pendingExit(ch, s, most, req, replies)
	if exit == nil {
		return // on every path out, the buffer holds the sends still pending
	}
	if c.givesUpHarmlessly(ch, send, via) {
		return // the goroutine sends only if the context is not done, or a shutdown gives up (see giveup.go)
	}
	if c.stopsServer(ch, s, sends) {
		return // the way out shuts the server down, and the goroutine does not send http.ErrServerClosed
	}
	blocked := ""
	if req == nil && most != unbounded && pending != unbounded {
		// The parent received most-pending values on its way out and the buffer holds Cap more: the
		// send after them is the one that blocks.
		if over, before := overflow(s.Body, sends, most-pending+int(ch.Cap)); over != nil {
			send = over // else a send in a function literal: the first send stands for them
			if before != nil {
				blocked = " after its send at " + c.position(before.Instr.Pos())
			}
		}
	}
	var fix []analysis.SuggestedFix
	var advice string
	switch {
	case most == 1 && ch.Cap == 0:
		advice = "make " + name + " buffered (capacity 1)"
		fix = c.capacityFix(ch, name, "1")
	case ch.Cap > 0:
		advice = "receive every value before returning, or give " + name + " room for every send"
	default:
		advice = "receive every value before returning, or make " + name + " buffered"
	}
	c.report(send, catSender, fix, "goroutine may block forever sending on %s%s: the receiver in %s can return first (%s); %s",
		name, blocked, ssaform.FuncName(ch.Parent), c.where(exit, via), advice)
}

// checkLoopSenders reports goroutines started in a loop whose sends the parent's receiving loop can leave
// behind by returning early.
func (c *checker) checkLoopSenders(ch *goroutines.Chan, name string, s *goroutines.Spawn, send *goroutines.Op, recvs []*goroutines.Op) {
	if ch.Cap > 0 {
		return // the loop's bound is not compared with the capacity
	}
	for _, recv := range recvs {
		if closedBefore(ch, recv) {
			continue // the function has closed the channel: it takes every sender to be done
		}
		ret := c.earlyReturn(recv.Instr.Pos())
		if ret == nil {
			continue
		}
		bound := c.loopBound(s.Pos(), ch.Make.Pos())
		advice := "make " + name + " buffered with room for every goroutine"
		var fix []analysis.SuggestedFix
		if bound != "" {
			advice = fmt.Sprintf("make %s buffered (capacity %s)", name, bound)
			fix = c.capacityFix(ch, name, bound)
		}
		c.report(send, catLoop, fix, "goroutines started in a loop may block forever sending on %s: the receiving loop in %s can return early (return at %s); %s",
			name, ssaform.FuncName(ch.Parent), c.position(ret.Pos()), advice)
		return
	}
}

// closedBefore reports whether the function that made ch closes it on every path to recv: a receive after
// the close (close(errCh); for err := range errCh { return err }) leaves no sender behind, as any send
// still to come would panic.
func closedBefore(ch *goroutines.Chan, recv *goroutines.Op) bool {
	return anyOp(ch.Ops, func(o *goroutines.Op) bool {
		return o.Kind == goroutines.Close && o.Spawn == nil && !o.Deferred && ssaform.Dominates(o.Instr, recv.Instr)
	})
}

// checkReceiver reports a goroutine's receive or range that the parent can abandon.
func (c *checker) checkReceiver(ch *goroutines.Chan, name string, s *goroutines.Spawn, recv *goroutines.Op) {
	if anyOp(ch.Ops, func(o *goroutines.Op) bool {
		return o.Spawn != nil && o.Spawn != s && (o.Kind == goroutines.Send || o.Kind == goroutines.Close)
	}) {
		return // another goroutine sends or closes
	}
	closes := filter(ch.Ops, func(o *goroutines.Op) bool { return o.Spawn == nil && o.Kind == goroutines.Close })
	if anyOp(closes, func(o *goroutines.Op) bool { return o.Deferred }) {
		return // a deferred close runs at every return
	}
	once := c.onceForProcess(ch.Parent) // the goroutine is left behind once at most: silent when abandoned
	if recv.Kind == goroutines.Range {
		if len(closes) == 0 && !anyOp(ch.Ops, func(o *goroutines.Op) bool { return o.Kind == goroutines.Close }) {
			c.report(recv, catReceiver, nil, "goroutine ranges over %s, which is never closed: it blocks forever after the last value; close %s when done sending", name, name)
			return
		}
		if exit, via := c.escapePath(ch, s, closes); exit != nil && !once {
			c.report(recv, catReceiver, nil, "goroutine may block forever ranging over %s: %s can return without closing it (%s)", name, ssaform.FuncName(ch.Parent), c.where(exit, via))
		}
		return
	}
	feeds := filter(ch.Ops, func(o *goroutines.Op) bool {
		return o.Spawn == nil && (o.Kind == goroutines.Send || o.Kind == goroutines.Close)
	})
	if len(feeds) == 0 {
		if !anyOp(ch.Ops, func(o *goroutines.Op) bool { return o.Kind == goroutines.Send || o.Kind == goroutines.Close }) {
			c.report(recv, catNobody, nil, "goroutine blocks forever receiving from %s: nothing sends on %s or closes it", name, name)
		}
		return
	}
	if anyOp(feeds, c.inCountedLoop) {
		return // the sends are counted by a loop, whose zero-trip path is not a real way out
	}
	if exit, via := c.escapePath(ch, s, feeds); exit != nil && !once {
		c.report(recv, catReceiver, nil, "goroutine may block forever receiving from %s: %s can return without sending on or closing %s (%s)",
			name, ssaform.FuncName(ch.Parent), name, c.where(exit, via))
	}
}

// checkParent reports the parent's own blocking operations that nothing can complete.
func (c *checker) checkParent(ch *goroutines.Chan, name string) {
	for _, op := range ch.Ops {
		if op.Spawn != nil || op.Select {
			continue
		}
		switch {
		case isRecv(op) && !anyOp(ch.Ops, func(o *goroutines.Op) bool { return o.Kind == goroutines.Send || o.Kind == goroutines.Close }):
			if c.blockForever(op) {
				continue // <-make(chan struct{}): blocking forever is what the code says
			}
			c.report(op, catNobody, nil, "receive from %s blocks forever: nothing sends on %s or closes it", name, name)
		case op.Kind == goroutines.Send && ch.Cap == 0 && !anyOp(ch.Ops, isRecv):
			c.report(op, catNobody, nil, "send on %s blocks forever: nothing receives from %s", name, name)
		}
	}
}

// blockForever reports whether op is the idiom that blocks forever on purpose: a receive from a channel
// made in the receive itself, <-make(chan struct{}), which no other code can name.
func (c *checker) blockForever(op *goroutines.Op) bool {
	u, ok := c.form.Node(op.Instr).(*ast.UnaryExpr)
	if !ok {
		return false
	}
	call, ok := ast.Unparen(u.X).(*ast.CallExpr)
	return ok && syntax.IsBuiltin(c.pass.TypesInfo, call, "make")
}

// escapePath returns a return of the parent reachable from the spawn without passing any of the stops
// (nor a WaitGroup or errgroup Wait, nor an instruction for which one of also is true), and the first
// select on the channel passed on the way, if any.
func (c *checker) escapePath(ch *goroutines.Chan, s *goroutines.Spawn, stops []*goroutines.Op, also ...func(ssa.Instruction) bool) (exit ssa.Instruction, via *ssa.Select) {
	stopInstr := make(map[ssa.Instruction]bool)
	stopEdge := make(map[goroutines.Edge]bool)
	selects := make(map[ssa.Instruction]bool)
	for _, op := range stops {
		if op.Case != nil {
			stopEdge[*op.Case] = true // a select case: stops only where that case is chosen
		} else if !op.Select {
			stopInstr[op.Instr] = true
		}
	}
	for _, op := range ch.Ops {
		if op.Spawn == nil && op.Select {
			selects[op.Instr] = true
		}
	}
	return goroutines.PathToReturn(s.Instr, func(instr ssa.Instruction) bool {
		for _, stop := range also {
			if stop(instr) {
				return true
			}
		}
		return stopInstr[instr] || goroutines.IsWait(instr) || goroutines.IsNoReturn(instr)
	}, stopEdge, selects)
}

func (c *checker) where(exit ssa.Instruction, via *ssa.Select) string {
	if via != nil {
		return "select at " + c.position(via.Pos())
	}
	if exit.Pos().IsValid() {
		return "return at " + c.position(exit.Pos())
	}
	if syntax := exit.Parent().Syntax(); syntax != nil {
		return "end of function at " + c.position(syntax.End()) // the implicit return
	}
	return "return"
}

func (c *checker) position(pos token.Pos) string {
	return syntax.ShortPos(c.pass.Fset, pos)
}

func (c *checker) report(op *goroutines.Op, category string, fixes []analysis.SuggestedFix, format string, args ...any) {
	node := c.node(op.Instr.Pos())
	d := analysis.Diagnostic{Pos: op.Instr.Pos(), Category: category, Message: fmt.Sprintf(format, args...), SuggestedFixes: fixes}
	if node != nil {
		d.Pos, d.End = node.Pos(), nodeEnd(node)
	}
	c.r.Report(d)
}

func nodeEnd(n ast.Node) token.Pos {
	switch n := n.(type) {
	case *ast.RangeStmt:
		return n.X.End()
	case *ast.SelectStmt:
		return n.Body.Lbrace
	}
	return n.End()
}

func first(ops []*goroutines.Op, s *goroutines.Spawn, pred func(*goroutines.Op) bool) *goroutines.Op {
	for _, o := range ops {
		if o.Spawn == s && pred(o) {
			return o
		}
	}
	return nil
}

func filter(ops []*goroutines.Op, pred func(*goroutines.Op) bool) []*goroutines.Op {
	var out []*goroutines.Op
	for _, o := range ops {
		if pred(o) {
			out = append(out, o)
		}
	}
	return out
}

func anyOp(ops []*goroutines.Op, pred func(*goroutines.Op) bool) bool {
	return len(filter(ops, pred)) > 0
}

func isRecv(o *goroutines.Op) bool { return o.Kind == goroutines.Recv || o.Kind == goroutines.Range }

func isBlockingSend(o *goroutines.Op) bool { return o.Kind == goroutines.Send && !o.Select }

func isBlockingRecv(o *goroutines.Op) bool { return isRecv(o) && !o.Select }
