package goroutineerr

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
	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/analyzerdoc"
	"github.com/conclint/conclint/internal/errclass"
	"github.com/conclint/conclint/internal/lockset"
	"github.com/conclint/conclint/internal/report"
	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

//go:embed doc.go
var doc string

// Analyzer reports errors lost in goroutines.
var Analyzer = &analysis.Analyzer{
	Name:     "goroutineerr",
	Doc:      analyzerdoc.MustExtract(doc, "goroutineerr"),
	URL:      "https://github.com/conclint/conclint/blob/main/docs/analyzers/goroutineerr.md",
	Flags:    newFlags(),
	Requires: []*analysis.Analyzer{inspect.Analyzer, lockset.Analyzer, ssaform.Analyzer, errclass.Analyzer},
	Run:      run,
}

func newFlags() flag.FlagSet {
	fs := flag.NewFlagSet("goroutineerr", flag.ExitOnError)
	fs.Bool("calls", false, "report every call whose error a goroutine body drops, not only the call the goroutine exists to run; most are deliberate best-effort cleanup (may report false positives)")
	fs.Bool("blank", false, "also report errors assigned to _ in goroutine bodies, and _ = g.Wait(), most of which are deliberate (may report false positives)")
	fs.Bool("tests", false, "also report in test code (_test.go files, test-support packages and files, files that import testing), where most lost errors are those of test servers (may report false positives)")
	fs.Bool("logged", false, "also report calls whose callee logs every error before returning it (may report false positives)")
	fs.Bool("gostmt", false, "report go f() where f returns an error, for any f; by default only ListenAndServe calls, whose bind error nothing else reports (may report false positives: reviewers judged none of the others on the corpus real, their errors were recorded elsewhere or did not matter)")
	fs.Bool("serve", false, "also report Serve-style calls on a listener whose creation the caller checked before the go statement (may report false positives)")
	return *fs
}

// Categories of findings, for filtering.
const (
	catGoStmt    = "go-statement"   // go f() where f returns an error
	catDropped   = "dropped"        // a call's error dropped in a goroutine body
	catNilReturn = "nil-return"     // an errgroup callback checks an error and returns nil
	catWait      = "unchecked-wait" // errgroup.Group.Wait's result unused
	catChan      = "unreceived-channel"
	catShared    = "shared-variable"
)

// config is the flags' values for one pass.
type config struct{ calls, blank, tests, logged, serve, gostmt bool }

func readConfig(pass *analysis.Pass) config {
	return config{
		calls:  syntax.BoolFlag(pass, "calls"),
		blank:  syntax.BoolFlag(pass, "blank"),
		tests:  syntax.BoolFlag(pass, "tests"),
		logged: syntax.BoolFlag(pass, "logged"),
		serve:  syntax.BoolFlag(pass, "serve"),
		gostmt: syntax.BoolFlag(pass, "gostmt"),
	}
}

func run(pass *analysis.Pass) (any, error) {
	r := report.New(pass)
	defer r.Finish()
	c := &checker{
		pass:  pass,
		r:     r,
		cfg:   readConfig(pass),
		in:    pass.ResultOf[inspect.Analyzer].(*inspector.Inspector),
		locks: pass.ResultOf[lockset.Analyzer].(*lockset.Result),
		errs:  pass.ResultOf[errclass.Analyzer].(*errclass.Result),
		tests: testFiles(pass),
		ssa:   pass.ResultOf[ssaform.Analyzer].(*ssaform.Form),
	}
	if !syncapi.StartsGoroutines(pass.Files, pass.TypesInfo) {
		return nil, nil // no go statement, errgroup or WaitGroup.Go: no goroutine to lose an error in
	}
	var spawns []*spawn
	for file := range c.in.Root().Children() {
		if !c.cfg.tests && c.inTest(file.Node().Pos()) {
			continue // most errors lost in tests are in test servers and helpers
		}
		for cur := range file.Preorder((*ast.GoStmt)(nil), (*ast.CallExpr)(nil)) {
			if _, ok := cur.Node().(*ast.GoStmt); ok {
				c.checkGoStmt(cur)
			} else if c.isGroupWait(cur.Node().(*ast.CallExpr)) {
				c.checkWait(cur)
			}
			if s := c.spawned(cur); s != nil {
				spawns = append(spawns, s)
			}
		}
	}
	for _, s := range spawns {
		c.checkBody(s)
	}
	c.checkShared(spawns)
	c.checkChans(spawns)
	return nil, nil
}

