package closemisuse

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/goroutines"
	"github.com/conclint/conclint/internal/syntax"
)

func (c *checker) isTest(pos token.Pos) bool {
	return !c.tests && syntax.IsTestCode(c.pass.Fset, c.pass.Pkg.Path(), c.pass.Pkg.Name(), pos)
}

// checkLocal reports the second close of a local channel on a path that closed it already, and a send
// that every path after a close reaches.
func (c *checker) checkLocal(ch *goroutines.Chan) {
	var closes, sends []*goroutines.Op
	for _, op := range ch.Ops {
		switch op.Kind {
		case goroutines.Close:
			closes = append(closes, op)
		case goroutines.Send:
			sends = append(sends, op)
		}
	}
	if len(closes) == 0 {
		return
	}
	if !selectDefaultRecv(ch) {
		c.checkDoubleClose(ch, closes) // else: select { case <-ch: default: close(ch) } guards the close
		c.checkLoopGoroutineClose(ch, closes)
		c.checkGoroutineAndParentClose(ch, closes)
	} else {
		c.checkRacyIdiom(ch, closes)
	}
	c.checkSendAfterClose(ch, closes, sends)
	c.checkReceiverClose(ch)
	c.checkUnjoinedSender(ch)
}

// selectDefaultRecv reports whether a select with a default case receives from ch: the idiom that closes
// ch only if it is still open.
func selectDefaultRecv(ch *goroutines.Chan) bool {
	for _, op := range ch.Ops {
		if sel, ok := op.Instr.(*ssa.Select); ok && op.Kind == goroutines.Recv && !sel.Blocking {
			return true
		}
	}
	return false
}

// checkDoubleClose reports one pair of closes of ch that both run on one path of one function: a close
// that every path after another close reaches, or a close and a deferred close, which runs at return.
func (c *checker) checkDoubleClose(ch *goroutines.Chan, closes []*goroutines.Op) {
	for i, a := range closes {
		for _, b := range closes[i+1:] {
			if a.Instr.Parent() != b.Instr.Parent() {
				continue // closes in two functions (a goroutine and its parent): their order is not tracked
			}
			first, second, ok := orderedCloses(ch, a, b)
			if !ok {
				continue
			}
			c.reportDoubleClose(first, second)
			return // one finding per channel
		}
	}
}

// orderedCloses returns a and b in the order they run when both run on one path, or ok false.
func orderedCloses(ch *goroutines.Chan, a, b *goroutines.Op) (first, second *goroutines.Op, ok bool) {
	switch {
	case !a.Deferred && !b.Deferred:
		if inevitable(a.Instr, b.Instr, ch.Make) {
			return a, b, true
		}
		if inevitable(b.Instr, a.Instr, ch.Make) {
			return b, a, true
		}
	case a.Deferred && b.Deferred:
		if reaches(a.Instr, b.Instr, ch.Make) || reaches(b.Instr, a.Instr, ch.Make) {
			return a, b, true
		}
	default:
		d, direct := a, b
		if b.Deferred {
			d, direct = b, a
		}
		// The deferred close runs at return if the defer statement ran before the close, or after it on
		// every path.
		if reaches(d.Instr, direct.Instr, ch.Make) || inevitable(direct.Instr, d.Instr, ch.Make) {
			return direct, d, true
		}
	}
	return nil, nil, false
}

func (c *checker) reportDoubleClose(first, second *goroutines.Op) {
	name := c.closedName(second)
	switch {
	case second.Deferred && !first.Deferred:
		c.report(c.start(first.Instr), catDouble, c.closeEnd(first), "close of %s on a path where the deferred close(%s) runs too, at return: closing a closed channel panics", "deferred close here", c.start(second.Instr),
			name, name)
	case second.Deferred:
		c.report(c.start(second.Instr), catDouble, c.closeEnd(second), "%s closed by two deferred closes on one path: closing a closed channel panics", "other deferred close here", c.start(first.Instr), name)
	default:
		c.report(c.start(second.Instr), catDouble, c.closeEnd(second), "second close of %s on this path: closing a closed channel panics", name+" closed here first", c.start(first.Instr), name)
	}
}

// checkSendAfterClose reports a send on ch that every path after a close of ch in the same function
// reaches.
func (c *checker) checkSendAfterClose(ch *goroutines.Chan, closes, sends []*goroutines.Op) {
	for _, cl := range closes {
		if cl.Deferred {
			continue // runs at return, after every send
		}
		for _, s := range sends {
			if s.Instr.Parent() != cl.Instr.Parent() || !inevitable(cl.Instr, s.Instr, ch.Make) {
				continue
			}
			name := c.closedName(cl)
			pos, end := c.sendRange(s, ch)
			c.report(pos, catSend, end, "send on %s after it is closed: a send on a closed channel panics", name+" closed here", c.start(cl.Instr), name)
			return // one finding per channel
		}
	}
}

// report reports a finding at [pos, end) with one related position.
func (c *checker) report(pos token.Pos, category string, end token.Pos, format, related string, relPos token.Pos, args ...any) {
	d := analysis.Diagnostic{Pos: pos, End: end, Category: category, Message: sprintf(format, args...)}
	if relPos.IsValid() {
		d.Related = []analysis.RelatedInformation{{Pos: relPos, Message: related}}
	}
	c.r.Report(d)
}

