package blocking

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/assigns"
	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

// Timer drains: the receive of an armed timer's drain, as in fasthttp's pipeDeadline.set:
//
//	if d.armed {
//		d.armed = false
//		if !d.timer.Stop() {
//			<-d.cancel // the timer fired: its function closes d.cancel
//		}
//	}
//	...
//	cancel := d.cancel
//	d.timer = time.AfterFunc(dur, func() { close(cancel) }) // or d.timer.Reset(dur)
//	d.armed = true
//
// Stop returns false when the timer fired, or when it was stopped before. The flag rules out the second:
// it is set only just after the timer is started, and cleared before each Stop. So the timer fired, and
// its function, which only closes the channel, has run or is about to: the receive waits at most for
// that close, never for a lock. The channel is the one the timer closes because the field is assigned a
// new channel only while it is nil, and nil only together with the timer. The rule holds for the
// package's unexported fields (other packages cannot write them); what it does not prove stays blocking.
// It assumes the struct is not copied while armed (a copy would share the timer, not the flag): copies
// of a whole struct are not writes of its fields (see assigns).

// timerDrains returns the receives <-x.c that are the first statement of if !x.t.Stop() { ... } inside
// if x.a { x.a = false; ... }, where the package's unexported fields t (a *time.Timer), c (a channel) and
// a (a bool) of the same x keep the protocol above:
//   - every value assigned to t is nil or time.AfterFunc(d, func() { close(v) }), where v is y.c of the
//     y whose t is assigned, or a variable assigned y.c by the statement just before;
//   - every use of t is an assignment, a comparison, a Reset, or the Stop of such a drain;
//   - a is assigned false, or true just after a statement that starts y.t for the same y on every path
//     (an AfterFunc assigned to y.t, y.t.Reset, or an if whose branches all do), with no Stop in between;
//   - c is assigned nil only by a statement that also assigns nil to y.t, and anything else only in the
//     body of if y.c == nil.
func timerDrains(pass *analysis.Pass, as *assigns.Result) map[*ast.UnaryExpr]bool {
	info := pass.TypesInfo
	type drain struct {
		recv   *ast.UnaryExpr
		stop   *ast.CallExpr
		t, c   *types.Var
		parent *ast.IfStmt // if x.a { x.a = false; if !x.t.Stop() { <-x.c } }
	}
	var drains []drain
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if ifs, ok := n.(*ast.IfStmt); ok {
				if stop, t := negatedStop(info, ifs.Cond); stop != nil && ifs.Init == nil && len(ifs.Body.List) > 0 {
					if es, ok := ifs.Body.List[0].(*ast.ExprStmt); ok {
						if u, ok := ast.Unparen(es.X).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
							if c, ok := ownField(pass, info, u.X); ok && sameBase(info, as, u.X, t) {
								drains = append(drains, drain{recv: u, stop: stop, t: fieldVar(info, t), c: c})
							}
						}
					}
				}
			}
			return true
		})
	}
	if len(drains) == 0 {
		return nil // the common case: no timer drain, no parent map
	}
	parents := parentsOf(pass.Files)
	out := make(map[*ast.UnaryExpr]bool)
	for _, d := range drains {
		if _, ok := ownField(pass, info, timerOf(d.stop)); !ok {
			continue
		}
		a, ok := armedGuard(pass, info, as, parents, d.stop)
		if !ok {
			continue
		}
		p := protocol{pass: pass, info: info, as: as, parents: parents, t: d.t, c: d.c, a: a}
		if p.timerUses() && p.timerValues() && p.armedValues() && p.chanValues() {
			out[d.recv] = true
		}
	}
	return out
}

// protocol checks the writes and uses of the fields t (timer), c (channel) and a (armed flag).
type protocol struct {
	pass    *analysis.Pass
	info    *types.Info
	as      *assigns.Result
	parents map[ast.Node]ast.Node
	t, c, a *types.Var
}

// negatedStop returns the call x.t.Stop() of cond !x.t.Stop(), with t a field of type *time.Timer, and x.t.
func negatedStop(info *types.Info, cond ast.Expr) (*ast.CallExpr, ast.Expr) {
	u, ok := ast.Unparen(cond).(*ast.UnaryExpr)
	if !ok || u.Op != token.NOT {
		return nil, nil
	}
	call, ok := ast.Unparen(u.X).(*ast.CallExpr)
	if !ok || !isTimerMethod(info, call, "Stop") {
		return nil, nil
	}
	x := timerOf(call)
	if fieldVar(info, x) == nil {
		return nil, nil
	}
	return call, x
}

