package wgmisuse

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/syntax"
)

// addCall returns the wg.Add call that statement s is, or false.
func (c *checker) addCall(s ast.Stmt) (wgCall, bool) {
	es, ok := s.(*ast.ExprStmt)
	if !ok {
		return wgCall{}, false
	}
	wc, ok := wgCallOf(c.pass.TypesInfo, es.X)
	return wc, ok && wc.method == "Add" && len(wc.call.Args) == 1
}

// isWait reports whether statement s is a Wait on g.
func (c *checker) isWait(s ast.Stmt, g group) (*ast.CallExpr, bool) {
	es, ok := s.(*ast.ExprStmt)
	if !ok {
		return nil, false
	}
	wc, ok := wgCallOf(c.pass.TypesInfo, es.X)
	return wc.call, ok && wc.group == g && wc.method == "Wait"
}

// startsCounted reports whether s is a go statement whose goroutine marks g done and does nothing else
// with it that the analyzer cannot follow.
func (c *checker) startsCounted(s ast.Stmt, g group) bool {
	gs, ok := s.(*ast.GoStmt)
	if !ok {
		return false
	}
	for _, k := range c.countedBy(gs) {
		if k.outer == g && !c.useOf(k.body, k.inner).unknown {
			return true
		}
	}
	return false
}

// checkCounts reports, in one statement list, a wg.Add(n) with a constant n followed by a different
// number of counted goroutines before wg.Wait, and a wg.Add(len(xs)) followed by a range over xs that
// skips its goroutine with continue or break.
func (c *checker) checkCounts(list []ast.Stmt) {
	for i, s := range list {
		add, ok := c.addCall(s)
		if !ok {
			continue
		}
		if tv := c.pass.TypesInfo.Types[add.call.Args[0]]; tv.Value != nil {
			if n, ok := constant.Int64Val(tv.Value); ok && n > 0 {
				c.checkConstAdd(add, n, list[i+1:])
			}
			continue
		}
		c.checkLenAdd(add, list[i+1:])
	}
}

// startsUnseen reports whether s is a go statement that runs a function value: neither a function
// literal (directly or through a variable assigned one literal) nor a static callee.
func (c *checker) startsUnseen(s ast.Stmt) bool {
	gs, ok := s.(*ast.GoStmt)
	if !ok {
		return false
	}
	if _, ok := c.funcLit(gs.Call.Fun); ok {
		return false
	}
	return typeutil.StaticCallee(c.pass.TypesInfo, gs.Call) == nil
}

// checkConstAdd counts the goroutines started by the statements after wg.Add(n) up to wg.Wait.
func (c *checker) checkConstAdd(add wgCall, n int64, rest []ast.Stmt) {
	var started int64
	for _, s := range rest {
		if wait, ok := c.isWait(s, add.group); ok {
			if started != n {
				c.reportCount(add, n, started, wait)
			}
			return
		}
		switch {
		case c.startsCounted(s, add.group):
			started++
		case c.startsUnseen(s):
			return // a function value whose body the analyzer cannot see may mark the group done
		case mentions(c.pass.TypesInfo, s, add.group):
			return // another Add, a Done, a start in a branch or a loop, or the group passed on: not countable
		case syntax.Has[*ast.SendStmt](s):
			return // work handed to running goroutines, whose Done may be per job (in <- job; wg.Wait())
		}
	}
}

func (c *checker) reportCount(add wgCall, n, started int64, wait *ast.CallExpr) {
	wg := c.name(add.call)
	effect := "blocks forever"
	if started > n {
		effect = "may return early, and the extra Done panics with a negative counter"
	}
	c.r.Report(analysis.Diagnostic{
		Pos: add.call.Pos(), End: add.call.End(),
		Message: fmt.Sprintf("%s counts %d goroutines, but %d that call %s.Done start before %s.Wait (%s): Wait %s",
			types.ExprString(add.call), n, started, wg, wg, c.at(wait.Pos()), effect),
		Related: []analysis.RelatedInformation{{Pos: wait.Pos(), End: wait.Lparen, Message: wg + ".Wait here"}},
	})
}

// checkLenAdd checks wg.Add(len(xs)) followed by a range over xs, then wg.Wait.
func (c *checker) checkLenAdd(add wgCall, rest []ast.Stmt) {
	info := c.pass.TypesInfo
	call, ok := ast.Unparen(add.call.Args[0]).(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return
	}
	if b, ok := info.Uses[identOf(call.Fun)].(*types.Builtin); !ok || b.Name() != "len" {
		return
	}
	xs, ok := refOf(info, call.Args[0])
	if !ok || len(rest) < 2 {
		return
	}
	loop, ok := rest[0].(*ast.RangeStmt)
	if !ok {
		return
	}
	if over, ok := refOf(info, loop.X); !ok || over != xs {
		return
	}
	var wait *ast.CallExpr
	for _, s := range rest[1:] {
		if w, ok := c.isWait(s, add.group); ok {
			wait = w
			break
		}
		if mentions(info, s, add.group) {
			return
		}
	}
	if wait == nil {
		return
	}
	c.checkSkips(loop, loop.Body.List, add, wait)
}

