package lockblock

import (
	_ "embed"
	"flag"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/analyzerdoc"
	"github.com/conclint/conclint/internal/assigns"
	"github.com/conclint/conclint/internal/blocking"
	"github.com/conclint/conclint/internal/lockset"
	"github.com/conclint/conclint/internal/report"
	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

//go:embed doc.go
var doc string

// Analyzer reports blocking operations performed while a mutex is held.
var Analyzer = &analysis.Analyzer{
	Name:     "lockblock",
	Doc:      analyzerdoc.MustExtract(doc, "lockblock"),
	URL:      "https://github.com/conclint/conclint/blob/main/docs/analyzers/lockblock.md",
	Flags:    newFlags(),
	Requires: []*analysis.Analyzer{lockset.Analyzer, blocking.Analyzer, assigns.Analyzer},
	Run:      run,
}

// Each kind of blocking operation can be switched off with a flag named after it.
// The kinds that are off by default were mostly deliberate on the corpus (see docs/analyzers/lockblock.md):
// a lock held across a channel hand-off or a call that ends in I/O is usually there to serialize it.
var kinds = []struct {
	kind  blocking.Kind
	on    bool
	usage string
}{
	{syncapi.KindSleep, true, "report time.Sleep and <-time.After"},
	{blocking.KindChannel, false, "report channel sends, receives, ranges and selects without default (may report false positives: a lock often serializes a hand-off on purpose)"},
	{syncapi.KindWait, false, "report WaitGroup, errgroup and Cond waits under a state lock (may report false positives: reviewers judged none of those on the corpus real; a wait for a goroutine that takes the lock, a deadlock, is reported regardless)"},
	{syncapi.KindIO, false, "report network, HTTP, database and process I/O (may report false positives: reviewers judged none of those on the corpus's applications real, the lock serialized the I/O on purpose or the I/O was bounded)"},
}

func newFlags() flag.FlagSet {
	fs := flag.NewFlagSet("lockblock", flag.ExitOnError)
	for _, k := range kinds {
		fs.Bool(string(k.kind), k.on, k.usage)
	}
	fs.Bool("calls", false, "report calls to functions that may block, with the chain of calls (may report false positives: most such locks serialize the call on purpose)")
	fs.Bool("serializing", false, "also report blocking operations under a lock whose every critical section may block: a lock that serializes that work (may report locks held on purpose)")
	fs.Bool("tests", false, "also report in test code: _test.go files, test-support packages and files, testdata (may report false positives: tests block under locks on purpose)")
	fs.Bool("buffered", false, "report sends on struct fields whose channels are always made buffered (may report sends that never block)")
	return *fs
}

// config is the flags' values for one pass.
type config map[string]bool

func readConfig(a *analysis.Analyzer) config {
	c := make(config)
	a.Flags.VisitAll(func(f *flag.Flag) { c[f.Name] = f.Value.(flag.Getter).Get().(bool) })
	return c
}

func run(pass *analysis.Pass) (any, error) {
	locks := pass.ResultOf[lockset.Analyzer].(*lockset.Result)
	c := &checker{
		pass:  pass,
		cfg:   readConfig(pass.Analyzer),
		facts: pass.ResultOf[blocking.Analyzer].(*blocking.Result),
		r:     report.New(pass),
	}
	isTest := func(pos token.Pos) bool { return syntax.IsTestCode(pass.Fset, pass.Pkg.Path(), pass.Pkg.Name(), pos) }
	c.roles = collectRoles(pass, locks, c.facts, isTest)
	if len(c.roles.sections) > 0 {
		c.goroutines = collectGoroutines(pass, c.roles.funcs)
	}
	for _, f := range pass.Files {
		if !c.cfg["tests"] && isTest(f.FileStart) {
			continue // tests and test support block under locks on purpose
		}
		blocking.Ops(pass.TypesInfo, f, blocking.AllLiterals, func(op blocking.Op) {
			if held := locks.Held(op.Pos); len(held) > 0 {
				c.checkOp(op, held)
			}
		})
	}
	c.r.Finish()
	return nil, nil
}

// A checker holds what checking the operations of one package needs.
type checker struct {
	pass       *analysis.Pass
	cfg        config
	facts      *blocking.Result
	r          *report.Reporter
	roles      *roles
	goroutines []goroutine
}

// checkOp reports op, reached while the locks held are held: when what it waits for takes one of them (a
// deadlock), or when one of them is a state lock, with a critical section that cannot block and waits
// for op (a fast path). A lock that serializes blocking work only is reported with -lockblock.serializing.
func (c *checker) checkOp(op blocking.Op, held []lockset.Lock) {
	pass, cfg := c.pass, c.cfg
	if op.Cond {
		return // Cond.Wait releases its locker; which lock that is is not tracked
	}
	if c.checkDeadlock(op, held) {
		return
	}
	var what, until string
	switch {
	case op.Callee != nil:
		mb := c.facts.Blocks(op)
		if mb == nil || !cfg["calls"] || !cfg[string(mb.Kind)] {
			return // not known to block, or switched off
		}
		call := blocking.CallName(op.Node.(*ast.CallExpr), op.Callee)
		what = fmt.Sprintf("call to %s may block (%s)", call, mb.Chain(call))
		until = call + " returns"
	case !cfg[string(op.Kind)]:
		return
	default:
		if send, ok := op.Node.(*ast.SendStmt); ok {
			if local, field := c.facts.Buffered().Send(pass.TypesInfo, send); local || field && !cfg["buffered"] {
				return // the buffer holds every send on it, or most likely has room
			}
		}
		if u, ok := op.Node.(*ast.UnaryExpr); ok && c.facts.Buffered().Receive(pass.TypesInfo, u) {
			return // a semaphore token that every holder gives back, a fired timer's drain, a value sent before the flag
		}
		if !c.facts.Waits(op) {
			return // a local WaitGroup whose goroutines cannot block
		}
		if op.Kind == syncapi.KindIO && c.hasDeadline(op) {
			return // the I/O is bounded by a deadline set just before
		}
		what, until = describe(pass, op)
	}
	if c.roles.pacer.isPacing(op) && !c.repeatedUnder(op, held) {
		return // a short pause, once per critical section: it stalls a fast path by at most maxPacing
	}
	var wg types.Object
	if call, ok := op.Node.(*ast.CallExpr); ok && syncapi.IsMethod(calleeFunc(pass.TypesInfo, call), "sync", "WaitGroup", "Wait") {
		wg = recvClass(pass.TypesInfo, call)
	}
	for _, l := range held {
		if waitedOn(pass.TypesInfo, op.Node) != nil && c.roles.stoppedBefore(l, op.Pos) {
			return // a shutdown: the goroutines waited for were told to stop in this critical section
		}
		if c.roles.addWaitSerializer(l, wg) {
			continue // the lock keeps the group's Add and Wait apart
		}
		if fast := c.roles.fastPath(l, cfg["tests"]); fast != nil {
			msg := fmt.Sprintf("%s while %s; %s also guards %s (%s), which waits until %s",
				what, heldAt(pass, l), l.Name, fast.fn, position(pass, fast.pos), until)
			c.report(op, msg, l, analysis.RelatedInformation{Pos: fast.pos, Message: fast.fn + " waits here for " + l.Name})
			return
		}
	}
	// Every lock held serializes blocking work: no critical section of it is a fast path that waits.
	if !cfg["serializing"] || c.roles.pacer.isPacing(op) || c.roles.addWaitSerializer(held[0], wg) {
		return
	}
	c.report(op, what+" while "+heldAt(pass, held[0]), held[0])
}

// repeatedUnder reports whether op lies in a loop that starts after one of the locks held was taken:
// the loop may run it any number of times in one critical section (for !ready() { time.Sleep(d) }).
// A loop that takes the lock at each iteration pauses once per critical section.
func (c *checker) repeatedUnder(op blocking.Op, held []lockset.Lock) bool {
	file := syntax.FileOf(c.pass.Files, op.Node.Pos())
	if file == nil {
		return true
	}
	path, _ := astutil.PathEnclosingInterval(file, op.Node.Pos(), op.Node.End())
	for _, n := range path {
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			for _, l := range held {
				if n.Pos() > l.Pos {
					return true
				}
			}
		case *ast.FuncDecl, *ast.FuncLit:
			return false
		}
	}
	return false
}

