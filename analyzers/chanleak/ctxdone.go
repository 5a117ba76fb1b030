package chanleak

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/goroutines"
	"github.com/conclint/conclint/internal/syncapi"
)

// cancelers are the functions of package context that derive a context someone can cancel.
var cancelers = []string{"WithCancel", "WithCancelCause", "WithTimeout", "WithTimeoutCause", "WithDeadline", "WithDeadlineCause"}

// checkUncancelable reports a goroutine started by a go statement whose every way out is a receive from
// ctx.Done(), where ctx is context.Background() or context.TODO(), perhaps with values added, and nothing
// derives a context someone can cancel from it: Done never fires, and the goroutine never ends.
func (c *checker) checkUncancelable(s *goroutines.Spawn) {
	if !s.IsGo() || s.Body == nil || c.onceForProcess(s.Parent) {
		return // a goroutine started once per process (see onceForProcess) lives as long as the process anyway
	}
	cut := newCuts()
	var done *ssa.Call // one of the Done calls, for the message
	var origin *ctxOrigin
	for _, b := range s.Body.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.UnOp:
				if call := doneCall(instr.X); instr.Op == token.ARROW && call != nil {
					if o := c.traceCtx(s, call.Call.Value); o != nil {
						cut.instrs[instr] = true
						done, origin = call, o
					}
				}
			case *ssa.Select:
				for i, st := range instr.States {
					call := doneCall(st.Chan)
					if st.Dir != types.RecvOnly || call == nil {
						continue
					}
					o := c.traceCtx(s, call.Call.Value)
					if o == nil {
						continue
					}
					if len(instr.States) == 1 && instr.Blocking {
						cut.instrs[instr] = true
					} else if e := goroutines.CaseEdge(instr, i); e != nil {
						cut.edges[*e] = true
					} else {
						continue
					}
					done, origin = call, o
				}
			}
		}
	}
	if done == nil {
		return // no receive from the Done channel of a context nobody cancels
	}
	returns := make(map[ssa.Instruction]bool)
	for _, b := range s.Body.Blocks {
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			returns[ret] = true
		}
	}
	if len(returns) == 0 || reachesAvoiding(s.Body, nil, returns, cut) {
		return // another way out, or none at all
	}
	ctxName := "ctx"
	if call, ok := c.node(done.Pos()).(*ast.CallExpr); ok {
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
			ctxName = types.ExprString(sel.X)
		}
	}
	how := ctxName + " is " + origin.name + ", which is never canceled"
	if origin.values {
		how = ctxName + " derives from " + origin.name + " with values only, so it is never canceled"
	}
	d := analysis.Diagnostic{
		Pos:      s.Pos(),
		Category: catContext,
		Message:  "goroutine never ends: its only way out is <-" + ctxName + ".Done(), and " + how + "; derive " + ctxName + " with context.WithCancel and cancel it when the goroutine should stop",
		Related:  []analysis.RelatedInformation{{Pos: origin.call.Pos(), Message: origin.name + " here"}},
	}
	if g, ok := c.node(s.Pos()).(*ast.GoStmt); ok {
		d.End = g.Call.End()
		if lit, ok := g.Call.Fun.(*ast.FuncLit); ok {
			d.End = lit.Type.End()
		}
	}
	if call, ok := c.node(origin.call.Pos()).(*ast.CallExpr); ok {
		d.Related[0].Pos, d.Related[0].End = call.Pos(), call.End()
	}
	c.r.Report(d)
}

// doneCall returns the call v is, if it is ctx.Done() on a context.Context.
func doneCall(v ssa.Value) *ssa.Call {
	call, ok := v.(*ssa.Call)
	if !ok || !call.Call.IsInvoke() || !syncapi.IsMethod(call.Call.Method, "context", "Context", "Done") {
		return nil
	}
	return call
}

// A ctxOrigin is where a context nobody can cancel comes from.
type ctxOrigin struct {
	call   *ssa.Call // context.Background() or context.TODO()
	name   string    // "context.Background()"
	values bool      // derived from it with context.WithValue
}

