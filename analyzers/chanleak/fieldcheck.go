package chanleak

import (
	"fmt"
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/goroutines"
	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syntax"
)

// catAfterStop is the category of a plain send on a field channel whose receiving loop can have returned.
const catAfterStop = "send-after-stop"

// checkFields reports, for the package's unexported channel fields, receives that nothing in the package
// can complete, and plain sends that can run after the type's receiving loop has returned.
func (c *checker) checkFields(prog *ssa.Program, tests bool) {
	funcs := c.packageFuncs(prog)
	fields := c.fieldChans(funcs)
	if len(fields) == 0 {
		return // no unexported channel field used in the package
	}
	sorted := make([]*fieldChan, 0, len(fields))
	for _, f := range fields {
		if !f.escaped {
			sorted = append(sorted, f)
		}
	}
	slices.SortFunc(sorted, func(a, b *fieldChan) int { return int(a.field.Pos() - b.field.Pos()) })
	skip := func(u *fieldUse) bool {
		return !tests && syntax.IsTestCode(c.pass.Fset, c.pass.Pkg.Path(), c.pass.Pkg.Name(), u.instr.Pos())
	}
	for _, f := range sorted {
		c.checkNobodyFeeds(f, skip)
	}
	cases := make(map[caseKey]*fieldChan) // the select cases that receive from a field
	for _, f := range sorted {
		for _, u := range f.uses {
			if sel, ok := u.instr.(*ssa.Select); ok && u.kind == goroutines.Recv {
				cases[caseKey{sel, u.state}] = f
			}
		}
	}
	done := make(map[*ssa.Select]bool)
	for _, f := range sorted {
		for _, u := range f.uses {
			sel, ok := u.instr.(*ssa.Select)
			if !ok || u.kind != goroutines.Recv || done[sel] {
				continue
			}
			done[sel] = true
			if c.inLoop(sel) {
				c.checkLoopFields(sel.Parent(), sel, cases, skip)
			}
		}
	}
}

// A caseKey is one case of a select.
type caseKey struct {
	sel *ssa.Select
	i   int
}

// checkNobodyFeeds reports the plain receives from f when nothing in the package sends on it or closes it.
func (c *checker) checkNobodyFeeds(f *fieldChan, skip func(*fieldUse) bool) {
	if f.stores == 0 || slices.ContainsFunc(f.uses, func(u *fieldUse) bool { return u.kind == goroutines.Send || u.kind == goroutines.Close }) {
		return // fed somewhere, or never assigned here (it may come from a conversion)
	}
	for _, u := range f.uses {
		if u.kind == goroutines.Send || !u.plain() || skip(u) {
			continue
		}
		name := c.useExprString(u)
		c.reportUse(u, catNobody, nil, "receive from %s blocks forever: nothing in the package sends on %s or closes it", name, name)
	}
}

// checkLoopFields looks at a select in a loop of fn that receives from one field channel (the events) and
// returns on another that is closed somewhere (the stop signal), and reports the plain sends on the events
// field that can run once the loop has returned.
func (c *checker) checkLoopFields(fn *ssa.Function, sel *ssa.Select, cases map[caseKey]*fieldChan, skip func(*fieldUse) bool) {
	find := func(i int) *fieldChan { return cases[caseKey{sel, i}] }
	for j := range sel.States {
		stop := find(j)
		if stop == nil || !slices.ContainsFunc(stop.uses, func(u *fieldUse) bool { return u.kind == goroutines.Close }) {
			continue // not a field channel that is closed to stop the loop
		}
		e := goroutines.CaseEdge(sel, j)
		if e == nil || !c.returnsFrom(fn, e.To, sel) {
			continue // the loop goes on after the stop case
		}
		for i := range sel.States {
			if events := find(i); events != nil && events != stop {
				c.checkSendsAfterStop(fn, sel, j, events, stop, skip)
			}
		}
	}
}