// closedName returns the spelling of the channel argument of a close op.
func (c *checker) closedName(op *goroutines.Op) string {
	var call *ast.CallExpr
	switch n := c.form.Node(op.Instr).(type) {
	case *ast.CallExpr:
		call = n
	case *ast.DeferStmt:
		call = n.Call
	}
	if call == nil || len(call.Args) != 1 {
		return "the channel"
	}
	return types.ExprString(call.Args[0])
}

// closeEnd returns the end of the narrow range of a close: the Lparen of its call.
func (c *checker) closeEnd(op *goroutines.Op) token.Pos {
	switch n := c.form.Node(op.Instr).(type) {
	case *ast.CallExpr:
		return n.Lparen
	case *ast.DeferStmt:
		return n.Call.Lparen
	}
	return token.NoPos
}

// sendRange returns the range of a send statement, or of the send case of a select on ch.
func (c *checker) sendRange(op *goroutines.Op, ch *goroutines.Chan) (token.Pos, token.Pos) {
	pos := op.Instr.Pos()
	if sel, ok := op.Instr.(*ssa.Select); ok {
		for _, st := range sel.States {
			if st.Dir == types.SendOnly && st.Pos.IsValid() {
				if s, ok := c.form.NodeAt(st.Pos).(*ast.SendStmt); ok && c.sendsOn(s, ch) {
					return s.Pos(), s.End()
				}
			}
		}
		return pos, token.NoPos
	}
	if s, ok := c.form.Node(op.Instr).(*ast.SendStmt); ok {
		return s.Pos(), s.End()
	}
	return pos, token.NoPos
}

// sendsOn reports whether the select send case s is one of ch's ops.
func (c *checker) sendsOn(s *ast.SendStmt, ch *goroutines.Chan) bool {
	for _, op := range ch.Ops {
		if sel, ok := op.Instr.(*ssa.Select); ok && op.Kind == goroutines.Send {
			for _, st := range sel.States {
				if st.Pos == s.Arrow && st.Dir == types.SendOnly {
					return true
				}
			}
		}
	}
	return false
}

// start returns the position of the syntax of a call, defer, go or send instruction: where its
// statement or expression begins, rather than the Lparen or arrow that go/ssa records.
func (c *checker) start(instr ssa.Instruction) token.Pos {
	if n := c.form.Node(instr); n != nil {
		return n.Pos()
	}
	return instr.Pos()
}

// checkLoopGoroutineClose reports a close that every goroutine started in a loop runs on every path, of a
// channel made before the loop: the second goroutine's close panics.
func (c *checker) checkLoopGoroutineClose(ch *goroutines.Chan, closes []*goroutines.Op) {
	for _, cl := range closes {
		s := cl.Spawn
		if s == nil || !s.InLoop || s.Body == nil || cl.Instr.Parent() != s.Body {
			continue // not in the body of a goroutine started in a loop
		}
		if !inevitableIf(nil, cl.Instr, func(ssa.Instruction) bool { return false }) {
			continue // a conditional close (the last goroutine out closes) may run once
		}
		if s.Parent != ch.Parent || !reaches(s.Instr, s.Instr, ch.Make) {
			continue // the loop makes a new channel for each goroutine
		}
		name := c.closedName(cl)
		c.r.Report(analysis.Diagnostic{
			Pos: c.start(cl.Instr), End: c.closeEnd(cl), Category: catDouble,
			Message: sprintf("each goroutine started in the loop closes %s: the second close panics (closing a closed channel); close it once, after joining them", name),
			Related: []analysis.RelatedInformation{{Pos: c.start(s.Instr), Message: "goroutines started here, in a loop"}},
		})
		return
	}
}

// checkGoroutineAndParentClose reports a channel that a goroutine closes on every path through its body
// and that the function that starts it closes too, on every path after the start or before it: whichever
// close runs second panics.
func (c *checker) checkGoroutineAndParentClose(ch *goroutines.Chan, closes []*goroutines.Op) {
	never := func(ssa.Instruction) bool { return false }
	for _, g := range closes {
		s := g.Spawn
		if s == nil || s.InLoop || s.Body == nil || g.Instr.Parent() != s.Body || s.Parent != ch.Parent || !inevitableIf(nil, g.Instr, never) {
			continue // not a close that a goroutine of ch's function runs on every path
		}
		for _, p := range closes {
			if p.Spawn != nil || p.Instr.Parent() != ch.Parent {
				continue
			}
			var both bool
			if p.Deferred {
				both = reaches(p.Instr, s.Instr, ch.Make) || inevitable(s.Instr, p.Instr, ch.Make)
			} else {
				both = inevitable(s.Instr, p.Instr, ch.Make) || inevitable(p.Instr, s.Instr, ch.Make)
			}
			if !both {
				continue
			}
			name := c.closedName(g)
			what := "close"
			if p.Deferred {
				what = "deferred close"
			}
			c.r.Report(analysis.Diagnostic{
				Pos: c.start(g.Instr), End: c.closeEnd(g), Category: catDouble,
				Message: sprintf("%s closed by this goroutine and by the function that starts it (%s at %s): whichever runs second panics (closing a closed channel); let one side close it",
					name, what, c.shortPos(p.Instr)),
				Related: []analysis.RelatedInformation{{Pos: c.start(p.Instr), Message: "the starting function's " + what + " of " + name}},
			})
			return
		}
	}
}

// shortPos returns file:line of an instruction's syntax.
func (c *checker) shortPos(instr ssa.Instruction) string {
	return syntax.ShortPos(c.pass.Fset, c.start(instr))
}
