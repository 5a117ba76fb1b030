package chanleak

import (
	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/goroutines"
	"github.com/conclint/conclint/internal/ssaform"
)

// doneAfterSends returns a channel done (other than ch) such that the parent, on every path from the
// spawn of s to a return, first receives from done, and only s sends on or closes done, each time after its
// last send on ch (a done or error message on its way out, or a deferred close). Once the parent has
// received it, s has made all its sends on ch: none can be pending. It returns nil if there is none.
func (c *checker) doneAfterSends(ch *goroutines.Chan, s *goroutines.Spawn) *goroutines.Op {
	if s.Body == nil {
		return nil
	}
	var sends []ssa.Instruction
	for _, o := range ch.Ops {
		if o.Spawn == s && o.Kind == goroutines.Send {
			if o.Instr.Parent() != s.Body {
				return nil // a send in a function literal the goroutine calls: its order is not followed
			}
			sends = append(sends, o.Instr)
		}
	}
	for _, done := range c.chans {
		if done == ch || done.Parent != ch.Parent {
			continue
		}
		if msg := c.sentLast(done, s, sends); msg != nil && c.receivedFirst(done, s) {
			return msg
		}
	}
	return nil
}

// sentLast returns one of the messages s sends on done (or its close), if every one of them comes after all
// of the sends, and nobody else sends on or closes done; else nil.
func (c *checker) sentLast(done *goroutines.Chan, s *goroutines.Spawn, sends []ssa.Instruction) *goroutines.Op {
	var msg *goroutines.Op
	for _, o := range done.Ops {
		if o.Kind != goroutines.Send && o.Kind != goroutines.Close {
			continue
		}
		if o.Spawn != s || o.Instr.Parent() != s.Body {
			return nil // another goroutine or the parent may send it, or a literal the goroutine calls
		}
		if !o.Deferred { // a deferred close runs after every send
			for _, send := range sends {
				if ssaform.Reaches(o.Instr, send) {
					return nil // a send on ch can follow the message
				}
			}
		}
		msg = o
	}
	return msg
}

// receivedFirst reports whether every path of the parent from the spawn of s to a return passes a receive
// from done (or a WaitGroup or errgroup Wait, or a call that does not return).
func (c *checker) receivedFirst(done *goroutines.Chan, s *goroutines.Spawn) bool {
	cut := newCuts()
	for _, o := range done.Ops {
		if o.Spawn == nil && isRecv(o) {
			cut.addRecv(o)
		}
	}
	if len(cut.instrs)+len(cut.edges) == 0 {
		return false
	}
	ret, _ := goroutines.PathToReturn(s.Instr, func(instr ssa.Instruction) bool {
		return cut.instrs[instr] || goroutines.IsWait(instr) || goroutines.IsNoReturn(instr)
	}, cut.edges, nil)
	return ret == nil
}