// isTimerMethod reports whether call is x.name(...) for the method name of time.Timer, written as a
// selector (not in parentheses), so that timerOf(call) is x.
func isTimerMethod(info *types.Info, call *ast.CallExpr, name string) bool {
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if !syncapi.IsMethod(fn, "time", "Timer", name) {
		return false
	}
	_, ok := call.Fun.(*ast.SelectorExpr)
	return ok
}

// timerOf returns x of a call x.m(...) for which isTimerMethod holds.
func timerOf(call *ast.CallExpr) ast.Expr { return call.Fun.(*ast.SelectorExpr).X }

// fieldVar returns the field f of e, a selector x.f of a field of a variable x (not promoted), or nil.
func fieldVar(info *types.Info, e ast.Expr) *types.Var {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	if _, ok := ast.Unparen(sel.X).(*ast.Ident); !ok {
		return nil
	}
	s := info.Selections[sel]
	if s == nil || s.Kind() != types.FieldVal || len(s.Index()) != 1 {
		return nil
	}
	return s.Obj().(*types.Var).Origin()
}

// ownField returns the field of e, a selector x.f, when the package declares f and other packages
// cannot write it (unexported).
func ownField(pass *analysis.Pass, info *types.Info, e ast.Expr) (*types.Var, bool) {
	f := fieldVar(info, e)
	if f == nil || f.Exported() || f.Pkg() != pass.Pkg {
		return nil, false
	}
	return f, true
}

// sameBase reports whether the selectors a and b are fields of the same variable, one the package never
// assigns after its declaration (a receiver or parameter, a variable defined once), so that they are
// fields of the same value wherever they are in its scope.
func sameBase(info *types.Info, as *assigns.Result, a, b ast.Expr) bool {
	x, ok1 := ast.Unparen(a).(*ast.SelectorExpr)
	y, ok2 := ast.Unparen(b).(*ast.SelectorExpr)
	if !ok1 || !ok2 || !sameVar(info, x.X, y.X) {
		return false
	}
	v := assigns.VarOf(info, x.X)
	return v != nil && len(as.Sites(v)) <= 1
}

// parentsOf maps each node of files to its parent.
func parentsOf(files []*ast.File) map[ast.Node]ast.Node {
	parents := make(map[ast.Node]ast.Node)
	for _, f := range files {
		addParents(f, parents)
	}
	return parents
}

// addParents maps each node under root to its parent, in parents.
func addParents(root ast.Node, parents map[ast.Node]ast.Node) {
	var stack []ast.Node
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if len(stack) > 0 {
			parents[n] = stack[len(stack)-1]
		}
		stack = append(stack, n)
		return true
	})
}

// armedGuard returns the flag a of if x.a { ...; x.a = false; ...; if !x.t.Stop() ... }, the statement
// around the drain whose condition is stop, when a is an unexported bool field of the package and the
// assignment x.a = false comes before the drain.
func armedGuard(pass *analysis.Pass, info *types.Info, as *assigns.Result, parents map[ast.Node]ast.Node, stop *ast.CallExpr) (*types.Var, bool) {
	inner, _ := parents[parents[stop]].(*ast.IfStmt) // stop's parent is the ! expression
	block, _ := parents[inner].(*ast.BlockStmt)
	outer, _ := parents[block].(*ast.IfStmt)
	if inner == nil || block == nil || outer == nil || outer.Body != block || outer.Init != nil {
		return nil, false
	}
	timer := timerOf(stop)
	a, ok := ownField(pass, info, outer.Cond)
	if !ok || !types.Identical(a.Type(), types.Typ[types.Bool]) || !sameBase(info, as, outer.Cond, timer) {
		return nil, false
	}
	for _, stmt := range block.List {
		if stmt == inner {
			return nil, false // no x.a = false before the drain
		}
		if lhs, v := assignedValue(stmt); lhs != nil && fieldVar(info, lhs) == a && sameBase(info, as, lhs, timer) && isBool(info, v, false) {
			return a, true
		}
	}
	return nil, false
}

// assignedValue returns lhs and rhs of a statement lhs = rhs with one of each, or nils.
func assignedValue(stmt ast.Stmt) (lhs, rhs ast.Expr) {
	as, ok := stmt.(*ast.AssignStmt)
	if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 || as.Tok != token.ASSIGN && as.Tok != token.DEFINE {
		return nil, nil
	}
	return as.Lhs[0], as.Rhs[0]
}