type checker struct {
	pass   *analysis.Pass
	r      *report.Reporter
	cfg    config
	in     *inspector.Inspector
	locks  *lockset.Result
	errs   *errclass.Result
	tests  map[*token.File]bool // files of tests and test helpers
	nolint map[fileLine]bool    // lines with a //nolint directive for goroutineerr or errcheck, built on first use
	ssa    *ssaform.Form        // SSA is built on first use
	decls  map[*types.Func]*ast.FuncDecl
}

// A spawn is a goroutine whose body is a function literal.
type spawn struct {
	cur   inspector.Cursor // the go statement or the Go call
	lit   *ast.FuncLit
	group bool // an errgroup callback: what it returns reaches Wait
}

// spawned returns the goroutine started at cur, if its body is a function literal: the literal of a go
// statement, or the argument of errgroup.Group.Go or TryGo, or of sync.WaitGroup.Go.
func (c *checker) spawned(cur inspector.Cursor) *spawn {
	fun, kind := syncapi.Started(c.pass.TypesInfo, cur.Node())
	if lit, ok := fun.(*ast.FuncLit); ok {
		return &spawn{cur: cur, lit: lit, group: kind == syncapi.GroupGo}
	}
	return nil
}

// callee returns the function or method a call statically refers to, or nil.
func (c *checker) callee(call *ast.CallExpr) *types.Func {
	fn, _ := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	return fn
}

// errorResult returns the index of the call's error result, if it has one.
func (c *checker) errorResult(call *ast.CallExpr) (int, bool) {
	tv, ok := c.pass.TypesInfo.Types[call.Fun]
	if !ok || tv.Type == nil || tv.IsType() {
		return -1, false // a conversion, or no type recorded
	}
	sig, _ := tv.Type.Underlying().(*types.Signature)
	i := syncapi.ErrorResult(sig)
	return i, i >= 0
}

// quiet reports whether the call's error may be dropped: it is never non-nil, or not a failure, or
// errcheck ignores it by default.
func (c *checker) quiet(call *ast.CallExpr) bool {
	var recv types.Type
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s := c.pass.TypesInfo.Selections[sel]; s != nil && s.Kind() == types.MethodVal {
			recv = s.Recv()
		}
	}
	return syncapi.QuietError(c.pass.TypesInfo, c.callee(call), recv, call.Args)
}

// callName returns the called function as written, or "the function literal".
func callName(call *ast.CallExpr) string {
	if _, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		return "the function literal"
	}
	return types.ExprString(call.Fun)
}

func (c *checker) report(pos, end token.Pos, category string, fixes []analysis.SuggestedFix, format string, args ...any) {
	c.emit(analysis.Diagnostic{Pos: pos, End: end, Category: category, Message: fmt.Sprintf(format, args...), SuggestedFixes: fixes})
}

// emit reports d unless a //nolint directive on its line silences it.
func (c *checker) emit(d analysis.Diagnostic) {
	if c.nolinted(d.Pos) {
		return // the author judged the drop deliberate
	}
	c.r.Report(d)
}

// testFiles returns the package's test code: _test.go files, test-support packages and files
// (syntax.IsTestCode), and files of test helpers (that import package testing).
func testFiles(pass *analysis.Pass) map[*token.File]bool {
	out := make(map[*token.File]bool)
	for _, f := range pass.Files {
		tf := pass.Fset.File(f.FileStart)
		out[tf] = syntax.IsTestCode(pass.Fset, pass.Pkg.Path(), pass.Pkg.Name(), f.FileStart)
		for _, imp := range f.Imports {
			if pn := pass.TypesInfo.PkgNameOf(imp); pn != nil && pn.Imported().Path() == "testing" {
				out[tf] = true
			}
		}
	}
	return out
}

func (c *checker) inTest(pos token.Pos) bool { return c.tests[c.pass.Fset.File(pos)] }