// checkDeadlock reports op, a wait under one of the locks held, when a goroutine it waits for takes that
// lock, and says whether it did.
func (c *checker) checkDeadlock(op blocking.Op, held []lockset.Lock) bool {
	pass := c.pass
	for _, l := range held {
		s := c.roles.sections[l.Pos]
		if s == nil {
			continue
		}
		g, a, ok := deadlock(pass.TypesInfo, c.goroutines, op.Node, s.class, l.Read)
		if !ok || flagGuarded(pass.TypesInfo, syntax.FileOf(pass.Files, op.Node.Pos()), op.Node, g) {
			continue
		}
		var what string
		if u, ok := op.Node.(*ast.UnaryExpr); ok {
			what = "receive from " + types.ExprString(u.X)
		} else {
			what, _ = describe(pass, op)
		}
		msg := fmt.Sprintf("%s while %s may deadlock: the goroutine started at %s, which it waits for, locks %s (%s)",
			what, heldAt(pass, l), position(pass, g.start), a.name, position(pass, a.pos))
		c.r.Report(analysis.Diagnostic{
			Pos:      op.Node.Pos(),
			End:      reportEnd(op.Node),
			Category: "deadlock",
			Message:  msg,
			Related: []analysis.RelatedInformation{
				{Pos: l.Pos, Message: l.Name + " locked here"},
				{Pos: a.pos, Message: "the goroutine locks " + a.name + " here"},
			},
		})
		return true
	}
	return false
}

