package sharedcounter

import (
	_ "embed"
	"flag"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"go/version"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/analyzerdoc"
	"github.com/conclint/conclint/internal/blocking"
	"github.com/conclint/conclint/internal/lockset"
	"github.com/conclint/conclint/internal/locksummary"
	"github.com/conclint/conclint/internal/report"
	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

//go:embed doc.go
var doc string

// Analyzer reports shared variables written by goroutines without synchronization.
var Analyzer = &analysis.Analyzer{
	Name:     "sharedcounter",
	Doc:      analyzerdoc.MustExtract(doc, "sharedcounter"),
	URL:      "https://github.com/conclint/conclint/blob/main/docs/analyzers/sharedcounter.md",
	Flags:    newFlags(),
	Requires: []*analysis.Analyzer{inspect.Analyzer, lockset.Analyzer, blocking.Analyzer, ssaform.Analyzer, locksummary.Analyzer},
	Run:      run,
}

func newFlags() flag.FlagSet {
	fs := flag.NewFlagSet("sharedcounter", flag.ExitOnError)
	fs.Bool("tests", false, "also report in _test.go files (may report false positives: tests of racy code race on purpose, and synchronize in ways the analyzer does not see)")
	fs.Bool("guarded", false, "report accesses to a struct field without the lock held at most of its other accesses, in code that runs in goroutines (may report false positives: reviewers judged 4 of 15 on the corpus real)")
	fs.Bool("fields", false, "report plain accesses to struct fields also accessed with sync/atomic functions (may report false positives: a value shared otherwise than by a function literal is not seen)")
	return *fs
}

func run(pass *analysis.Pass) (any, error) {
	r := report.New(pass)
	defer r.Finish()
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	c := &checker{
		pass:  pass,
		r:     r,
		locks: pass.ResultOf[lockset.Analyzer].(*lockset.Result),
		facts: pass.ResultOf[blocking.Analyzer].(*blocking.Result),
	}
	tests := syntax.BoolFlag(pass, "tests")
	for cur := range in.Root().Preorder((*ast.GoStmt)(nil), (*ast.CallExpr)(nil)) {
		if !tests && syntax.IsTestCode(pass.Fset, pass.Pkg.Path(), pass.Pkg.Name(), cur.Node().Pos()) {
			continue // tests race on purpose, or synchronize in ways not tracked
		}
		if body := c.spawnedLiteral(cur.Node()); body != nil {
			c.checkSpawn(cur, body)
		}
	}
	if syncapi.Uses(pass.TypesInfo, "sync/atomic") {
		c.checkMixed(in, syntax.BoolFlag(pass, "fields"))
	}
	if syntax.BoolFlag(pass, "guarded") {
		g := &guardCheck{
			pass: pass, r: r, locks: c.locks, tests: tests, helperCalls: make(map[*ssa.Function]bool), joins: make(map[*ssa.Function]token.Pos),
			summaries: pass.ResultOf[locksummary.Analyzer].(*locksummary.Result),
		}
		g.run(pass.ResultOf[ssaform.Analyzer].(*ssaform.Form))
	}
	return nil, nil
}

type checker struct {
	pass  *analysis.Pass
	r     *report.Reporter
	locks *lockset.Result
	facts *blocking.Result
}

// spawnedLiteral returns the function literal that n runs in a new goroutine: the literal of a go
// statement, or the argument of a syncapi.GoCallback call (errgroup.Group.Go and TryGo, sync.WaitGroup.Go).
func (c *checker) spawnedLiteral(n ast.Node) *ast.FuncLit {
	fun, _ := syncapi.Started(c.pass.TypesInfo, n)
	lit, _ := fun.(*ast.FuncLit)
	return lit
}

// A write is one statement of a goroutine body that writes a variable declared outside it.
type write struct {
	stmt   ast.Stmt
	v      *types.Var
	target ast.Expr // the variable or field path written: count, s.hits, results (for a map element)
	kind   kind
}

type kind int

const (
	assigned kind = iota
	incremented
	decremented
	updated
	appended
	mapWrite
)

// checkSpawn reports the unsynchronized writes of one goroutine body that another goroutine may race with.
func (c *checker) checkSpawn(spawn inspector.Cursor, body *ast.FuncLit) {
	loop, parent := enclosing(spawn)
	if parent == nil {
		return // a goroutine started in a package-level initializer
	}
	join := c.firstJoin(parent, spawn.Node().End())
	for _, w := range c.writes(body) {
		if c.perIteration(w.v, loop, body) || len(c.locks.HeldWithin(w.stmt.Pos(), w.stmt.End())) > 0 {
			continue // a per-goroutine copy, or a lock is held
		}
		if syncapi.IsError(w.v.Type()) {
			continue // an error variable: goroutineerr reports it
		}
		var why string
		switch {
		case loop != nil && (w.v.Pos() < loop.Pos() || w.v.Parent() == c.pass.Pkg.Scope()) && !(join.IsValid() && join < loop.End()):
			why = "by goroutines started in a loop"
		default:
			access := c.parentAccess(parent, w, spawn.Node().End(), join)
			if access == nil {
				continue // the enclosing function does not touch it while the goroutine may run
			}
			why = fmt.Sprintf("by a goroutine while %s also accesses it (line %d)", funcName(parent), c.pass.Fset.Position(access.Pos()).Line)
		}
		c.r.Report(analysis.Diagnostic{Pos: w.stmt.Pos(), End: w.stmt.End(), Category: w.kind.category(), Message: w.kind.message(types.ExprString(w.target), why)})
	}
}

func (k kind) category() string {
	switch k {
	case mapWrite:
		return "map"
	case appended:
		return "append"
	case incremented, decremented, updated:
		return "counter"
	}
	return "assign"
}

func (k kind) message(name, why string) string {
	switch k {
	case incremented, decremented, updated:
		verb := map[kind]string{incremented: "incremented", decremented: "decremented", updated: "updated"}[k]
		return fmt.Sprintf("%s is %s %s without synchronization; use a sync/atomic type or hold a mutex", name, verb, why)
	case appended:
		return fmt.Sprintf("%s is appended to %s without synchronization: elements are lost; hold a mutex or collect through a channel", name, why)
	case mapWrite:
		return fmt.Sprintf("concurrent writes to map %s %s crash the program; guard it with a mutex or collect through a channel", name, why)
	}
	return fmt.Sprintf("%s is assigned %s without synchronization; hold a mutex or pass the value on a channel", name, why)
}

// enclosing returns the innermost loop around the spawn within its function, and that function's node
// (a FuncDecl or FuncLit), or nil if the spawn is not inside a function.
func enclosing(spawn inspector.Cursor) (loop, fn ast.Node) {
	for cur := range spawn.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return loop, n
		default:
			if loop == nil && cur.Node() != spawn.Node() {
				loop = n
			}
		}
	}
	return loop, nil
}

