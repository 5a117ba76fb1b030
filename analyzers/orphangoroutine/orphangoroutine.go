package orphangoroutine

import (
	_ "embed"
	"flag"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/analyzerdoc"
	"github.com/conclint/conclint/internal/blocking"
	"github.com/conclint/conclint/internal/goroutines"
	"github.com/conclint/conclint/internal/lifetime"
	"github.com/conclint/conclint/internal/loops"
	"github.com/conclint/conclint/internal/report"
	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

//go:embed doc.go
var doc string

// Analyzer reports goroutines nobody waits for and nobody can stop.
var Analyzer = &analysis.Analyzer{
	Name:     "orphangoroutine",
	Doc:      analyzerdoc.MustExtract(doc, "orphangoroutine"),
	URL:      "https://github.com/conclint/conclint/blob/main/docs/analyzers/orphangoroutine.md",
	Flags:    newFlags(),
	Requires: []*analysis.Analyzer{inspect.Analyzer, goroutines.Analyzer, blocking.Analyzer, loops.Analyzer, lifetime.Analyzer, ssaform.Analyzer},
	Run:      run,
}

func newFlags() flag.FlagSet {
	fs := flag.NewFlagSet("orphangoroutine", flag.ExitOnError)
	fs.Bool("ctx", false, "report goroutines started without the context.Context of the function that starts them and not waited for (may report false positives)")
	fs.Bool("callers", false, "also report a goroutine that loops forever when the function that starts it is called from more than one place, with no loop or handler around the calls (may report false positives: a fixed number of calls makes a fixed number of goroutines)")
	fs.Bool("tests", false, "also report in test code, and goroutines that tests can return without waiting for (may report false positives: tests often join through a server's response or shutdown)")
	return *fs
}

func run(pass *analysis.Pass) (any, error) {
	r := report.New(pass)
	defer r.Finish()
	model := pass.ResultOf[goroutines.Analyzer].(*goroutines.Result)
	c := &checker{
		pass:  pass,
		r:     r,
		in:    pass.ResultOf[inspect.Analyzer].(*inspector.Inspector),
		facts: pass.ResultOf[blocking.Analyzer].(*blocking.Result),
		loops: pass.ResultOf[loops.Analyzer].(*loops.Result),
		form:  pass.ResultOf[ssaform.Analyzer].(*ssaform.Form),
		ctx:   syntax.BoolFlag(pass, "ctx"),
		tests: syntax.BoolFlag(pass, "tests"),

		callers: syntax.BoolFlag(pass, "callers"),
	}
	if syncapi.IsRuntime(pass.Pkg.Path()) {
		return nil, nil // the runtime's own goroutines live as long as the process
	}
	reported := c.checkStarts(pass.ResultOf[lifetime.Analyzer].(*lifetime.Result))
	for _, s := range model.Spawns {
		if !s.IsGo() {
			continue // errgroup.Group.Go and sync.WaitGroup.Go: the group waits
		}
		if !c.tests && c.isTest(s.Pos()) {
			continue // tests are checked only with -orphangoroutine.tests
		}
		switch {
		case reported[s.Pos()]: // a goroutine that loops forever, started again and again
		case c.mustWait(s.Parent):
			c.checkExit(s)
		case c.ctx:
			c.checkContext(s)
		}
	}
	return nil, nil
}

type checker struct {
	pass    *analysis.Pass
	r       *report.Reporter
	in      *inspector.Inspector
	facts   *blocking.Result
	loops   *loops.Result
	form    *ssaform.Form // the package's SSA, and the syntax of its instructions
	ctx     bool          // report goroutines that escape the caller's context
	tests   bool          // check tests as well as main
	callers bool          // a function called from more than one place is evidence that its starts pile up
}

// mustWait reports whether fn is main.main or a test, or a function literal a test runs with t.Run: a
// goroutine it starts must be waited for, or the program or test may end first.
func (c *checker) mustWait(fn *ssa.Function) bool {
	if fn.Parent() != nil {
		return c.isSubtest(fn)
	}
	obj, _ := fn.Object().(*types.Func)
	if obj == nil || obj.Signature().Recv() != nil {
		return false
	}
	return ssaform.IsMain(fn) || c.tests && isTestFunc(c.pass, obj)
}

// isTestFunc reports whether fn is a TestXxx, BenchmarkXxx or FuzzXxx function of a _test.go file.
func isTestFunc(pass *analysis.Pass, fn *types.Func) bool {
	if !syntax.InTestFile(pass.Fset, fn.Pos()) {
		return false
	}
	params := fn.Signature().Params()
	if params.Len() != 1 {
		return false
	}
	for _, kind := range []struct{ prefix, typ string }{{"Test", "T"}, {"Benchmark", "B"}, {"Fuzz", "F"}} {
		if strings.HasPrefix(fn.Name(), kind.prefix) && syncapi.IsNamed(params.At(0).Type(), "testing", kind.typ) {
			return true
		}
	}
	return false
}

// isSubtest reports whether the function literal fn is passed to t.Run or b.Run within a test.
func (c *checker) isSubtest(fn *ssa.Function) bool {
	lit, ok := fn.Syntax().(*ast.FuncLit)
	if !ok {
		return false
	}
	cur, ok := c.in.Root().FindNode(lit)
	if !ok {
		return false
	}
	call, ok := cur.Parent().Node().(*ast.CallExpr)
	if !ok {
		return false
	}
	callee, _ := c.pass.TypesInfo.Uses[calleeIdent(call.Fun)].(*types.Func)
	return (syncapi.IsMethod(callee, "testing", "T", "Run") || syncapi.IsMethod(callee, "testing", "B", "Run")) && c.mustWait(fn.Parent())
}

func calleeIdent(e ast.Expr) *ast.Ident {
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		return e.Sel
	case *ast.Ident:
		return e
	}
	return nil
}