// checkSkips reports the continue and break statements of a loop body that can skip the one counted
// goroutine start of the body, when the group is touched nowhere else in the body.
func (c *checker) checkSkips(loop ast.Stmt, list []ast.Stmt, add wgCall, wait *ast.CallExpr) {
	start := -1
	for i, s := range list {
		if c.startsCounted(s, add.group) {
			if start >= 0 {
				return // two starts per item
			}
			start = i
		} else if mentions(c.pass.TypesInfo, s, add.group) {
			return
		}
	}
	if start < 0 {
		return
	}
	wg := c.name(add.call)
	for _, s := range list[:start] {
		for _, br := range loopExits(s) {
			c.r.Report(analysis.Diagnostic{
				Pos: br.Pos(), End: br.End(),
				Message: fmt.Sprintf("%s skips the goroutine that %s (%s) counted for this iteration: %s.Wait (%s) blocks forever; call %s.Add(1) next to the go statement",
					br.Tok, types.ExprString(add.call), c.at(add.call.Pos()), wg, c.at(wait.Pos()), wg),
				Related: []analysis.RelatedInformation{
					{Pos: add.call.Pos(), End: add.call.End(), Message: "counted here"},
					{Pos: list[start].Pos(), End: list[start].Pos() + 2, Message: "goroutine started here"},
				},
			})
		}
	}
}

// loopExits returns the unlabeled continue and break statements in s that leave the current iteration of
// the enclosing loop (not those of a nested loop, switch or select).
func loopExits(s ast.Stmt) []*ast.BranchStmt {
	var out []*ast.BranchStmt
	ast.Inspect(s, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.ForStmt, *ast.RangeStmt:
			return false
		case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			// a break inside targets the switch; a continue still targets the loop
			ast.Inspect(n, func(m ast.Node) bool {
				switch m := m.(type) {
				case *ast.FuncLit, *ast.ForStmt, *ast.RangeStmt:
					return false
				case *ast.BranchStmt:
					if m.Tok == token.CONTINUE && m.Label == nil {
						out = append(out, m)
					}
				}
				return true
			})
			return false
		case *ast.BranchStmt:
			if (n.Tok == token.CONTINUE || n.Tok == token.BREAK) && n.Label == nil {
				out = append(out, n)
			}
		}
		return true
	})
	return out
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

// checkLoop reports, in a loop body, an Add(1) whose goroutine a continue or break can skip, and a Wait
// after the body's only goroutine start, which makes each iteration wait for its own goroutine.
func (c *checker) checkLoop(loop ast.Stmt, body *ast.BlockStmt) {
	list := body.List
	for i, s := range list {
		add, ok := c.addCall(s)
		if !ok {
			continue
		}
		if tv := c.pass.TypesInfo.Types[add.call.Args[0]]; tv.Value == nil || tv.Value.String() != "1" {
			continue
		}
		for _, t := range list[i+1:] {
			if w, ok := c.isWait(t, add.group); ok {
				c.reportWaitInLoop(list, add.group, w)
				break
			}
		}
		if wait := c.waitAfter(loop, add.group); wait != nil {
			c.checkSkips(loop, list[i+1:], add, wait)
		}
	}
}

// waitAfter returns the Wait on g in the statements that follow loop in its block, or nil.
func (c *checker) waitAfter(loop ast.Stmt, g group) *ast.CallExpr {
	var found *ast.CallExpr
	for _, f := range c.pass.Files {
		if f.Pos() > loop.Pos() || loop.End() > f.End() {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if found != nil {
				return false
			}
			b, ok := n.(*ast.BlockStmt)
			if !ok {
				return true
			}
			for i, s := range b.List {
				if s == loop || (isLabeled(s, loop)) {
					for _, t := range b.List[i+1:] {
						if w, ok := c.isWait(t, g); ok {
							found = w
							return false
						}
						if mentions(c.pass.TypesInfo, t, g) {
							return false
						}
					}
				}
			}
			return true
		})
	}
	return found
}

func isLabeled(s, loop ast.Stmt) bool {
	l, ok := s.(*ast.LabeledStmt)
	return ok && l.Stmt == loop
}

// worksAlongside reports whether the statements of list do work between from and to, outside function
// literals: a call other than a WaitGroup's, or a channel operation. The iteration then runs its goroutine
// alongside work of its own (minio's scanner feeds the goroutine that forwards its updates), and waiting
// for it at the end of the iteration is the join, not a loss of concurrency.
func (c *checker) worksAlongside(list []ast.Stmt, from, to token.Pos) bool {
	found := false
	for _, s := range list {
		ast.Inspect(s, func(n ast.Node) bool {
			if found || n == nil || n.End() <= from || n.Pos() >= to {
				return false
			}
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.CallExpr:
				if _, isGroup := wgCallOf(c.pass.TypesInfo, n); !isGroup && n.Pos() >= from {
					if _, builtin := c.pass.TypesInfo.Uses[identOf(n.Fun)].(*types.Builtin); !builtin {
						found = !c.pass.TypesInfo.Types[n.Fun].IsType() // not a conversion
					}
				}
			case *ast.SendStmt:
				found = n.Pos() >= from
			case *ast.UnaryExpr:
				found = n.Op == token.ARROW && n.Pos() >= from
			}
			return !found
		})
	}
	return found
}

// reportWaitInLoop reports a Wait in a loop body after the body's only goroutine start on g.
func (c *checker) reportWaitInLoop(list []ast.Stmt, g group, wait *ast.CallExpr) {
	starts := 0
	var start ast.Node
	for _, s := range list {
		ast.Inspect(s, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.GoStmt:
				starts++
				start = n
			}
			return true
		})
	}
	if starts != 1 || !c.startsCounted(start.(ast.Stmt), g) || start.Pos() > wait.Pos() ||
		c.worksAlongside(list, start.End(), wait.Pos()) {
		return
	}
	wg := c.name(wait)
	c.r.Report(analysis.Diagnostic{
		Pos: wait.Pos(), End: wait.Lparen,
		Message: fmt.Sprintf("%s.Wait inside the loop that starts the goroutine it waits for (%s): each iteration waits for its own goroutine, so they run one at a time; call %s.Wait after the loop",
			wg, c.at(start.Pos()), wg),
		Related: []analysis.RelatedInformation{{Pos: start.Pos(), End: start.Pos() + 2, Message: "goroutine started here"}},
	})
}