func funcName(fn ast.Node) string {
	if d, ok := fn.(*ast.FuncDecl); ok {
		return d.Name.Name
	}
	return "the enclosing function"
}

// writes returns the statements of body (not of literals nested in it) that write a variable declared
// outside body.
func (c *checker) writes(body *ast.FuncLit) []write {
	var out []write
	ast.Inspect(body.Body, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.FuncLit:
			return false // its lock state is its own: not tracked
		case *ast.IncDecStmt:
			k := incremented
			if s.Tok == token.DEC {
				k = decremented
			}
			out = c.add(out, body, s, s.X, k)
		case *ast.AssignStmt:
			if s.Tok == token.DEFINE {
				return true
			}
			for i, lhs := range s.Lhs {
				var rhs ast.Expr
				if len(s.Rhs) == len(s.Lhs) {
					rhs = s.Rhs[i]
				}
				out = c.add(out, body, s, lhs, c.assignKind(s.Tok, lhs, rhs))
			}
		case *ast.ExprStmt:
			if call, ok := s.X.(*ast.CallExpr); ok && c.isBuiltin(call.Fun, "delete") && len(call.Args) == 2 {
				out = c.add(out, body, s, &ast.IndexExpr{X: call.Args[0], Index: call.Args[1]}, mapWrite)
			}
		}
		return true
	})
	return out
}

