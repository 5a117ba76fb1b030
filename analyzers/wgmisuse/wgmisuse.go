package wgmisuse

import (
	_ "embed"
	"flag"
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/analyzerdoc"
	"github.com/conclint/conclint/internal/assigns"
	"github.com/conclint/conclint/internal/report"
	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

//go:embed doc.go
var doc string

// Analyzer reports sync.WaitGroup counts that never reach zero and Waits that wait for themselves.
var Analyzer = &analysis.Analyzer{
	Name:     "wgmisuse",
	Doc:      analyzerdoc.MustExtract(doc, "wgmisuse"),
	URL:      "https://github.com/conclint/conclint/blob/main/docs/analyzers/wgmisuse.md",
	Flags:    newFlags(),
	Requires: []*analysis.Analyzer{inspect.Analyzer, ctrlflow.Analyzer, assigns.Analyzer},
	Run:      run,
}

func newFlags() flag.FlagSet {
	fs := flag.NewFlagSet("wgmisuse", flag.ExitOnError)
	fs.Bool("tests", false, "also report in test code (test files, test-support packages and files)")
	return *fs
}

func run(pass *analysis.Pass) (any, error) {
	if !syncapi.Uses(pass.TypesInfo, "sync") {
		return nil, nil // no WaitGroup without package sync
	}
	r := report.New(pass)
	defer r.Finish()
	c := &checker{
		pass:    pass,
		r:       r,
		cfgs:    pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs),
		decls:   map[*types.Func]*ast.FuncDecl{},
		touches: map[*types.Func]bool{},
		assigns: pass.ResultOf[assigns.Analyzer].(*assigns.Result),
	}
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for cur := range in.Root().Preorder((*ast.FuncDecl)(nil)) {
		d := cur.Node().(*ast.FuncDecl)
		if fn, ok := pass.TypesInfo.Defs[d.Name].(*types.Func); ok {
			c.decls[fn] = d
		}
	}
	tests := syntax.BoolFlag(pass, "tests")
	for cur := range in.Root().Preorder((*ast.GoStmt)(nil), (*ast.CallExpr)(nil), (*ast.BlockStmt)(nil), (*ast.ForStmt)(nil), (*ast.RangeStmt)(nil)) {
		if !tests && syntax.IsTestCode(pass.Fset, pass.Pkg.Path(), pass.Pkg.Name(), cur.Node().Pos()) {
			continue // tests wait in ways of their own, and a hung test is found by running it
		}
		switch n := cur.Node().(type) {
		case *ast.GoStmt:
			c.checkGo(cur, n)
		case *ast.CallExpr:
			c.checkGroupGo(n)
		case *ast.BlockStmt:
			c.checkCounts(n.List)
		case *ast.ForStmt:
			c.checkLoop(n, n.Body)
		case *ast.RangeStmt:
			c.checkLoop(n, n.Body)
		}
	}
	return nil, nil
}

type checker struct {
	pass    *analysis.Pass
	r       *report.Reporter
	cfgs    *ctrlflow.CFGs
	decls   map[*types.Func]*ast.FuncDecl // the package's functions
	touches map[*types.Func]bool          // memo of mayTouchGroups
	assigns *assigns.Result
}

// A counted goroutine is the body a go statement runs and a group that its body marks done, as seen
// inside the body (inner) and from the function that starts it (outer).
type counted struct {
	lit          *ast.FuncLit // the goroutine's function literal, or nil for a function of the package
	body         *ast.BlockStmt
	graph        *cfg.CFG
	inner, outer group
}

// countedBy returns the goroutines a go statement starts with the groups each one's body marks done: for a
// function literal, the groups of its Done calls; for a function of the package, its *sync.WaitGroup
// parameters that receive a group.
func (c *checker) countedBy(s *ast.GoStmt) []counted {
	info := c.pass.TypesInfo
	var out []counted
	if lit, ok := c.funcLit(s.Call.Fun); ok {
		seen := map[group]bool{}
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if _, ok := n.(*ast.FuncLit); ok {
				return false
			}
			if wc, ok := wgCallOf(info, n); ok && wc.method == "Done" && !seen[wc.group] {
				seen[wc.group] = true
				out = append(out, counted{lit: lit, body: lit.Body, graph: c.cfgs.FuncLit(lit), inner: wc.group, outer: wc.group})
			}
			return true
		})
		return out
	}
	decl := c.decls[typeutil.StaticCallee(info, s.Call)]
	if decl == nil || decl.Body == nil || decl.Recv != nil {
		return nil
	}
	params := paramVars(info, decl)
	for i, arg := range s.Call.Args {
		if i >= len(params) || !syncapi.IsNamed(params[i].Type(), "sync", "WaitGroup") {
			continue
		}
		if _, ok := params[i].Type().(*types.Pointer); !ok {
			continue // a copy: copylocks' finding
		}
		if g, ok := refOf(info, arg); ok {
			out = append(out, counted{body: decl.Body, graph: c.cfgs.FuncDecl(decl), inner: group{root: params[i]}, outer: g})
		}
	}
	return out
}

// funcLit returns the function literal that fun is: the literal itself, or a local variable the package
// assigns that literal once and nothing else (publish := func(in <-chan T) { defer wg.Done(); ... };
// go publish(a); go publish(b)).
func (c *checker) funcLit(fun ast.Expr) (*ast.FuncLit, bool) {
	fun = ast.Unparen(fun)
	if lit, ok := fun.(*ast.FuncLit); ok {
		return lit, true
	}
	id, ok := fun.(*ast.Ident)
	if !ok {
		return nil, false
	}
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Parent() == nil || v.Parent() == v.Pkg().Scope() {
		return nil, false // a field or a package-level variable: its value may change
	}
	sites := c.assigns.Sites(v)
	if len(sites) != 1 {
		return nil, false
	}
	lit, ok := ast.Unparen(sites[0].Value).(*ast.FuncLit)
	return lit, ok
}

