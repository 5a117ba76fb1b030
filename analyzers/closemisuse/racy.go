package closemisuse

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/goroutines"
	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syncapi"
)

// The select { case <-ch: default: close(ch) } idiom closes ch only if it is still open, but two
// goroutines that run it at once can both find ch open, and the second close panics. These checks report
// it when goroutines started in a loop run it on one channel with nothing to serialize them.

const idiomText = "select { case <-%s: default: close(%s) }"

// checkRacyIdiom reports the idiom on a local channel in the body of goroutines started in a loop, when
// the channel is made before the loop (each goroutine closes the same one) and the body takes no lock,
// no sync.Once and no atomic that could serialize the closes.
func (c *checker) checkRacyIdiom(ch *goroutines.Chan, closes []*goroutines.Op) {
	for _, cl := range closes {
		s := cl.Spawn
		if s == nil || !s.InLoop || s.Body == nil || cl.Instr.Parent() != s.Body || cl.Deferred {
			continue // not closed by the body of goroutines started in a loop
		}
		if s.Parent != ch.Parent || !reaches(s.Instr, s.Instr, ch.Make) {
			continue // the loop makes a new channel for each goroutine
		}
		sel := guardSelect(cl.Instr, func(sel *ssa.Select) bool {
			for _, op := range ch.Ops {
				if op.Kind == goroutines.Recv && op.Instr == ssa.Instruction(sel) {
					return true
				}
			}
			return false
		})
		if sel == nil || serializes(s.Body, 0) {
			continue // no idiom before the close, or a lock, a sync.Once or an atomic may serialize it
		}
		if waitsInLoop(s.Parent, ssaform.LoopBlocks(s.Parent)) {
			continue // the loop may wait for each goroutine before it starts the next
		}
		name := c.closedName(cl)
		c.r.Report(analysis.Diagnostic{
			Pos: c.start(cl.Instr), End: c.closeEnd(cl), Category: catDouble,
			Message: fmt.Sprintf("goroutines started in a loop run "+idiomText+" at once: two can both find %s open, and the second close panics (closing a closed channel); close it with a sync.Once",
				name, name, name),
			Related: []analysis.RelatedInformation{
				{Pos: c.start(s.Instr), Message: "goroutines started here, in a loop"},
				{Pos: sel.Pos(), Message: "the select that finds " + name + " open"},
			},
		})
		return
	}
}

// guardSelect returns the non-blocking select that receives from the closed channel in the function of
// close, from which the close can be reached: select { case <-ch: default: close(ch) }. recvs reports
// whether a select receives from the channel.
func guardSelect(close ssa.Instruction, recvs func(sel *ssa.Select) bool) *ssa.Select {
	for _, b := range close.Parent().Blocks {
		for _, instr := range b.Instrs {
			sel, ok := instr.(*ssa.Select)
			if !ok || sel.Blocking || !recvs(sel) {
				continue
			}
			if reachesIf(sel, close, func(ssa.Instruction) bool { return false }) {
				return sel
			}
		}
	}
	return nil
}

// serializes reports whether fn, or a function of the package it calls (depth 3), uses package sync
// other than a WaitGroup (a mutex, a sync.Once), or sync/atomic, or calls a function value: any of these
// may keep two runs of the idiom apart.
func serializes(fn *ssa.Function, depth int) bool {
	return callsAny(fn, depth, true, func(obj *types.Func) bool {
		switch obj.Pkg().Path() {
		case "sync/atomic":
			return true
		case "sync":
			return !syncapi.IsNamed(recvType(obj), "sync", "WaitGroup")
		}
		return false
	})
}