// assignKind classifies lhs tok rhs.
func (c *checker) assignKind(tok token.Token, lhs, rhs ast.Expr) kind {
	if tok != token.ASSIGN {
		return updated // +=, -=, ...
	}
	switch r := ast.Unparen(rhs).(type) {
	case *ast.CallExpr:
		if c.isBuiltin(r.Fun, "append") && len(r.Args) > 0 && c.sameVar(r.Args[0], lhs) {
			return appended
		}
	case *ast.BinaryExpr:
		if c.sameVar(r.X, lhs) {
			return updated
		}
	}
	return assigned
}

// add appends the write of target by stmt if target is a variable, a field path from one, or a map
// element, declared outside body; slice elements and pointer dereferences are skipped.
func (c *checker) add(out []write, body *ast.FuncLit, stmt ast.Stmt, target ast.Expr, k kind) []write {
	target = ast.Unparen(target)
	if ix, ok := target.(*ast.IndexExpr); ok {
		if _, isMap := c.pass.TypesInfo.TypeOf(ix.X).Underlying().(*types.Map); !isMap {
			return out // a slice or array element: usually the goroutine's own index
		}
		target, k = ast.Unparen(ix.X), mapWrite
	}
	v := c.rootVar(target)
	if v == nil || body.Pos() <= v.Pos() && v.Pos() < body.End() {
		return out // not a variable, or one of the goroutine's own
	}
	return append(out, write{stmt: stmt, v: v, target: target, kind: k})
}

// rootVar returns the variable at the root of x, x.f.g; nil for anything else.
func (c *checker) rootVar(e ast.Expr) *types.Var {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			v, _ := c.pass.TypesInfo.Uses[x].(*types.Var)
			if v == nil || v.IsField() {
				return nil
			}
			return v
		case *ast.SelectorExpr:
			if sel := c.pass.TypesInfo.Selections[x]; sel == nil || sel.Kind() != types.FieldVal {
				return nil
			}
			e = x.X
		default:
			return nil
		}
	}
}

func (c *checker) sameVar(a, b ast.Expr) bool {
	return types.ExprString(ast.Unparen(a)) == types.ExprString(ast.Unparen(b)) && c.rootVar(a) != nil && c.rootVar(a) == c.rootVar(b)
}

func (c *checker) isBuiltin(fun ast.Expr, name string) bool {
	id, ok := ast.Unparen(fun).(*ast.Ident)
	return ok && c.pass.TypesInfo.Uses[id] == types.Universe.Lookup(name)
}

// perIteration reports whether v is a loop variable of a loop around the goroutine, which has a copy per
// iteration since Go 1.22.
func (c *checker) perIteration(v *types.Var, loop ast.Node, body *ast.FuncLit) bool {
	if loop == nil {
		return false
	}
	file := syntax.FileOf(c.pass.Files, body.Pos())
	if file == nil || version.Compare(c.pass.TypesInfo.FileVersions[file], "go1.22") < 0 {
		return false
	}
	var header ast.Node
	switch l := loop.(type) {
	case *ast.RangeStmt:
		if l.Tok != token.DEFINE {
			return false
		}
		return within(v.Pos(), l.Key) || within(v.Pos(), l.Value)
	case *ast.ForStmt:
		header = l.Init
	}
	return header != nil && within(v.Pos(), header)
}

func within(pos token.Pos, n ast.Node) bool {
	return n != nil && n.Pos() <= pos && pos < n.End()
}
