package lockblock

import (
	_ "embed"
	"flag"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/analyzerdoc"
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
	Requires: []*analysis.Analyzer{lockset.Analyzer, blocking.Analyzer},
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
	{syncapi.KindWait, true, "report WaitGroup, errgroup and Cond waits"},
	{syncapi.KindIO, true, "report network, HTTP, database and process I/O"},
}

func newFlags() flag.FlagSet {
	fs := flag.NewFlagSet("lockblock", flag.ExitOnError)
	for _, k := range kinds {
		fs.Bool(string(k.kind), k.on, k.usage)
	}
	fs.Bool("calls", false, "report calls to functions that may block, with the chain of calls (may report false positives: most such locks serialize the call on purpose)")
	fs.Bool("tests", false, "also report in _test.go files (may report false positives: tests block under locks on purpose)")
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
	facts := pass.ResultOf[blocking.Analyzer].(*blocking.Result)
	cfg := readConfig(pass.Analyzer)
	r := report.New(pass)
	for _, f := range pass.Files {
		if !cfg["tests"] && syntax.InTestFile(pass.Fset, f.FileStart) {
			continue // tests block under locks on purpose
		}
		blocking.Ops(pass.TypesInfo, f, blocking.AllLiterals, func(op blocking.Op) {
			if held := locks.Held(op.Pos); len(held) > 0 {
				checkOp(pass, r, cfg, facts, op, held[0])
			}
		})
	}
	r.Finish()
	return nil, nil
}

// checkOp reports op, reached while lock is held, unless it cannot block or its kind is switched off.
func checkOp(pass *analysis.Pass, r *report.Reporter, cfg config, facts *blocking.Result, op blocking.Op, lock lockset.Lock) {
	held := fmt.Sprintf("%s is held (locked at %s)", lock.Name, position(pass, lock))
	var msg string
	switch {
	case op.Cond:
		return // Cond.Wait releases its locker; which lock that is is not tracked
	case op.Callee != nil:
		mb := facts.MayBlock(op.Callee)
		if mb == nil || !cfg["calls"] || !cfg[string(mb.Kind)] {
			return // not known to block, or switched off
		}
		call := blocking.CallName(op.Node.(*ast.CallExpr), op.Callee)
		msg = fmt.Sprintf("call to %s may block (%s) while %s", call, mb.Chain(call), held)
	case !cfg[string(op.Kind)]:
		return
	default:
		if send, ok := op.Node.(*ast.SendStmt); ok {
			if local, field := facts.Buffered.Send(pass.TypesInfo, send); local || field && !cfg["buffered"] {
				return // the buffer holds every send on it, or most likely has room
			}
		}
		msg = describe(pass, op) + " while " + held
	}
	r.Report(analysis.Diagnostic{
		Pos:      op.Node.Pos(),
		End:      reportEnd(op.Node),
		Category: category(op),
		Message:  msg,
		Related:  []analysis.RelatedInformation{{Pos: lock.Pos, Message: lock.Name + " locked here"}},
	})
}

// describe says what a blocking operation found in the function itself does.
func describe(pass *analysis.Pass, op blocking.Op) string {
	switch n := op.Node.(type) {
	case *ast.CallExpr:
		fn, _ := typeutil.Callee(pass.TypesInfo, n).(*types.Func)
		return blocking.CallName(n, fn) + " called"
	case *ast.SelectStmt:
		if op.Desc == "select {}" {
			return "select {} blocks forever"
		}
		return "select without default may block"
	}
	return op.Desc + " may block"
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

func position(pass *analysis.Pass, l lockset.Lock) string {
	p := pass.Fset.Position(l.Pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}