// callsAny reports whether fn calls a function for which match is true, or a function value, directly or
// through the functions it calls (those of its package only, if samePkg), down to depth 3: deeper, it
// does not know, and reports true. Calls of interface methods and builtins are not followed.
func callsAny(fn *ssa.Function, depth int, samePkg bool, match func(*types.Func) bool) bool {
	if depth > 3 {
		return true
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			call := ci.Common()
			if call.IsInvoke() {
				continue
			}
			if _, ok := call.Value.(*ssa.Builtin); ok {
				continue
			}
			callee := call.StaticCallee()
			if callee == nil {
				return true // a function value
			}
			if obj, _ := callee.Object().(*types.Func); obj != nil && obj.Pkg() != nil && match(obj) {
				return true
			}
			if (!samePkg || callee.Pkg == fn.Pkg) && len(callee.Blocks) > 0 && callsAny(callee, depth+1, samePkg, match) {
				return true
			}
		}
	}
	return false
}

// recvType returns the receiver type of a method, or nil.
func recvType(fn *types.Func) types.Type {
	if recv := fn.Signature().Recv(); recv != nil {
		return recv.Type()
	}
	return nil
}

// An idiomMethod is a method that runs the idiom on a field of its receiver.
type idiomMethod struct {
	fn    *ssa.Function
	close ssa.Instruction
	sel   *ssa.Select
	field *types.Var
	via   *ssa.Function // a method that runs the idiom by calling fn on its receiver, or nil
}

// checkRacyIdiomMethods reports a method that runs the idiom on its receiver's field with nothing to
// serialize it, when goroutines started in a loop call it on one value: a value that the loop does not
// make anew, captured by the goroutine body, or the receiver of go x.m() in the loop.
func (c *checker) checkRacyIdiomMethods(funcs []*ssa.Function) {
	methods := make(map[*ssa.Function]idiomMethod)
	for _, fn := range funcs {
		if fn.Signature.Recv() == nil || fn.Parent() != nil || len(fn.Params) == 0 || serializes(fn, 0) {
			continue
		}
		for _, fc := range directFieldCloses(fn) {
			if fc.base != fn.Params[0] || fc.deferred {
				continue
			}
			sel := guardSelect(fc.instr, func(sel *ssa.Select) bool { return selectsField(sel, fc.base, fc.field) })
			if sel != nil {
				methods[fn] = idiomMethod{fn: fn, close: fc.instr, sel: sel, field: fc.field}
				break
			}
		}
	}
	if len(methods) == 0 {
		return
	}
	for range 2 { // a method that calls one of them on its own receiver runs the idiom too
		for _, fn := range funcs {
			if _, ok := methods[fn]; ok || fn.Signature.Recv() == nil || fn.Parent() != nil || len(fn.Params) == 0 || serializes(fn, 0) {
				continue
			}
			if m, ok := callsOnRecv(fn, methods); ok {
				m.via = fn
				methods[fn] = m
			}
		}
	}
	reported := make(map[*ssa.Function]bool)
	for _, fn := range funcs {
		if c.isTest(fn.Pos()) {
			continue
		}
		loops := ssaform.LoopBlocks(fn)
		if waitsInLoop(fn, loops) {
			continue // the loop may wait for each goroutine before it starts the next
		}
		for _, b := range fn.Blocks {
			if !loops[b] {
				continue
			}
			for _, instr := range b.Instrs {
				g, ok := instr.(*ssa.Go)
				if !ok {
					continue
				}
				if m, ok := c.sharedIdiomCall(g, loops, methods); ok && !reported[m.fn] && !c.isTest(m.close.Pos()) {
					reported[m.fn] = true
					c.reportIdiomMethod(m, g)
				}
			}
		}
	}
}

// callsOnRecv returns the idiom method that fn calls on its own receiver, or ok false.
func callsOnRecv(fn *ssa.Function, methods map[*ssa.Function]idiomMethod) (idiomMethod, bool) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, _ := callOf(instr)
			if call == nil || len(call.Args) == 0 || call.Args[0] != fn.Params[0] {
				continue
			}
			if m, ok := methods[call.StaticCallee()]; ok {
				return m, true
			}
		}
	}
	return idiomMethod{}, false
}

