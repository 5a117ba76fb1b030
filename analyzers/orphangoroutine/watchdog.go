package orphangoroutine

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/goroutines"
	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syncapi"
)

// watchdogDepth bounds the static calls followed from a goroutine's function to the watchdog it runs
// (go func() { watch(fd) }() follows one).
const watchdogDepth = 2

// isWatchdog reports whether fn only waits and then ends the process, on every path: a watchdog
// (f.Read(buf); os.Exit(1)). Main's return cannot cut off work it does not have. "Only waits" is
// conservative: fn starts, defers and sends nothing, has no function literals, stores only into its own
// variables, and calls nothing but
//   - waits: a channel receive or select, a WaitGroup, errgroup or Cond Wait, time.Sleep, an
//     exec.Cmd's Wait, or a Read method that is io.Reader's (f.Read on a pipe);
//   - the calls that compute only what a wait waits on (os.NewFile(fd) for f.Read, time.After(d) for a
//     receive), and signal.Notify;
//   - calls that end the process (os.Exit, log.Fatal, zerolog's log.Fatal().Msg(s) with the calls that
//     build its event, ...), or of a function of the package that is a watchdog itself (at most depth
//     calls deep).
//
// Every path to one of its returns goes through a call that ends the process.
func isWatchdog(fn *ssa.Function, depth int) bool {
	if fn == nil || len(fn.Blocks) == 0 || len(fn.AnonFuncs) > 0 || fn.Recover != nil {
		return false
	}
	waits := false
	exits := make(map[ssa.Instruction]bool) // the calls that end the process
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			wait, exit, ok := watchdogStep(fn, instr, depth)
			if !ok {
				return false
			}
			waits = waits || wait
			exits[instr] = exit
		}
	}
	if !waits {
		return false
	}
	entry := fn.Blocks[0].Instrs[0]
	if exits[entry] {
		return true
	}
	ret, _ := goroutines.PathToReturn(entry, func(instr ssa.Instruction) bool { return exits[instr] }, nil, nil)
	return ret == nil // no path returns without ending the process
}

// watchdogStep classifies instr of a candidate watchdog fn: whether it waits, whether it ends the process,
// and whether a watchdog may contain it at all.
func watchdogStep(fn *ssa.Function, instr ssa.Instruction, depth int) (wait, exit, ok bool) {
	switch instr := instr.(type) {
	case *ssa.Call:
		switch {
		case goroutines.IsNoReturn(instr):
			return false, true, true
		case isWait(&instr.Call):
			return true, false, true
		case depth > 0 && isWatchdog(instr.Call.StaticCallee(), depth-1):
			return true, true, true
		case syncapi.IsFunc(ssaform.Callee(&instr.Call), "os/signal", "Notify"), buildsFatalEvent(instr):
			return false, false, true
		}
		return false, false, feedsWaits(instr) // any other call is work main's return could cut off
	case *ssa.UnOp:
		return instr.Op == token.ARROW, false, true
	case *ssa.Select:
		for _, st := range instr.States {
			if st.Dir != types.RecvOnly {
				return false, false, false // a send is work
			}
		}
		return true, false, true
	case *ssa.Store:
		return false, false, isLocal(fn, instr.Addr)
	case *ssa.Alloc, *ssa.Slice, *ssa.IndexAddr, *ssa.FieldAddr, *ssa.Field, *ssa.Index, *ssa.Extract,
		*ssa.Jump, *ssa.If, *ssa.Return, *ssa.Phi, *ssa.DebugRef, *ssa.BinOp, *ssa.Convert, *ssa.ChangeType,
		*ssa.ChangeInterface, *ssa.MakeInterface, *ssa.MakeChan, *ssa.MakeSlice, *ssa.Lookup, *ssa.TypeAssert:
		return false, false, true
	}
	return false, false, false // a send, go, defer, map update, panic, closure, ...
}

// isWait reports whether the call only waits: see isWatchdog.
func isWait(c *ssa.CallCommon) bool {
	fn := ssaform.Callee(c)
	if fn == nil {
		return false
	}
	if kind, _, ok := syncapi.Blocking(fn); ok && (kind == syncapi.KindWait || kind == syncapi.KindSleep) {
		return true
	}
	return syncapi.IsMethod(fn, "os/exec", "Cmd", "Wait") || isReaderRead(fn)
}

// isReaderRead reports whether fn is the method of io.Reader: Read(p []byte) (n int, err error).
func isReaderRead(fn *types.Func) bool {
	sig := fn.Signature()
	if sig.Recv() == nil || fn.Name() != "Read" || sig.Params().Len() != 1 || sig.Results().Len() != 2 {
		return false
	}
	p, ok := sig.Params().At(0).Type().(*types.Slice)
	return ok && types.Identical(p.Elem(), types.Typ[types.Byte]) &&
		types.Identical(sig.Results().At(0).Type(), types.Typ[types.Int]) && syncapi.IsError(sig.Results().At(1).Type())
}