func (c *checker) report(op blocking.Op, msg string, l lockset.Lock, related ...analysis.RelatedInformation) {
	c.r.Report(analysis.Diagnostic{
		Pos:      op.Node.Pos(),
		End:      reportEnd(op.Node),
		Category: category(op),
		Message:  msg,
		Related:  append([]analysis.RelatedInformation{{Pos: l.Pos, Message: l.Name + " locked here"}}, related...),
	})
}

// heldAt says which lock is held and where it was taken.
func heldAt(pass *analysis.Pass, l lockset.Lock) string {
	return fmt.Sprintf("%s is held (locked at %s)", l.Name, position(pass, l.Pos))
}

// describe says what a blocking operation found in the function itself does, and until when a goroutine
// that waits for the lock waits.
func describe(pass *analysis.Pass, op blocking.Op) (what, until string) {
	switch n := op.Node.(type) {
	case *ast.CallExpr:
		fn, _ := typeutil.Callee(pass.TypesInfo, n).(*types.Func)
		name := blocking.CallName(n, fn)
		return name + " called", name + " returns"
	case *ast.SelectStmt:
		if op.Desc == "select {}" {
			return "select {} blocks forever", "the end of time"
		}
		return "select without default may block", "the select proceeds"
	}
	return op.Desc + " may block", "the " + op.Desc + " completes"
}

func category(op blocking.Op) string {
	if op.Callee != nil {
		return "call"
	}
	return string(op.Kind)
}

// reportEnd narrows the range of statements with bodies to their first line.
func reportEnd(n ast.Node) token.Pos {
	switch n := n.(type) {
	case *ast.SelectStmt:
		return n.Body.Lbrace
	case *ast.RangeStmt:
		return n.X.End()
	case *ast.CallExpr:
		return n.Lparen
	}
	return n.End()
}

func position(pass *analysis.Pass, pos token.Pos) string {
	p := pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// hasDeadline reports whether op, a method call x.Read(...) or x.Write(...), follows, in the same function
// and outside function literals, a call x.SetDeadline, x.SetReadDeadline (for a read) or
// x.SetWriteDeadline (for a write) on the same x: the I/O returns by that deadline.
func (c *checker) hasDeadline(op blocking.Op) bool {
	call, ok := op.Node.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	setters := []string{"SetDeadline"}
	switch name := sel.Sel.Name; {
	case strings.HasPrefix(name, "Read") || name == "Accept":
		setters = append(setters, "SetReadDeadline")
	case strings.HasPrefix(name, "Write"):
		setters = append(setters, "SetWriteDeadline")
	default:
		return false
	}
	file := syntax.FileOf(c.pass.Files, call.Pos())
	if file == nil {
		return false
	}
	path, _ := astutil.PathEnclosingInterval(file, call.Pos(), call.End())
	var body ast.Node
	for _, n := range path {
		if _, ok := n.(*ast.FuncLit); ok {
			body = n
			break
		}
		if _, ok := n.(*ast.FuncDecl); ok {
			body = n
			break
		}
	}
	if body == nil {
		return false
	}
	recv := types.ExprString(sel.X)
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if lit, ok := n.(*ast.FuncLit); ok && lit != body {
			return false
		}
		set, ok := n.(*ast.CallExpr)
		if !ok || set.End() > call.Pos() {
			return !found
		}
		if s, ok := ast.Unparen(set.Fun).(*ast.SelectorExpr); ok && slices.Contains(setters, s.Sel.Name) && types.ExprString(s.X) == recv {
			found = true
		}
		return !found
	})
	return found
}
