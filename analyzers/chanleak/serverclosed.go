package chanleak

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/goroutines"
	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syncapi"
)

// A goroutine that serves HTTP and sends its error only when it is not http.ErrServerClosed is not left
// behind by a receiver that shuts the server down on its way out: Shutdown and Close make Serve (and
// ListenAndServe) return http.ErrServerClosed, which the goroutine does not send (tailscale's api-proxy:
// on ctx.Done the receiver calls hs.Shutdown, and the goroutine sends only if err != http.ErrServerClosed).

// stopsServer reports whether each of the goroutine's sends runs only when the error tested is not
// http.ErrServerClosed, and every path of the parent from the spawn to a return that receives nothing
// calls Shutdown or Close of a net/http.Server (any server: the instance is not matched with the one the
// goroutine serves).
func (c *checker) stopsServer(ch *goroutines.Chan, s *goroutines.Spawn, sends []*goroutines.Op) bool {
	for _, send := range sends {
		if !notServerClosed(send.Instr) {
			return false
		}
	}
	recvs := filter(ch.Ops, func(o *goroutines.Op) bool { return o.Spawn == nil && isRecv(o) })
	exit, _ := c.escapePath(ch, s, recvs, isServerStop)
	return exit == nil
}

// notServerClosed reports whether instr runs only past a test that found an error other than
// http.ErrServerClosed: it lies in a block dominated by the branch of err != http.ErrServerClosed, or of
// !errors.Is(err, http.ErrServerClosed), that says so, conditions joined by && or returned early from
// included.
func notServerClosed(instr ssa.Instruction) bool {
	for _, b := range instr.Parent().Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		closedIfTrue, ok := serverClosedTest(ifi.Cond)
		if !ok {
			continue
		}
		other := b.Succs[1] // the branch where the error is not http.ErrServerClosed
		if !closedIfTrue {
			other = b.Succs[0]
		}
		if len(other.Preds) == 1 && other.Dominates(instr.Block()) {
			return true
		}
	}
	return false
}

// serverClosedTest reports whether v compares an error with http.ErrServerClosed (== or !=, or
// errors.Is), and whether true means that the error is http.ErrServerClosed.
func serverClosedTest(v ssa.Value) (closedIfTrue, ok bool) {
	switch v := v.(type) {
	case *ssa.BinOp:
		if (v.Op == token.EQL || v.Op == token.NEQ) && (isServerClosed(v.X) || isServerClosed(v.Y)) {
			return v.Op == token.EQL, true
		}
	case *ssa.Call:
		if syncapi.IsFunc(ssaform.Callee(&v.Call), "errors", "Is") && len(v.Call.Args) == 2 && isServerClosed(v.Call.Args[1]) {
			return true, true
		}
	}
	return false, false
}

// isServerClosed reports whether v is the value of the variable net/http.ErrServerClosed.
func isServerClosed(v ssa.Value) bool {
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	g, ok := load.X.(*ssa.Global)
	if !ok {
		return false
	}
	obj, ok := g.Object().(*types.Var)
	return ok && obj.Pkg() != nil && obj.Pkg().Path() == "net/http" && obj.Name() == "ErrServerClosed"
}

// isServerStop reports whether instr calls, or defers, Shutdown or Close of a net/http.Server.
func isServerStop(instr ssa.Instruction) bool {
	switch instr.(type) {
	case *ssa.Call, *ssa.Defer:
	default:
		return false
	}
	obj := ssaform.Callee(instr.(ssa.CallInstruction).Common())
	return syncapi.IsMethod(obj, "net/http", "Server", "Shutdown") || syncapi.IsMethod(obj, "net/http", "Server", "Close")
}