// traceCtx follows the context v, used in the body of s, back to context.Background() or
// context.TODO() through context.WithValue, captured variables assigned once and the goroutine's
// arguments. It returns nil when v comes from anywhere else (a parameter of the function that starts
// the goroutine, a field, a call), when a variable that holds it is assigned twice or has its address
// taken, and when a context someone can cancel is derived from any value on the way.
func (c *checker) traceCtx(s *goroutines.Spawn, v ssa.Value) *ctxOrigin {
	o := &ctxOrigin{}
	for range 32 { // a chain longer than this is not followed
		if cancelable(v) {
			return nil
		}
		switch x := v.(type) {
		case *ssa.Call:
			if x.Call.StaticCallee() == nil {
				return nil
			}
			callee, _ := x.Call.StaticCallee().Object().(*types.Func)
			switch {
			case syncapi.IsFunc(callee, "context", "Background"):
				o.call, o.name = x, "context.Background()"
				return o
			case syncapi.IsFunc(callee, "context", "TODO"):
				o.call, o.name = x, "context.TODO()"
				return o
			case syncapi.IsFunc(callee, "context", "WithValue"):
				o.values = true
				v = x.Call.Args[0]
			default:
				return nil
			}
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return nil
			}
			if v = storedOnce(x.X); v == nil {
				return nil
			}
		case *ssa.FreeVar:
			if v = binding(x); v == nil {
				return nil
			}
		case *ssa.Parameter:
			if x.Parent() != s.Body {
				return nil // a parameter of the function that starts the goroutine: the caller may cancel it
			}
			g := s.Instr.(*ssa.Go)
			i := paramIndex(x)
			if i < 0 || i >= len(g.Call.Args) {
				return nil
			}
			v = g.Call.Args[i]
		default:
			return nil
		}
	}
	return nil
}

// cancelable reports whether a context someone can cancel is derived from v.
func cancelable(v ssa.Value) bool {
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, ref := range *refs {
		call, ok := ref.(*ssa.Call)
		if !ok || call.Call.StaticCallee() == nil {
			continue
		}
		callee, _ := call.Call.StaticCallee().Object().(*types.Func)
		for _, name := range cancelers {
			if syncapi.IsFunc(callee, "context", name) {
				return true
			}
		}
	}
	return false
}

// storedOnce returns the one value stored in the variable cell (an Alloc, or a captured FreeVar that
// points to one), or nil if it is assigned more than once anywhere, its address is taken, or a context
// someone can cancel is derived from a value loaded from it.
func storedOnce(cell ssa.Value) ssa.Value {
	for range 8 {
		fv, ok := cell.(*ssa.FreeVar)
		if !ok {
			break
		}
		cell = binding(fv) // a variable captured from further out
	}
	alloc, ok := cell.(*ssa.Alloc)
	if !ok {
		return nil
	}
	var stored ssa.Value
	if !cellUses(alloc, &stored) || stored == nil {
		return nil
	}
	return stored
}

// cellUses checks the uses of a variable cell: loads (from which no cancelable context is derived), at
// most one store in all (recorded in *stored), and captures by function literals whose uses of it are
// checked the same way. It reports false for any other use.
func cellUses(cell ssa.Value, stored *ssa.Value) bool {
	for _, ref := range *cell.Referrers() {
		switch ref := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			if ref.Addr != cell || *stored != nil {
				return false
			}
			*stored = ref.Val
		case *ssa.UnOp:
			if ref.Op != token.MUL || cancelable(ref) {
				return false
			}
		case *ssa.MakeClosure:
			fn := ref.Fn.(*ssa.Function)
			for i, b := range ref.Bindings {
				if b == cell && !cellUses(fn.FreeVars[i], stored) {
					return false
				}
			}
		default:
			return false // the address is taken
		}
	}
	return true
}

// binding returns the value a function literal's free variable is bound to where the literal is made,
// or nil if the literal is not made exactly once.
func binding(fv *ssa.FreeVar) ssa.Value {
	fn := fv.Parent()
	if fn.Parent() == nil {
		return nil
	}
	idx := -1
	for i, f := range fn.FreeVars {
		if f == fv {
			idx = i
		}
	}
	var mc *ssa.MakeClosure
	for _, b := range fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			if m, ok := instr.(*ssa.MakeClosure); ok && m.Fn == fn {
				if mc != nil {
					return nil
				}
				mc = m
			}
		}
	}
	if mc == nil || idx < 0 {
		return nil
	}
	return mc.Bindings[idx]
}

func paramIndex(p *ssa.Parameter) int {
	for i, q := range p.Parent().Params {
		if q == p {
			return i
		}
	}
	return -1
}
