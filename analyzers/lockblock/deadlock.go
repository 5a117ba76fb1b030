package lockblock

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

// A goroutine is a function body that the package runs in a goroutine of its own, with what waiting for
// it means and the locks it takes.
type goroutine struct {
	start token.Pos      // the go keyword, or the Lparen of the Go call
	waits []types.Object // what a waiter waits on: the WaitGroups it calls Done on, the group that started it, the channels it closes or sends on
	locks []acquisition  // the Lock and RLock calls of its body, function literals included
	sets  []types.Object // the variables its body assigns: flags a waiter can test to know how far it got
}

// An acquisition is a Lock-family call in a goroutine's body.
type acquisition struct {
	pos   token.Pos
	class types.Object
	name  string
	read  bool
}

// collectGoroutines finds the goroutines the package starts whose body is in the package: go statements
// and the Go method of sync.WaitGroup and errgroup.Group, on a function literal or a function declared in
// the package.
func collectGoroutines(pass *analysis.Pass, funcs map[*types.Func]*ast.FuncDecl) []goroutine {
	info := pass.TypesInfo
	bodyOf := func(e ast.Expr) *ast.BlockStmt {
		switch e := ast.Unparen(e).(type) {
		case *ast.FuncLit:
			return e.Body
		case *ast.Ident, *ast.SelectorExpr:
			fn, _ := typeutil.Callee(info, &ast.CallExpr{Fun: e}).(*types.Func)
			if fn == nil {
				return nil
			}
			if d := funcs[fn.Origin()]; d != nil {
				return d.Body
			}
		}
		return nil
	}
	var out []goroutine
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GoStmt:
				if body := bodyOf(n.Call.Fun); body != nil {
					out = append(out, newGoroutine(info, n.Go, body, nil))
				}
			case *ast.CallExpr:
				fn := calleeFunc(info, n)
				if (syncapi.IsMethod(fn, "sync", "WaitGroup", "Go") || syncapi.IsMethod(fn, syncapi.ErrgroupPath, "Group", "Go") ||
					syncapi.IsMethod(fn, syncapi.ErrgroupPath, "Group", "TryGo")) && len(n.Args) == 1 {
					if body := bodyOf(n.Args[0]); body != nil {
						out = append(out, newGoroutine(info, n.Lparen, body, recvClass(info, n)))
					}
				}
			}
			return true
		})
	}
	return out
}

// newGoroutine summarises a goroutine's body: what signals its end and which locks it takes.
func newGoroutine(info *types.Info, start token.Pos, body *ast.BlockStmt, group types.Object) goroutine {
	g := goroutine{start: start}
	if group != nil {
		g.waits = append(g.waits, group)
	}
	signal := func(obj types.Object) {
		if obj != nil && !slices.Contains(g.waits, obj) {
			g.waits = append(g.waits, obj)
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			return false // another goroutine
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				if id, ok := ast.Unparen(lhs).(*ast.Ident); ok && info.Uses[id] != nil && !slices.Contains(g.sets, info.Uses[id]) {
					g.sets = append(g.sets, info.Uses[id])
				}
			}
		case *ast.SendStmt:
			signal(objOf(info, n.Chan))
		case *ast.CallExpr:
			if syntax.IsClose(info, n) && len(n.Args) == 1 {
				signal(objOf(info, n.Args[0]))
				return true
			}
			fn := calleeFunc(info, n)
			if syncapi.IsMethod(fn, "sync", "WaitGroup", "Done") {
				signal(recvClass(info, n))
			}
			switch syncapi.LockOpOf(fn) {
			case syncapi.Lock, syncapi.RLock, syncapi.TryLock, syncapi.TryRLock:
				if class := classOf(info, n); class != nil {
					op := syncapi.LockOpOf(fn)
					g.locks = append(g.locks, acquisition{pos: n.Lparen, class: class, name: lockName(n), read: op == syncapi.RLock || op == syncapi.TryRLock})
				}
			}
		}
		return true
	})
	return g
}

// waitedOn returns what a wait waits on: the WaitGroup or errgroup.Group of a Wait call, or the channel of
// a receive; nil for other operations.
func waitedOn(info *types.Info, n ast.Node) types.Object {
	switch n := n.(type) {
	case *ast.CallExpr:
		fn := calleeFunc(info, n)
		if syncapi.IsMethod(fn, "sync", "WaitGroup", "Wait") || syncapi.IsMethod(fn, syncapi.ErrgroupPath, "Group", "Wait") {
			return recvClass(info, n)
		}
	case *ast.UnaryExpr:
		if n.Op == token.ARROW {
			return objOf(info, n.X)
		}
	}
	return nil
}

// deadlock returns a goroutine that the wait n waits for and that takes a lock of the class while the
// waiter holds it, with that acquisition; ok is false when there is none. A read lock held by the waiter
// blocks only the goroutine's write locks.
func deadlock(info *types.Info, gs []goroutine, n ast.Node, class types.Object, read bool) (goroutine, acquisition, bool) {
	on := waitedOn(info, n)
	if on == nil || class == nil {
		return goroutine{}, acquisition{}, false
	}
	for _, g := range gs {
		if !slices.Contains(g.waits, on) {
			continue
		}
		for _, a := range g.locks {
			if a.class == class && !(read && a.read) {
				return g, a, true
			}
		}
	}
	return goroutine{}, acquisition{}, false
}

// flagGuarded reports whether the wait n runs only in the body of an if statement whose condition tests a
// variable that g sets: a flag, set by the goroutine under the lock, that tells the waiter the goroutine has
// already sent or finished (if responded { <-ch }).
func flagGuarded(info *types.Info, file *ast.File, n ast.Node, g goroutine) bool {
	if file == nil {
		return false
	}
	path, _ := astutil.PathEnclosingInterval(file, n.Pos(), n.End())
	for i := 1; i < len(path); i++ {
		switch p := path[i].(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		case *ast.IfStmt:
			if path[i-1] != p.Body {
				continue
			}
			tested := false
			ast.Inspect(p.Cond, func(c ast.Node) bool {
				if id, ok := c.(*ast.Ident); ok && slices.Contains(g.sets, info.Uses[id]) {
					tested = true
				}
				return !tested
			})
			if tested {
				return true
			}
		}
	}
	return false
}