// returnsFrom reports whether a return of fn can be reached from block b without passing sel again.
func (c *checker) returnsFrom(fn *ssa.Function, b *ssa.BasicBlock, sel *ssa.Select) bool {
	returns := make(map[ssa.Instruction]bool)
	for _, blk := range fn.Blocks {
		if ret, ok := blk.Instrs[len(blk.Instrs)-1].(*ssa.Return); ok {
			returns[ret] = true
		}
	}
	cut := newCuts()
	cut.instrs[sel] = true
	if len(b.Instrs) == 0 {
		return false
	}
	return returns[b.Instrs[0]] || reachesAvoiding(fn, b.Instrs[0], returns, cut)
}

// checkSendsAfterStop reports the plain sends on events outside the loop function fn, the functions it
// calls and the functions that start it, when fn's select is the only receiver of events, events is
// unbuffered and never closed.
func (c *checker) checkSendsAfterStop(fn *ssa.Function, sel *ssa.Select, stopCase int, events, stop *fieldChan, skip func(*fieldUse) bool) {
	if events.buffer || events.stores == 0 {
		return // a buffer takes some sends: how many arrive after the loop is not counted
	}
	for _, u := range events.uses {
		if u.kind == goroutines.Close || (u.kind == goroutines.Recv || u.kind == goroutines.Range) && u.instr != sel {
			return // closed, or received elsewhere too (a drain after the loop)
		}
	}
	callees := calleesOf(fn)
	inLoop := func(g *ssa.Function) bool {
		for ; g != nil; g = g.Parent() {
			if g == fn || callees[g] || starts(g, fn) {
				return true
			}
		}
		return false
	}
	clause := c.commClause(sel, stopCase)
	if clause == nil {
		return
	}
	stopExpr := commExpr(clause)
	if stopExpr == nil {
		return
	}
	if c.stoppedByOwner(stop) {
		return // only the owner's Close or Stop stops the loop: sending after it is the caller's misuse
	}
	state := c.stateFields(stop)
	for _, u := range events.uses {
		send, ok := u.instr.(*ssa.Send)
		if !ok || inLoop(send.Parent()) || skip(u) {
			continue // a select (which can give up), or a send while the loop runs
		}
		if state != nil && c.stateGuarded(send.Parent(), send.Pos(), state, 3) {
			continue // sent only while the state set with the close says the loop runs (see stateguard.go)
		}
		if stopsAfterSending(stop, send) {
			continue // the sender closes the stop signal itself, after its last send
		}
		if c.closedAfterSenders(fn, send, events, stop) {
			continue // every close waits for the senders, or follows the last send of its thread (see senders.go)
		}
		stmt, ok := c.node(send.Pos()).(*ast.SendStmt)
		if !ok {
			continue
		}
		here := types.ExprString(stopExpr) // the stop signal as the sender can name it
		fix := c.stopCaseFix(stmt, stop.field)
		if fix != nil {
			here = types.ExprString(ast.Unparen(stmt.Chan).(*ast.SelectorExpr).X) + "." + stop.field.Name()
		}
		c.r.Report(analysis.Diagnostic{
			Pos:      stmt.Pos(),
			End:      stmt.End(),
			Category: catAfterStop,
			Message: fmt.Sprintf("%s blocks forever once %s has returned on %s (%s); select on %s here too",
				types.ExprString(stmt.Chan)+" <- "+types.ExprString(stmt.Value), ssaform.FuncName(fn), types.ExprString(stopExpr),
				c.position(clause.Pos()), here),
			Related:        []analysis.RelatedInformation{{Pos: clause.Pos(), End: clause.Colon, Message: ssaform.FuncName(fn) + " returns on " + types.ExprString(stopExpr) + " here"}},
			SuggestedFixes: fix,
		})
	}
}

// stopsAfterSending reports whether every close of stop is in the function that sends and none of them
// can be followed by the send: that function stops the loop itself once it has sent all it will, so no
// send of its waits on a loop that has returned on stop.
func stopsAfterSending(stop *fieldChan, send *ssa.Send) bool {
	fn := send.Parent()
	target := map[ssa.Instruction]bool{send: true}
	closes := 0
	for _, u := range stop.uses {
		if u.kind != goroutines.Close {
			continue
		}
		if u.instr.Parent() != fn || reachesAvoiding(fn, u.instr, target, newCuts()) {
			return false
		}
		closes++
	}
	return closes > 0
}