// checkExit reports a goroutine that main or a test can return without waiting for. When a possible wait
// is in a loop, the analyzer cannot tell how many goroutines it waits for, and stays silent; a goroutine
// that has no work to cut off (a relay, a watchdog, a signal handler that ends by telling the program to
// stop) is not reported.
func (c *checker) checkExit(s *goroutines.Spawn) {
	if c.waitsInLoop(s.Parent) || c.neverEnds(s) || relaysOnly(s.Body) || isWatchdog(s.Body, watchdogDepth) ||
		stopsOnSignal(s.Body) {
		return
	}
	join := c.mayJoin
	if c.isolated(s) {
		// The goroutine cannot signal a WaitGroup or errgroup: a Wait waits for others.
		join = func(instr ssa.Instruction) bool { return !goroutines.IsWait(instr) && c.mayJoin(instr) }
	}
	exit, _ := goroutines.PathToReturn(s.Instr, join, nil, nil)
	if exit == nil {
		return
	}
	name := s.Parent.Name()
	if s.Parent.Parent() != nil {
		name = "the subtest"
	}
	advice := "wait for it with a sync.WaitGroup or a channel"
	if waitsForSignalFirst(s.Body) {
		// A signal handler never ends without a signal: an unconditional wait would block forever.
		advice = "it starts its work only on a signal, so do not wait for it unconditionally: " +
			"let it end with the cancel (or close) and do the rest of its work in main, once the context is done"
	}
	c.report(s, "exit", "%s can return while the goroutine still runs (%s): its work may be cut off; %s", name, c.where(exit), advice)
}

// relaysOnly reports whether body does nothing but channel operations: it receives, sends, selects or
// closes, and calls nothing else, stores nothing, starts nothing (a signal relay: <-sigs; done <- true).
// Cutting it off at exit loses no work.
func relaysOnly(body *ssa.Function) bool {
	if body == nil || len(body.Blocks) == 0 || len(body.AnonFuncs) > 0 {
		return false
	}
	relays := false
	for _, b := range body.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.UnOp:
				if instr.Op != token.ARROW && instr.Op != token.MUL {
					return false
				}
				relays = relays || instr.Op == token.ARROW
			case *ssa.Call:
				if !goroutines.IsClose(&instr.Call) {
					return false
				}
				relays = true
			case *ssa.Send, *ssa.Select:
				relays = true
			case *ssa.Extract, *ssa.Jump, *ssa.If, *ssa.Return, *ssa.Phi, *ssa.DebugRef, *ssa.BinOp:
			default:
				return false
			}
		}
	}
	return relays
}

// checkContext reports a goroutine started without the context of the function that starts it, which
// does not wait for it either.
func (c *checker) checkContext(s *goroutines.Spawn) {
	if !hasContextParam(s.Parent) || c.usesContext(s) {
		return
	}
	if exit, _ := goroutines.PathToReturn(s.Instr, c.mayJoin, nil, nil); exit == nil {
		return
	}
	c.report(s, "context", "goroutine does not get the context.Context of %s, which does not wait for it either: it escapes the caller's cancellation; pass ctx to it", ssaform.FuncName(s.Parent))
}

// neverEnds reports whether the goroutine has no end to wait for: it loops forever, or it runs a
// server (http.ListenAndServe, srv.Serve, ...), which returns only on an error. Its work lasts as long
// as the program by design.
func (c *checker) neverEnds(s *goroutines.Spawn) bool {
	g, ok := c.goStmt(s)
	if !ok {
		return false
	}
	if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
		return loops.Endless(c.pass.TypesInfo, lit.Body) != nil || c.serves(lit.Body)
	}
	fn := typeutil.StaticCallee(c.pass.TypesInfo, g.Call)
	return c.loops.LoopsForever(fn) != nil || isServe(fn)
}

// serves reports whether body calls a server's blocking serve call, outside function literals.
func (c *checker) serves(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			found = found || isServe(typeutil.StaticCallee(c.pass.TypesInfo, n))
		}
		return !found
	})
	return found
}