func paramVars(info *types.Info, decl *ast.FuncDecl) []*types.Var {
	var out []*types.Var
	for _, f := range decl.Type.Params.List {
		for _, name := range f.Names {
			v, _ := info.Defs[name].(*types.Var)
			out = append(out, v)
		}
		if len(f.Names) == 0 {
			out = append(out, nil)
		}
	}
	return out
}

// checkGo checks each goroutine a go statement starts for paths that skip Done and for a Wait on its own
// group.
func (c *checker) checkGo(cur inspector.Cursor, s *ast.GoStmt) {
	fn := syntax.FuncBody(syntax.EnclosingFunc(cur))
	if fn == nil {
		return
	}
	c.checkLateAdd(cur, fn, s)
	ks := c.countedBy(s)
	for _, k := range ks {
		u := c.useOf(k.body, k.inner)
		if u.unknown {
			continue // the group reaches code the analyzer cannot follow
		}
		add := c.firstCall(fn, k.outer, "Add", s)
		if add == nil {
			continue // no Add before the start in this function: the count is kept elsewhere
		}
		if len(u.waits) > 0 {
			c.checkSelfWait(k, u)
		}
		if !u.deferDone && !doneInLoop(k.body, u.dones) {
			c.checkSkippedDone(k, u, add, c.waitFor(fn, k.outer, s), len(ks) == 1)
		}
	}
}

// checkGroupGo reports a wg.Go callback that waits for wg: it is counted until it returns.
func (c *checker) checkGroupGo(call *ast.CallExpr) {
	wc, ok := wgCallOf(c.pass.TypesInfo, call)
	if !ok || wc.method != "Go" || len(call.Args) != 1 {
		return
	}
	lit, ok := ast.Unparen(call.Args[0]).(*ast.FuncLit)
	if !ok {
		return
	}
	u := c.useOf(lit.Body, wc.group)
	for _, w := range u.waits {
		c.r.Report(analysis.Diagnostic{
			Pos: w.Pos(), End: w.Lparen,
			Message: types.ExprString(w.Fun) + " called in a goroutine that " + c.name(w) + " counts until it returns (started by " +
				types.ExprString(call.Fun) + "): it waits for itself and never returns",
			Related: []analysis.RelatedInformation{{Pos: call.Pos(), End: call.Lparen, Message: "goroutine started here"}},
		})
	}
}

// name returns the group's spelling at a WaitGroup method call: wg for wg.Wait().
func (c *checker) name(call *ast.CallExpr) string {
	sel := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return types.ExprString(sel.X)
}

// firstCall returns the first call of g's method in fn's body positioned before limit, outside nested
// function literals other than the one holding limit, or nil.
func (c *checker) firstCall(fn *ast.BlockStmt, g group, method string, limit ast.Node) *ast.CallExpr {
	var found *ast.CallExpr
	ast.Inspect(fn, func(n ast.Node) bool {
		if found != nil || n == nil || n.Pos() >= limit.Pos() {
			return false
		}
		if lit, ok := n.(*ast.FuncLit); ok && !(lit.Pos() <= limit.Pos() && limit.End() <= lit.End()) {
			return false
		}
		if wc, ok := wgCallOf(c.pass.TypesInfo, n); ok && wc.group == g && wc.method == method {
			found = wc.call
		}
		return found == nil
	})
	return found
}

// waitFor returns a Wait on g in fn after the start s, or nil.
func (c *checker) waitFor(fn *ast.BlockStmt, g group, s ast.Node) *ast.CallExpr {
	var found *ast.CallExpr
	ast.Inspect(fn, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if wc, ok := wgCallOf(c.pass.TypesInfo, n); ok && wc.group == g && wc.method == "Wait" && n.Pos() > s.End() {
			found = wc.call
		}
		return true
	})
	return found
}

// doneInLoop reports whether one of the Done calls is in a range loop of the goroutine's body, once per
// element and not followed by a return: the group counts items (jobs handed on, or drained), not
// goroutines, and a path of the goroutine without a Done of its own is no missing Done.
func doneInLoop(body *ast.BlockStmt, dones []*ast.CallExpr) bool {
	found := false
	var visit func(n ast.Node, inLoop bool)
	visit = func(n ast.Node, inLoop bool) {
		ast.Inspect(n, func(m ast.Node) bool {
			if _, ok := m.(*ast.FuncLit); ok || found {
				return false
			}
			if r, ok := m.(*ast.RangeStmt); ok {
				visit(r.Body, true)
				return false
			}
			list, ok := syntax.StmtList(m)
			if !ok || !inLoop {
				return true
			}
			for i, st := range list {
				es, ok := st.(*ast.ExprStmt)
				if !ok {
					continue
				}
				if call, ok := ast.Unparen(es.X).(*ast.CallExpr); !ok || !slices.Contains(dones, call) {
					continue
				}
				if i+1 < len(list) {
					if _, ret := list[i+1].(*ast.ReturnStmt); ret {
						continue // the goroutine's own Done, on its way out
					}
				}
				found = true
			}
			return !found
		})
	}
	visit(body, false)
	return found
}
