// Package loops finds loops that nothing can stop: no return, break or goto leaves them, and they wait on
// nothing but timers. It exports a LoopsForever fact for each function whose body has one, computed at
// AST level so that it is cheap on every dependency. It reports nothing.
package loops

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

// Analyzer computes LoopsForever facts. It reports nothing.
var Analyzer = &analysis.Analyzer{
	Name:       "conclint_loops",
	Doc:        "find functions with loops nothing can stop; reports nothing",
	URL:        "https://github.com/conclint/conclint/blob/main/docs/analyzers/orphangoroutine.md",
	Run:        run,
	ResultType: reflect.TypeFor[*Result](),
	FactTypes:  []analysis.Fact{new(LoopsForever)},
}

// LoopsForever is the fact that a function, once called, may loop forever: its body has a loop that
// nothing can stop. At is the loop's position, "file.go:line".
type LoopsForever struct {
	At string
}

func (*LoopsForever) AFact() {}

func (f *LoopsForever) String() string { return "loopsForever" }

// Result answers whether a function loops forever.
type Result struct {
	pass  *analysis.Pass
	local map[*types.Func]*LoopsForever
}

// LoopsForever returns the fact of fn, or nil.
func (r *Result) LoopsForever(fn *types.Func) *LoopsForever {
	if fn == nil {
		return nil
	}
	fn = fn.Origin()
	if fn.Pkg() == r.pass.Pkg {
		return r.local[fn]
	}
	var f LoopsForever
	if r.pass.ImportObjectFact(fn, &f) {
		return &f
	}
	return nil
}

func run(pass *analysis.Pass) (any, error) {
	res := &Result{pass: pass, local: make(map[*types.Func]*LoopsForever)}
	var api *syntax.API // computed at the first fact: most packages have none
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			d, ok := decl.(*ast.FuncDecl)
			if !ok || d.Body == nil {
				continue
			}
			fn, _ := pass.TypesInfo.Defs[d.Name].(*types.Func)
			if loop := Endless(pass.TypesInfo, d.Body); loop != nil && fn != nil {
				fact := &LoopsForever{At: syntax.ShortPos(pass.Fset, loop.Pos())}
				res.local[fn] = fact
				if api == nil {
					api = syntax.NewAPI(pass.Pkg)
				}
				if api.Callable(fn) {
					pass.ExportObjectFact(fn, fact)
				}
			}
		}
	}
	return res, nil
}

// Endless returns the first loop of body (outside function literals) that nothing can stop: a for loop
// without condition, or a range over a timer channel, that no return, break or goto leaves and that
// receives from no channel other than a timer's. It returns nil if there is none.
func Endless(info *types.Info, body *ast.BlockStmt) ast.Stmt {
	var found ast.Stmt
	ast.Inspect(body, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt:
			if n.Cond == nil && !leaves(n, n.Body) && !waitsOnChannel(info, n.Body) {
				found = n
			}
		case *ast.RangeStmt:
			if isTimerChan(info, n.X) && !leaves(n, n.Body) && !waitsOnChannel(info, n.Body) {
				found = n
			}
		}
		return true
	})
	return found
}

// leaves reports whether body, the body of loop, has a return, a goto, or a break that ends loop.
func leaves(loop ast.Stmt, body *ast.BlockStmt) bool {
	found := false
	var visit func(n ast.Node, depth int) // depth: breakable statements between loop and n
	visit = func(n ast.Node, depth int) {
		ast.Inspect(n, func(m ast.Node) bool {
			if found || m == nil || m == n {
				return !found
			}
			switch m := m.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				found = true
			case *ast.BranchStmt:
				switch {
				case m.Tok == token.GOTO:
					found = true
				case m.Tok == token.BREAK && m.Label != nil:
					found = true // a labeled break: taken to leave the loop
				case m.Tok == token.BREAK && depth == 0:
					found = true
				}
			case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				visit(m, depth+1)
				return false
			}
			return !found
		})
	}
	visit(body, 0)
	return found
}

// waitsOnChannel reports whether body receives from a channel that is not a timer's (a receive, a select
// case, a range), or calls Err or Done of a context: a loop that does may be stopped by whoever sends,
// closes or cancels.
func waitsOnChannel(info *types.Info, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.UnaryExpr:
			if n.Op == token.ARROW && !isTimerChan(info, n.X) {
				found = true
			}
		case *ast.RangeStmt:
			if t := info.TypeOf(n.X); t != nil {
				if _, ok := t.Underlying().(*types.Chan); ok && !isTimerChan(info, n.X) {
					found = true
				}
			}
		case *ast.CallExpr:
			fn, _ := typeutil.Callee(info, n).(*types.Func)
			if syncapi.IsMethod(fn, "context", "Context", "Err") || syncapi.IsMethod(fn, "context", "Context", "Done") {
				found = true
			}
		}
		return !found
	})
	return found
}

// isTimerChan reports whether e is a timer's channel: t.C of a time.Ticker or time.Timer, or the result of
// time.After or time.Tick.
func isTimerChan(info *types.Info, e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		sel := info.Selections[e]
		return sel != nil && sel.Kind() == types.FieldVal && (syncapi.IsNamed(sel.Recv(), "time", "Ticker") || syncapi.IsNamed(sel.Recv(), "time", "Timer"))
	case *ast.CallExpr:
		fn, _ := typeutil.Callee(info, e).(*types.Func)
		return syncapi.IsFunc(fn, "time", "After") || syncapi.IsFunc(fn, "time", "Tick")
	}
	return false
}