func isBool(info *types.Info, e ast.Expr, want bool) bool {
	tv := info.Types[e]
	return tv.Value != nil && tv.Value.Kind() == constant.Bool && constant.BoolVal(tv.Value) == want
}

// timerUses reports whether every use of t is written (checked by timerValues), compared, reset, or
// stopped as the condition of a drain inside its armed flag's if.
func (p *protocol) timerUses() bool {
	for id, obj := range p.info.Uses {
		if v, ok := obj.(*types.Var); !ok || v.Origin() != p.t {
			continue
		}
		sel, _ := p.parents[id].(*ast.SelectorExpr)
		if sel == nil {
			return false // a key of a composite literal: checked as a write
		}
		switch parent := p.parents[sel].(type) {
		case *ast.AssignStmt:
			if slices.Contains(parent.Lhs, ast.Expr(sel)) {
				continue // a write, checked by timerValues
			}
		case *ast.BinaryExpr:
			if parent.Op == token.EQL || parent.Op == token.NEQ {
				continue
			}
		case *ast.SelectorExpr:
			call, _ := p.parents[parent].(*ast.CallExpr)
			switch {
			case call == nil || call.Fun != parent:
			case isTimerMethod(p.info, call, "Reset"):
				continue
			case isTimerMethod(p.info, call, "Stop"):
				if a, ok := armedGuard(p.pass, p.info, p.as, p.parents, call); ok && a == p.a && p.isDrainCond(call) {
					continue
				}
			}
		}
		return false
	}
	return true
}

// isDrainCond reports whether stop is the call of the condition !stop of an if statement.
func (p *protocol) isDrainCond(stop *ast.CallExpr) bool {
	not, ok := p.parents[stop].(*ast.UnaryExpr)
	if !ok || not.Op != token.NOT {
		return false
	}
	ifs, ok := p.parents[not].(*ast.IfStmt)
	return ok && ifs.Cond == not
}

// timerValues reports whether every value assigned to t is nil or a timer of time.AfterFunc whose
// function only closes the c of the same variable (see timerDrains).
func (p *protocol) timerValues() bool {
	for _, s := range p.as.Sites(p.t) {
		if s.Value == nil {
			return false
		}
		if p.info.Types[s.Value].IsNil() {
			continue
		}
		if !p.closesOwnChan(s) {
			return false
		}
	}
	return true
}

// closesOwnChan reports whether s is y.t = time.AfterFunc(d, func() { close(v) }) with v y.c, or a
// local variable assigned y.c (and nothing else) by the statement just before.
func (p *protocol) closesOwnChan(s assigns.Site) bool {
	call, ok := ast.Unparen(s.Value).(*ast.CallExpr)
	if !ok || len(call.Args) != 2 {
		return false
	}
	if fn, _ := typeutil.Callee(p.info, call).(*types.Func); !syncapi.IsFunc(fn, "time", "AfterFunc") {
		return false
	}
	lit, ok := ast.Unparen(call.Args[1]).(*ast.FuncLit)
	if !ok || len(lit.Body.List) != 1 {
		return false
	}
	es, ok := lit.Body.List[0].(*ast.ExprStmt)
	if !ok {
		return false
	}
	cl, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok || len(cl.Args) != 1 || !syntax.IsClose(p.info, cl) {
		return false
	}
	stmt, list, i := p.stmtOf(s.At)
	if stmt == nil || fieldVar(p.info, s.At) != p.t {
		return false
	}
	v := cl.Args[0]
	if fieldVar(p.info, v) == p.c {
		return sameBase(p.info, p.as, v, s.At) // read when the timer fires
	}
	id, ok := ast.Unparen(v).(*ast.Ident)
	if !ok || i == 0 {
		return false
	}
	local, _ := p.info.Uses[id].(*types.Var)
	if local == nil {
		return false
	}
	sites := p.as.Sites(local)
	if len(sites) != 1 || sites[0].Value == nil || fieldVar(p.info, sites[0].Value) != p.c || !sameBase(p.info, p.as, sites[0].Value, s.At) {
		return false
	}
	prev, _, _ := p.stmtOf(sites[0].At)
	return prev == list[i-1] // copied just before the timer is made
}

// stmtOf returns the assignment statement whose left side is at, the list of the block statement holding
// it, and its index there; a nil statement if at is not the left side of an assignment in a block (see
// stmtIn, which also takes case and select clauses).
func (p *protocol) stmtOf(at ast.Expr) (*ast.AssignStmt, []ast.Stmt, int) {
	as, list, i := stmtIn(p.parents, at)
	if _, ok := p.parents[as].(*ast.BlockStmt); as == nil || !ok {
		return nil, nil, 0
	}
	return as, list, i
}