// calleesOf returns the functions fn calls directly (or through its function literals).
func calleesOf(fn *ssa.Function) map[*ssa.Function]bool {
	out := make(map[*ssa.Function]bool)
	var visit func(f *ssa.Function)
	visit = func(f *ssa.Function) {
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				if call, ok := instr.(ssa.CallInstruction); ok && call.Common().StaticCallee() != nil {
					out[call.Common().StaticCallee()] = true
				}
			}
		}
		for _, anon := range f.AnonFuncs {
			visit(anon)
		}
	}
	visit(fn)
	return out
}

// starts reports whether g starts fn as a goroutine.
func starts(g, fn *ssa.Function) bool {
	for _, b := range g.Blocks {
		for _, instr := range b.Instrs {
			if gi, ok := instr.(*ssa.Go); ok && gi.Call.StaticCallee() == fn {
				return true
			}
		}
	}
	return false
}

// commClause returns the clause of case i of the select (cases counted without the default).
func (c *checker) commClause(sel *ssa.Select, i int) *ast.CommClause {
	stmt, ok := c.node(sel.Pos()).(*ast.SelectStmt)
	if !ok {
		return nil
	}
	n := 0
	for _, cl := range stmt.Body.List {
		cc := cl.(*ast.CommClause)
		if cc.Comm == nil {
			continue
		}
		if n == i {
			return cc
		}
		n++
	}
	return nil
}

// commExpr returns the channel a receive clause receives from.
func commExpr(cc *ast.CommClause) ast.Expr {
	var x ast.Expr
	switch s := cc.Comm.(type) {
	case *ast.ExprStmt:
		x = s.X
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			x = s.Rhs[0]
		}
	}
	if u, ok := ast.Unparen(x).(*ast.UnaryExpr); ok {
		return u.X
	}
	return nil
}

// useExprString returns the channel expression of a use as written, or the field's name.
func (c *checker) useExprString(u *fieldUse) string {
	switch n := c.node(u.instr.Pos()).(type) {
	case *ast.UnaryExpr:
		return types.ExprString(n.X)
	case *ast.RangeStmt:
		return types.ExprString(n.X)
	case *ast.SendStmt:
		return types.ExprString(n.Chan)
	}
	if sel, ok := u.instr.(*ssa.Select); ok {
		if cc := c.commClause(sel, u.state); cc != nil {
			if x := commExpr(cc); x != nil {
				return types.ExprString(x)
			}
		}
	}
	return "the channel"
}

func (c *checker) reportUse(u *fieldUse, category string, fixes []analysis.SuggestedFix, format string, args ...any) {
	c.report(&goroutines.Op{Instr: u.instr}, category, fixes, format, args...)
}

// stopCaseFix turns the send x.events <- v into a select that also returns on x.stop, when x has the stop
// field too.
func (c *checker) stopCaseFix(stmt *ast.SendStmt, stop *types.Var) []analysis.SuggestedFix {
	sel, ok := ast.Unparen(stmt.Chan).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	t := c.pass.TypesInfo.TypeOf(sel.X)
	if t == nil {
		return nil
	}
	if obj, _, _ := types.LookupFieldOrMethod(t, true, c.pass.Pkg, stop.Name()); obj == nil || obj.(*types.Var).Origin() != stop {
		return nil // x has no field of that name, or another one
	}
	indent := syntax.Indent(c.pass.Fset, stmt.Pos())
	text := "select {\n" + indent + "case " + types.ExprString(stmt.Chan) + " <- " + types.ExprString(stmt.Value) + ":\n" +
		indent + "case <-" + types.ExprString(sel.X) + "." + stop.Name() + ":\n" + indent + "}"
	return []analysis.SuggestedFix{{
		Message:   "Select on " + types.ExprString(sel.X) + "." + stop.Name() + " too",
		TextEdits: []analysis.TextEdit{{Pos: stmt.Pos(), End: stmt.End(), NewText: []byte(text)}},
	}}
}
