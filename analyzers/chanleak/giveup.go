package chanleak

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/goroutines"
	"github.com/conclint/conclint/internal/syncapi"
)

// Give-ups that leave nothing behind, or only once: the receiver's select returns first on a context's
// Done, and either the goroutine sends only if that context was not done when it checked (OPA's Trigger:
// if ctx.Err() == nil { done <- err }), or the receiver is a shutdown (Stop, Shutdown, Close…, or a
// function only they call) that gives up when its deadline passes: the goroutine is left behind once, as
// the process or the component goes away, and its deadline is the caller's choice.

// givesUpHarmlessly reports whether the parent's way out through the select via, past the goroutine's
// send, is one of those.
func (c *checker) givesUpHarmlessly(ch *goroutines.Chan, send *goroutines.Op, via *ssa.Select) bool {
	if via == nil {
		return false
	}
	sel, ok := c.node(via.Pos()).(*ast.SelectStmt)
	if !ok {
		return false
	}
	ctxs := c.doneContexts(sel)
	if len(ctxs) == 0 {
		return false
	}
	return c.sentIfNotDone(send, ctxs) || c.inShutdown(ch.Parent, 2)
}

// doneContexts returns the variables whose Done() a case of sel receives from.
func (c *checker) doneContexts(sel *ast.SelectStmt) map[types.Object]bool {
	out := make(map[types.Object]bool)
	for _, cl := range sel.Body.List {
		cc := cl.(*ast.CommClause)
		if cc.Comm == nil {
			continue
		}
		if x := commExpr(cc); x != nil {
			if obj := c.ctxMethodRecv(x, "Done"); obj != nil {
				out[obj] = true
			}
		}
	}
	return out
}

// ctxMethodRecv returns the variable x of the call x.name() that e is, if x is a context.Context.
func (c *checker) ctxMethodRecv(e ast.Expr, name string) types.Object {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return nil
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return nil
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return nil
	}
	obj := c.pass.TypesInfo.Uses[id]
	if obj == nil || !syncapi.IsNamed(obj.Type(), "context", "Context") {
		return nil
	}
	return obj
}

// sentIfNotDone reports whether the send runs inside if ctx.Err() == nil { ... } for one of the contexts.
func (c *checker) sentIfNotDone(send *goroutines.Op, ctxs map[types.Object]bool) bool {
	cur, ok := c.in.Root().FindByPos(send.Instr.Pos(), send.Instr.Pos())
	if !ok {
		return false
	}
	for ifc := range cur.Enclosing((*ast.IfStmt)(nil)) {
		ifs := ifc.Node().(*ast.IfStmt)
		if !(ifs.Body.Pos() <= send.Instr.Pos() && send.Instr.Pos() < ifs.Body.End()) {
			continue // in the else branch
		}
		if b, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr); ok && b.Op == token.EQL && c.pass.TypesInfo.Types[b.Y].IsNil() {
			if obj := c.ctxMethodRecv(b.X, "Err"); obj != nil && ctxs[obj] {
				return true
			}
		}
	}
	return false
}

// inShutdown reports whether fn is a shutdown: its name starts with Stop, Shutdown or Close (either
// case), or it is an unexported function that only shutdowns call (depth bounds the callers followed).
func (c *checker) inShutdown(fn *ssa.Function, depth int) bool {
	return c.shutdown(fn, depth, anyStop)
}

// A stopAPI says which functions count as a stop.
type stopAPI int

const (
	anyStop   stopAPI = iota // a function named Stop…, Shutdown… or Close… (either case)
	ownerStop                // an exported method so named: the type's own stop API, which its users call
	ownerEnd                 // any exported method: it closes a stop signal made once, which ends the value
)

// shutdown reports whether fn (or the function that declares the literal fn is) is a stop of the kind
// api says, or is an unexported function that only such functions call (depth bounds the callers
// followed).
func (c *checker) shutdown(fn *ssa.Function, depth int, api stopAPI) bool {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	obj, _ := fn.Object().(*types.Func)
	if api != anyStop {
		if obj != nil && obj.Exported() {
			return obj.Signature().Recv() != nil && (api == ownerEnd || isStopName(obj.Name()))
		}
	} else if isStopName(fn.Name()) {
		return true
	}
	if depth == 0 || obj == nil || obj.Exported() {
		return false
	}
	sites := c.form.CallSites(fn)
	for _, call := range sites {
		if !c.shutdown(call.Parent(), depth-1, api) {
			return false
		}
	}
	return len(sites) > 0
}

// stoppedByOwner reports whether every close of the stop channel runs in the type's own stop method: an
// exported method whose name starts with Stop, Shutdown or Close, or an unexported function that only
// such methods call (two levels up). Then the loop ends only when the owner calls it, and a send after
// that call is a use after Close, which the API's contract forbids (Jaeger's ParallelProcessor: Process
// sends to workers that return once Close closes k.closed). When the stop signal is made once, any
// exported method that closes it is such an end (skipper's Swarm.Leave): closing it twice panics, so the
// method ends the value's service for good. A stop closed on the component's own events (a server's EOF,
// a failed dial) is not one: the send can come after it with no misuse by the caller.
func (c *checker) stoppedByOwner(stop *fieldChan) bool {
	api := ownerStop
	if stop.stores == 1 {
		api = ownerEnd
	}
	closes := 0
	for _, u := range stop.uses {
		if u.kind != goroutines.Close {
			continue
		}
		closes++
		if !c.shutdown(u.instr.Parent(), 2, api) {
			return false
		}
	}
	return closes > 0
}

// isStopName reports whether a function's name says it stops something: Stop, Shutdown or Close
// (either case) and any suffix.
func isStopName(name string) bool {
	name = strings.ToLower(name)
	return strings.HasPrefix(name, "stop") || strings.HasPrefix(name, "shutdown") || strings.HasPrefix(name, "close")
}
