package closemisuse

import (
	_ "embed"
	"flag"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/analyzerdoc"
	"github.com/conclint/conclint/internal/assigns"
	"github.com/conclint/conclint/internal/goroutines"
	"github.com/conclint/conclint/internal/report"
	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syntax"
)

//go:embed doc.go
var doc string

// Analyzer reports channels closed twice, sends on a closed channel, and operations on a nil channel.
var Analyzer = &analysis.Analyzer{
	Name:     "closemisuse",
	Doc:      analyzerdoc.MustExtract(doc, "closemisuse"),
	URL:      "https://github.com/conclint/conclint/blob/main/docs/analyzers/closemisuse.md",
	Flags:    newFlags(),
	Requires: []*analysis.Analyzer{inspect.Analyzer, ssaform.Analyzer, assigns.Analyzer},
	Run:      run,
}

func newFlags() flag.FlagSet {
	fs := flag.NewFlagSet("closemisuse", flag.ExitOnError)
	fs.Bool("tests", false, "also report in test code (test files, test-support packages and files)")
	fs.Bool("stop", false, "Stop and Close methods of exported types that close a field with no guard, even when the package never calls them twice (may report false positives)")
	return *fs
}

// Categories of findings, for filtering.
const (
	catDouble    = "double-close"
	catSend      = "send-after-close"
	catUnguarded = "unguarded-stop"
	catReceiver  = "receiver-close"
	catNil       = "nil-channel"
)

func run(pass *analysis.Pass) (any, error) {
	closes, ops := closesChannels(pass), channelOps(pass)
	if !closes && len(ops) == 0 {
		return nil, nil // no close, send, receive or range over a channel
	}
	r := report.New(pass)
	defer r.Finish()
	c := &checker{
		pass:  pass,
		r:     r,
		form:  pass.ResultOf[ssaform.Analyzer].(*ssaform.Form),
		tests: syntax.BoolFlag(pass, "tests"),
		stop:  syntax.BoolFlag(pass, "stop"),
	}
	c.checkNilFields(ops)
	c.checkNilLocals(ops) // builds SSA only when an op is on a local that may be nil
	if !closes {
		return nil, nil // no close(ch): no need to build SSA for the close checks
	}
	c.checkLocals()
	c.checkFields()
	return nil, nil
}

// checkLocals checks the channels made in a function whose every use the goroutines engine follows.
func (c *checker) checkLocals() {
	for _, fn := range c.form.Funcs() {
		if c.isTest(fn.Pos()) {
			continue // tests close what they like, and a panic there fails the test
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if mk, ok := instr.(*ssa.MakeChan); ok {
					if ch := goroutines.Local(fn, mk); ch != nil {
						c.checkLocal(ch) // nil: the channel escapes to code the model does not follow
					}
				}
			}
		}
	}
}

type checker struct {
	pass  *analysis.Pass
	r     *report.Reporter
	form  *ssaform.Form
	tests bool
	stop  bool
}

// closesChannels reports whether the package calls the builtin close.
func closesChannels(pass *analysis.Pass) bool {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	closeObj := types.Universe.Lookup("close")
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		if id, ok := ast.Unparen(cur.Node().(*ast.CallExpr).Fun).(*ast.Ident); ok && pass.TypesInfo.Uses[id] == closeObj {
			return true
		}
	}
	return false
}