// armedValues reports whether a is assigned only false, or true just after a statement that starts the
// timer of the same variable on every path, with no Stop of t in between.
func (p *protocol) armedValues() bool {
	for _, s := range p.as.Sites(p.a) {
		if s.Value == nil {
			return false
		}
		if isBool(p.info, s.Value, false) {
			continue
		}
		if !isBool(p.info, s.Value, true) {
			return false
		}
		stmt, list, i := p.stmtOf(s.At)
		if stmt == nil || len(stmt.Lhs) != 1 {
			return false
		}
		armed := false
		for j := i - 1; j >= 0 && !armed; j-- {
			if p.stops(list[j]) {
				return false
			}
			armed = p.arms(list[j], s.At)
		}
		if !armed {
			return false
		}
	}
	return true
}

// stops reports whether n contains a call of Stop on field t.
func (p *protocol) stops(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && isTimerMethod(p.info, call, "Stop") && fieldVar(p.info, timerOf(call)) == p.t {
			found = true
		}
		return !found
	})
	return found
}

// arms reports whether stmt starts the timer t of the variable of at (a selector y.a) on every path:
// y.t = time.AfterFunc(...), y.t.Reset(...), a block with such a statement and no Stop after it, or an
// if with an else whose branches both do.
func (p *protocol) arms(stmt ast.Stmt, at ast.Expr) bool {
	switch stmt := stmt.(type) {
	case *ast.AssignStmt:
		for i, lhs := range stmt.Lhs {
			if fieldVar(p.info, lhs) == p.t && sameBase(p.info, p.as, lhs, at) && len(stmt.Rhs) == len(stmt.Lhs) {
				if call, ok := ast.Unparen(stmt.Rhs[i]).(*ast.CallExpr); ok {
					fn, _ := typeutil.Callee(p.info, call).(*types.Func)
					return syncapi.IsFunc(fn, "time", "AfterFunc")
				}
			}
		}
	case *ast.ExprStmt:
		call, ok := ast.Unparen(stmt.X).(*ast.CallExpr)
		return ok && isTimerMethod(p.info, call, "Reset") && fieldVar(p.info, timerOf(call)) == p.t &&
			sameBase(p.info, p.as, timerOf(call), at)
	case *ast.BlockStmt:
		for j := len(stmt.List) - 1; j >= 0; j-- {
			if p.stops(stmt.List[j]) {
				return false
			}
			if p.arms(stmt.List[j], at) {
				return true
			}
		}
	case *ast.IfStmt:
		return stmt.Else != nil && !p.stops(stmt.Cond) && p.arms(stmt.Body, at) && p.arms(stmt.Else, at)
	}
	return false
}

// chanValues reports whether c is assigned nil only together with nil to t of the same variable, and
// anything else only in the body of if y.c == nil.
func (p *protocol) chanValues() bool {
	for _, s := range p.as.Sites(p.c) {
		if s.Value == nil {
			return false
		}
		stmt, _, _ := p.stmtOf(s.At)
		if stmt == nil {
			return false
		}
		if p.info.Types[s.Value].IsNil() {
			if !p.nilsTimer(stmt, s.At) {
				return false
			}
			continue
		}
		block, _ := p.parents[stmt].(*ast.BlockStmt)
		ifs, _ := p.parents[block].(*ast.IfStmt)
		if ifs == nil || ifs.Body != block || !p.isNilCheck(ifs.Cond, s.At) {
			return false
		}
	}
	return true
}

// nilsTimer reports whether stmt also assigns nil to t of the variable of at.
func (p *protocol) nilsTimer(stmt *ast.AssignStmt, at ast.Expr) bool {
	if len(stmt.Lhs) != len(stmt.Rhs) {
		return false
	}
	for i, lhs := range stmt.Lhs {
		if fieldVar(p.info, lhs) == p.t && sameBase(p.info, p.as, lhs, at) && p.info.Types[stmt.Rhs[i]].IsNil() {
			return true
		}
	}
	return false
}

// isNilCheck reports whether cond is y.c == nil for the y.c written at.
func (p *protocol) isNilCheck(cond, at ast.Expr) bool {
	bin, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || bin.Op != token.EQL {
		return false
	}
	x, y := bin.X, bin.Y
	if p.info.Types[x].IsNil() {
		x, y = y, x
	}
	return p.info.Types[y].IsNil() && fieldVar(p.info, x) == p.c && sameBase(p.info, p.as, x, at)
}