// buildsFatalEvent reports whether the call makes or extends a zerolog event whose only use is, in the
// end, a send that ends the process (log.Fatal().Err(err).Msg("...")): part of the exit, not work.
func buildsFatalEvent(call *ssa.Call) bool {
	if start, chain := syncapi.ZerologFatal(ssaform.Callee(&call.Call)); !start && !chain {
		return false
	}
	refs := call.Referrers()
	if refs == nil || len(*refs) == 0 {
		return false
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Call:
			if len(r.Call.Args) == 0 || r.Call.Args[0] != call || !(ssaform.NoReturn(&r.Call) || buildsFatalEvent(r)) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// feedsWaits reports whether the call's results are used, and used only as operands of waits (a wait's
// call, a receive, a select): it computes what the goroutine waits on.
func feedsWaits(call *ssa.Call) bool {
	refs := call.Referrers()
	if refs == nil || len(*refs) == 0 {
		return false
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.DebugRef, *ssa.Select:
		case *ssa.UnOp:
			if r.Op != token.ARROW {
				return false
			}
		case *ssa.Call:
			if !isWait(&r.Call) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// isLocal reports whether addr is a variable of fn, or an element or field of one (the array behind the
// arguments of log.Fatal(err)).
func isLocal(fn *ssa.Function, addr ssa.Value) bool {
	switch a := addr.(type) {
	case *ssa.IndexAddr:
		addr = a.X
	case *ssa.FieldAddr:
		addr = a.X
	}
	alloc, ok := addr.(*ssa.Alloc)
	return ok && alloc.Parent() == fn
}

// stopsOnSignal reports whether fn is a signal handler that tells the rest of the program to stop: it
// first waits for an os.Signal (a receive, before any call), and the last call of each of its paths is a
// cancel of a context or a close of a channel. Main's return cannot cut off its work: before the signal
// it has done none; the stop is its last act, so a return caused by the stop comes after all of it; and a
// return for another reason only races with the cleanup of a process already told to stop.
// (A handler that ends in srv.Shutdown(ctx) is not one: main's return can cut the shutdown short.)
func stopsOnSignal(fn *ssa.Function) bool {
	if fn == nil || fn.Recover != nil || !waitsForSignalFirst(fn) {
		return false
	}
	returns := 0
	for _, b := range fn.Blocks {
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); !ok {
			continue
		}
		returns++
		if !endsWithStop(b, make(map[*ssa.BasicBlock]bool)) {
			return false
		}
	}
	return returns > 0
}

// waitsForSignalFirst reports whether fn's entry block receives from a channel of os.Signal before it
// calls anything: fn is a signal handler.
func waitsForSignalFirst(fn *ssa.Function) bool {
	if fn == nil || len(fn.Blocks) == 0 {
		return false
	}
	for _, instr := range fn.Blocks[0].Instrs {
		switch instr := instr.(type) {
		case *ssa.UnOp:
			if instr.Op == token.ARROW {
				return isSignalChan(instr.X.Type())
			}
		case ssa.CallInstruction, *ssa.Send, *ssa.Select, *ssa.Store, *ssa.MapUpdate, *ssa.Panic:
			return false
		}
	}
	return false
}

// isSignalChan reports whether t is a channel of os.Signal.
func isSignalChan(t types.Type) bool {
	ch, ok := t.Underlying().(*types.Chan)
	return ok && syncapi.IsNamed(ch.Elem(), "os", "Signal")
}

// endsWithStop reports whether the last call on every path into the end of b is a stop: a call of a
// context.CancelFunc (or CancelCauseFunc) or the builtin close. memo holds the blocks seen: true once
// checked, false while being checked (a loop without a stop on its way out) or when it failed.
func endsWithStop(b *ssa.BasicBlock, memo map[*ssa.BasicBlock]bool) bool {
	if ok, seen := memo[b]; seen {
		return ok
	}
	memo[b] = false
	for i := len(b.Instrs) - 1; i >= 0; i-- {
		if call, ok := b.Instrs[i].(ssa.CallInstruction); ok {
			memo[b] = isStop(call.Common())
			return memo[b]
		}
	}
	if len(b.Preds) == 0 {
		return false
	}
	for _, p := range b.Preds {
		if !endsWithStop(p, memo) {
			return false
		}
	}
	memo[b] = true
	return true
}

// isStop reports whether c cancels a context or closes a channel.
func isStop(c *ssa.CallCommon) bool {
	if b, ok := c.Value.(*ssa.Builtin); ok {
		return b.Name() == "close"
	}
	return syncapi.IsCancelFunc(c.Value.Type())
}