// sharedIdiomCall returns the idiom method that the goroutine g starts calls on a value shared by every
// iteration of the loop around g: go x.m(), or go func() { ...; x.m() }() with x captured.
func (c *checker) sharedIdiomCall(g *ssa.Go, loops map[*ssa.BasicBlock]bool, methods map[*ssa.Function]idiomMethod) (idiomMethod, bool) {
	call := &g.Call
	if m, ok := methods[call.StaticCallee()]; ok && len(call.Args) > 0 {
		return m, outsideLoop(call.Args[0], loops)
	}
	mc, ok := call.Value.(*ssa.MakeClosure)
	if !ok {
		return idiomMethod{}, false
	}
	body := mc.Fn.(*ssa.Function)
	if serializes(body, 0) {
		return idiomMethod{}, false // the body may lock around the call
	}
	for _, b := range body.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			m, ok := methods[ci.Call.StaticCallee()]
			if !ok || len(ci.Call.Args) == 0 {
				continue
			}
			recv := ci.Call.Args[0]
			if load, ok := recv.(*ssa.UnOp); ok && load.Op == token.MUL {
				recv = load.X // a captured variable, read through its cell
			}
			fv, ok := recv.(*ssa.FreeVar)
			if !ok {
				continue
			}
			for i, x := range body.FreeVars {
				if x == fv && outsideLoop(mc.Bindings[i], loops) {
					return m, true
				}
			}
		}
	}
	return idiomMethod{}, false
}

// outsideLoop reports whether v holds one value for every iteration of the loops of its function: a
// parameter, a free variable, a global, or a value computed in a block outside every loop.
func outsideLoop(v ssa.Value, loops map[*ssa.BasicBlock]bool) bool {
	switch v := v.(type) {
	case *ssa.Parameter, *ssa.FreeVar, *ssa.Global:
		return true
	case ssa.Instruction:
		return v.Block() != nil && !loops[v.Block()]
	}
	return false
}

// selectsField reports whether sel has a case that receives from base.field.
func selectsField(sel *ssa.Select, base ssa.Value, field *types.Var) bool {
	for _, st := range sel.States {
		if st.Dir != types.RecvOnly {
			continue
		}
		if b, f, ok := fieldOf(st.Chan); ok && b == base && f == field {
			return true
		}
	}
	return false
}

func (c *checker) reportIdiomMethod(m idiomMethod, g *ssa.Go) {
	call := c.callExpr(m.close)
	name := m.field.Name()
	if call != nil && len(call.Args) == 1 {
		name = types.ExprString(call.Args[0])
	}
	through := ""
	if m.via != nil {
		through = " (through " + funcName(m.via) + ")"
	}
	c.r.Report(analysis.Diagnostic{
		Pos: c.start(m.close), End: c.callEnd(m.close), Category: catDouble,
		Message: fmt.Sprintf(idiomText+" in %s, which goroutines started in a loop call at once on one value%s: two can both find %s open, and the second close panics (closing a closed channel); close it with a sync.Once",
			name, name, funcName(m.fn), through, name),
		Related: []analysis.RelatedInformation{
			{Pos: c.start(g), Message: "goroutines started here, in a loop"},
			{Pos: m.sel.Pos(), Message: "the select that finds " + name + " open"},
		},
	})
}

// waitsInLoop reports whether a loop of fn receives from a channel, blocks in a select, or waits for a
// WaitGroup or errgroup: it may wait for each goroutine it starts before it starts the next.
func waitsInLoop(fn *ssa.Function, loops map[*ssa.BasicBlock]bool) bool {
	for b := range loops {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.UnOp:
				if instr.Op == token.ARROW {
					return true
				}
			case *ssa.Select:
				if instr.Blocking {
					return true
				}
			}
			if goroutines.IsWait(instr) {
				return true
			}
		}
	}
	return false
}
