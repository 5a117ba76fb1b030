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
//   - calls that end the process (os.Exit, log.Fatal, ...), or of a function of the package that is a
//     watchdog itself (at most depth calls deep).
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
		case syncapi.IsFunc(ssaform.Callee(&instr.Call), "os/signal", "Notify"):
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
