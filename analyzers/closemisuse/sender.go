package closemisuse

import (
	"fmt"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/goroutines"
	"github.com/conclint/conclint/internal/ssaform"
)

// checkUnjoinedSender reports a close of ch by the function that starts the one goroutine that sends on
// it, on a path from the start that neither receives from ch nor waits for goroutines: the goroutine may
// still be about to send, and its send panics.
func (c *checker) checkUnjoinedSender(ch *goroutines.Chan) {
	s := soleSender(ch)
	if s == nil {
		return
	}
	stops := make(map[ssa.Instruction]bool)
	stopEdges := make(map[goroutines.Edge]bool)
	for _, op := range ch.Ops {
		if op.Kind != goroutines.Recv && op.Kind != goroutines.Range {
			continue
		}
		if op.Spawn != nil || op.Instr.Parent() != ch.Parent {
			return // another goroutine or function receives: the order of its receive and the close is unknown
		}
		if op.Case != nil {
			stopEdges[*op.Case] = true // the select took the case that received the goroutine's value
		} else {
			stops[op.Instr] = true
		}
	}
	stop := func(instr ssa.Instruction) bool {
		return stops[instr] || instr == ch.Make || goroutines.IsWait(instr)
	}
	for _, cl := range ch.Ops {
		if cl.Kind != goroutines.Close || cl.Spawn != nil || cl.Instr.Parent() != ch.Parent {
			continue
		}
		var at ssa.Instruction // the close, or the return that runs the deferred close
		if cl.Deferred {
			if ssaform.Reaches(cl.Instr, s.Instr) {
				at, _ = goroutines.PathToReturn(s.Instr, stop, stopEdges, nil)
			}
		} else if pathAvoiding(s.Instr, cl.Instr, stop, stopEdges) {
			at = cl.Instr
		}
		if at == nil {
			continue
		}
		name := c.closedName(cl)
		msg := fmt.Sprintf("close of %s on a path where the goroutine that sends on it may not have sent yet (no receive from %s and no Wait since it started): its send panics (send on closed channel); let the sender close %s, or receive its value first", name, name, name)
		related := []analysis.RelatedInformation{{Pos: c.start(s.Instr), Message: "sender started here"}}
		if cl.Deferred {
			msg = fmt.Sprintf("deferred close of %s runs on a return where the goroutine that sends on it may not have sent yet (no receive from %s and no Wait since it started): its send panics (send on closed channel); let the sender close %s, or receive its value first", name, name, name)
			related = append(related, analysis.RelatedInformation{Pos: c.start(at), Message: "return without receiving the goroutine's value"})
		}
		c.r.Report(analysis.Diagnostic{Pos: c.start(cl.Instr), End: c.closeEnd(cl), Category: catSend, Message: msg, Related: related})
		return
	}
}

// soleSender returns the one goroutine of ch's function that sends on ch, started outside loops and
// sending at most once per run; nil if there is none, or several, or the parent sends too.
func soleSender(ch *goroutines.Chan) *goroutines.Spawn {
	var sender *goroutines.Spawn
	var sends []*goroutines.Op
	for _, op := range ch.Ops {
		if op.Kind != goroutines.Send {
			continue
		}
		if op.Spawn == nil || sender != nil && op.Spawn != sender {
			return nil
		}
		sender = op.Spawn
		sends = append(sends, op)
	}
	if sender == nil || sender.InLoop || sender.Parent != ch.Parent || sender.Body == nil || goroutines.MaxSends(sends) != 1 {
		return nil
	}
	if !signalsOnlyOn(sender.Body, ch, 0) {
		return nil // the goroutine may signal its starter otherwise, after its send
	}
	return sender
}

// pathAvoiding reports whether a path leads from just after from to to that passes no instruction for
// which stop is true and takes no edge of stopEdges.
func pathAvoiding(from, to ssa.Instruction, stop func(ssa.Instruction) bool, stopEdges map[goroutines.Edge]bool) bool {
	seen := make(map[*ssa.BasicBlock]bool)
	var scan func(b *ssa.BasicBlock, start int) bool
	scan = func(b *ssa.BasicBlock, start int) bool {
		for _, instr := range b.Instrs[start:] {
			if instr == to {
				return true
			}
			if stop(instr) {
				return false
			}
		}
		for _, succ := range b.Succs {
			if stopEdges[goroutines.Edge{From: b, To: succ}] || seen[succ] {
				continue
			}
			seen[succ] = true
			if scan(succ, 0) {
				return true
			}
		}
		return false
	}
	b := from.Block()
	for i, instr := range b.Instrs {
		if instr == from {
			return scan(b, i+1)
		}
	}
	return false
}

// signalsOnlyOn reports whether the goroutine body fn can tell its starter nothing but through its sends
// on ch: it sends on no other channel, closes none, calls nothing of package sync or sync/atomic, and
// calls no function value, directly or through the functions of the package it calls (depth 3). Any such
// signal may be how the starter knows the send is done.
func signalsOnlyOn(fn *ssa.Function, ch *goroutines.Chan, depth int) bool {
	if depth > 3 {
		return false
	}
	chSends := make(map[ssa.Instruction]int)
	for _, op := range ch.Ops {
		if op.Kind == goroutines.Send {
			chSends[op.Instr]++
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Send:
				if chSends[instr] == 0 {
					return false
				}
			case *ssa.Select:
				n := 0
				for _, st := range instr.States {
					if st.Dir == types.SendOnly {
						n++
					}
				}
				if n != chSends[instr] {
					return false
				}
			case *ssa.MakeClosure:
				return false // a function literal: where it runs is not followed
			case ssa.CallInstruction:
				if !quietCall(instr.Common(), ch, depth) {
					return false
				}
			}
		}
	}
	return true
}

// quietCall reports whether a call cannot signal another goroutine, as far as the analyzer can tell.
func quietCall(call *ssa.CallCommon, ch *goroutines.Chan, depth int) bool {
	if call.IsInvoke() {
		return true // an interface method: signalling the starter through one is not assumed
	}
	if b, ok := call.Value.(*ssa.Builtin); ok {
		return b.Name() != "close"
	}
	callee := call.StaticCallee()
	if callee == nil {
		return false // a function value: it may be a cancel func or a callback that signals
	}
	if obj, ok := callee.Object().(*types.Func); ok && obj.Pkg() != nil {
		if p := obj.Pkg().Path(); p == "sync" || p == "sync/atomic" {
			return false
		}
	}
	if len(callee.Blocks) == 0 {
		return true // a function of another package, outside sync
	}
	return signalsOnlyOn(callee, ch, depth+1)
}