// isServe reports whether fn serves HTTP until it fails: http.ListenAndServe, http.Serve, or the same
// methods of http.Server (with TLS too).
func isServe(fn *types.Func) bool {
	for _, name := range []string{"ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS"} {
		if syncapi.IsFunc(fn, "net/http", name) || syncapi.IsMethod(fn, "net/http", "Server", name) {
			return true
		}
	}
	return false
}

// mayJoin reports whether instr may wait for a goroutine, or ends the function without returning.
func (c *checker) mayJoin(instr ssa.Instruction) bool {
	switch instr := instr.(type) {
	case *ssa.UnOp:
		return instr.Op == token.ARROW
	case *ssa.Select:
		return true
	case *ssa.Call:
		if goroutines.IsWait(instr) || goroutines.IsNoReturn(instr) {
			return true
		}
		fn := ssaform.Callee(&instr.Call)
		if fn == nil {
			return false
		}
		if syncapi.IsMethod(fn, "testing", "common", "Cleanup") {
			return true
		}
		if kind, _, ok := syncapi.Blocking(fn); ok {
			return kind == syncapi.KindWait
		}
		if mb := c.facts.MayBlock(fn); mb != nil {
			return mb.Kind != syncapi.KindSleep // it may wait for the goroutine, even through the network
		}
	}
	return false
}

// isolated reports whether the goroutine runs a function of the package, not a method, with arguments of
// basic types only, whose body refers to no package-level channel or WaitGroup: it cannot signal a group
// that its parent waits on.
func (c *checker) isolated(s *goroutines.Spawn) bool {
	g := s.Instr.(*ssa.Go)
	if s.Body == nil || s.Body.Parent() != nil || s.Body.Signature.Recv() != nil || len(g.Call.Args) != len(s.Body.Params) {
		return false
	}
	for _, a := range g.Call.Args {
		if _, basic := a.Type().Underlying().(*types.Basic); !basic {
			return false
		}
	}
	decl, ok := s.Body.Syntax().(*ast.FuncDecl)
	if !ok || decl.Body == nil {
		return false
	}
	signals := false
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := c.pass.TypesInfo.Uses[id].(*types.Var); ok && v.Parent() == c.pass.Pkg.Scope() {
				_, isChan := v.Type().Underlying().(*types.Chan)
				signals = signals || isChan || syncapi.IsNamed(v.Type(), "sync", "WaitGroup")
			}
		}
		return !signals
	})
	return !signals
}

// waitsInLoop reports whether fn may wait for a goroutine inside a loop.
func (c *checker) waitsInLoop(fn *ssa.Function) bool {
	inLoop := ssaform.LoopBlocks(fn)
	for _, b := range fn.Blocks {
		if !inLoop[b] {
			continue
		}
		for _, instr := range b.Instrs {
			if c.mayJoin(instr) {
				return true
			}
		}
	}
	return false
}

func hasContextParam(fn *ssa.Function) bool {
	for _, p := range fn.Params {
		if syncapi.IsNamed(p.Type(), "context", "Context") {
			return true
		}
	}
	return false
}

// usesContext reports whether the goroutine gets a context: one among the arguments of its call, or one
// its function literal refers to.
func (c *checker) usesContext(s *goroutines.Spawn) bool {
	g := s.Instr.(*ssa.Go)
	for _, a := range g.Call.Args {
		if syncapi.IsNamed(a.Type(), "context", "Context") {
			return true
		}
	}
	if s.Body == nil {
		return false
	}
	lit, ok := s.Body.Syntax().(*ast.FuncLit)
	if !ok {
		return false
	}
	found := false
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := c.pass.TypesInfo.Uses[id].(*types.Var); ok && syncapi.IsNamed(v.Type(), "context", "Context") {
				found = true
			}
		}
		return !found
	})
	return found
}

func (c *checker) goStmt(s *goroutines.Spawn) (*ast.GoStmt, bool) {
	g, ok := c.form.NodeAt(s.Pos()).(*ast.GoStmt)
	return g, ok
}

func (c *checker) where(exit ssa.Instruction) string {
	if exit.Pos().IsValid() {
		return "return at " + c.position(exit.Pos())
	}
	if syntax := exit.Parent().Syntax(); syntax != nil {
		return "end of function at " + c.position(syntax.End())
	}
	return "return"
}

// isTest reports whether pos is in test code: a test file, test support, or a testdata directory.
func (c *checker) isTest(pos token.Pos) bool {
	return syntax.IsTestCode(c.pass.Fset, c.pass.Pkg.Path(), c.pass.Pkg.Name(), pos)
}

func (c *checker) position(pos token.Pos) string {
	return syntax.ShortPos(c.pass.Fset, pos)
}

// report reports at the go statement, from go to the start of the function it runs.
func (c *checker) report(s *goroutines.Spawn, category, format string, args ...any) {
	d := analysis.Diagnostic{Pos: s.Pos(), Category: category, Message: fmt.Sprintf(format, args...)}
	if g, ok := c.goStmt(s); ok {
		d.End = g.Call.Lparen
		if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
			d.End = lit.Type.End()
		}
	}
	c.r.Report(d)
}
