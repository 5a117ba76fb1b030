package closemisuse

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/goroutines"
	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syncapi"
)

// checkReceiverClose reports a close of ch by the function that receives from it, from inside its
// receiving loop (directly, or by a deferred close that a return from that loop runs), while goroutines
// started in a loop send on ch and nothing joins them first: each sender still running panics on its send.
func (c *checker) checkReceiverClose(ch *goroutines.Chan) {
	sender := loopSender(ch)
	if sender == nil {
		return // no goroutines started in a loop that send on ch
	}
	for _, cl := range ch.Ops {
		if cl.Kind != goroutines.Close || cl.Spawn != nil || cl.Instr.Parent() != ch.Parent {
			continue // closed by a goroutine, or in a function literal the parent calls
		}
		if !ssaform.Reaches(sender.Instr, cl.Instr) && !cl.Deferred {
			continue // closed before the senders start
		}
		exit := c.earlyClose(ch, cl, sender)
		if exit == nil || joinedBefore(exit) {
			continue
		}
		name := c.closedName(cl)
		related := []analysis.RelatedInformation{{Pos: sender.Pos(), Message: "senders started here"}}
		msg := fmt.Sprintf("%s closed inside the loop that receives from it, while goroutines started in a loop may still send on it: their send panics (send on closed channel); join the senders before closing, or signal them to stop on another channel", name)
		if cl.Deferred {
			related = append(related, analysis.RelatedInformation{Pos: c.start(exit), Message: "return from the receiving loop runs the deferred close"})
			msg = fmt.Sprintf("deferred close of %s runs on a return from the loop that receives from it, while goroutines started in a loop may still send on it: their send panics (send on closed channel); join the senders before closing, or signal them to stop on another channel", name)
		}
		c.r.Report(analysis.Diagnostic{Pos: c.start(cl.Instr), End: c.closeEnd(cl), Category: catReceiver, Message: msg, Related: related})
		return // one finding per channel
	}
}

// loopSender returns a goroutine started in a loop of ch's function that sends on ch, or nil. It returns
// nil when a sender locks a mutex: a flag under that lock may keep it from sending on a closed channel.
func loopSender(ch *goroutines.Chan) *goroutines.Spawn {
	var found *goroutines.Spawn
	for _, op := range ch.Ops {
		if op.Kind != goroutines.Send || op.Spawn == nil {
			continue
		}
		if op.Spawn.Body == nil || locks(op.Spawn.Body, 0) {
			return nil
		}
		if found == nil && op.Spawn.InLoop && op.Spawn.Parent == ch.Parent {
			found = op.Spawn
		}
	}
	return found
}

// locks reports whether fn, or a function it calls (depth 3), locks a sync.Mutex or sync.RWMutex, or calls
// a function value that might.
func locks(fn *ssa.Function, depth int) bool {
	return callsAny(fn, depth, false, func(obj *types.Func) bool {
		op := syncapi.LockOpOf(obj)
		return op == syncapi.Lock || op == syncapi.RLock || op == syncapi.TryLock || op == syncapi.TryRLock
	})
}

// earlyClose returns the instruction by which cl closes ch from inside the body of a loop of the parent
// that receives from ch: the close itself, or, for a deferred close, a return in that body. It returns
// nil otherwise.
func (c *checker) earlyClose(ch *goroutines.Chan, cl *goroutines.Op, sender *goroutines.Spawn) ssa.Instruction {
	syn := ch.Parent.Syntax()
	if syn == nil {
		return nil
	}
	var loops []ast.Node // bodies of the parent's loops that receive from ch
	ast.Inspect(syn, func(n ast.Node) bool {
		var body *ast.BlockStmt
		switch n := n.(type) {
		case *ast.FuncLit:
			return n == syn
		case *ast.ForStmt:
			body = n.Body
		case *ast.RangeStmt:
			body = n.Body
		default:
			return true
		}
		for _, r := range ch.Ops {
			if (r.Kind == goroutines.Recv || r.Kind == goroutines.Range) && r.Spawn == nil && r.Instr.Parent() == ch.Parent &&
				n.Pos() <= r.Instr.Pos() && r.Instr.Pos() < n.End() {
				loops = append(loops, body)
				break
			}
		}
		return true
	})
	in := func(instr ssa.Instruction) bool {
		for _, body := range loops {
			if body.Pos() <= instr.Pos() && instr.Pos() < body.End() {
				return true
			}
		}
		return false
	}
	if in(sender.Instr) {
		return nil // one goroutine started per receive: those before have sent
	}
	if !cl.Deferred {
		if in(cl.Instr) {
			return cl.Instr
		}
		return nil
	}
	for _, b := range ch.Parent.Blocks {
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && in(ret) && reaches(cl.Instr, ret, ch.Make) {
			return ret
		}
	}
	return nil
}

// joinedBefore reports whether a Wait of a sync.WaitGroup or errgroup.Group can run before instr in its
// function: the senders may be joined.
func joinedBefore(instr ssa.Instruction) bool {
	for _, b := range instr.Parent().Blocks {
		for _, i := range b.Instrs {
			if goroutines.IsWait(i) && (i.Block() == instr.Block() && precedes(i, instr) || ssaform.Reaches(i, instr)) {
				return true
			}
		}
	}
	return false
}

// precedes reports whether a comes before b in their block.
func precedes(a, b ssa.Instruction) bool {
	for _, i := range a.Block().Instrs {
		if i == a {
			return true
		}
		if i == b {
			return false
		}
	}
	return false
}
