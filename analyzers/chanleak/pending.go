package chanleak

import (
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/goroutines"
)

// unbounded stands for a number of pending sends that no constant bounds.
const unbounded = -1

// sendBound bounds the sends on the channel that one run of a goroutine body makes: the largest number of
// sends on one path through the body, or unbounded when a send is in a loop. Sends in function literals
// the body calls are counted as goroutines.MaxSends counts them.
func sendBound(body *ssa.Function, sends []*goroutines.Op) int {
	count := make(map[*ssa.BasicBlock]int)
	for _, o := range sends {
		if o.InLoop {
			return unbounded
		}
		if body == nil || o.Instr.Parent() != body {
			return goroutines.MaxSends(sends)
		}
		count[o.Instr.Block()]++
	}
	if len(sends) == 0 || len(body.Blocks) == 0 {
		return 0
	}
	// Longest path by sends. A block with a send is on no cycle, so every cycle weighs nothing and the
	// iteration settles within one round per block.
	most := make(map[*ssa.BasicBlock]int)
	for range len(body.Blocks) + 1 {
		changed := false
		for _, b := range body.Blocks {
			best := 0
			for _, s := range b.Succs {
				best = max(best, most[s])
			}
			if v := count[b] + best; v != most[b] {
				most[b], changed = v, true
			}
		}
		if !changed {
			break
		}
	}
	return most[body.Blocks[0]]
}

// overflow returns the first send, in source order, that can block once n sends before it went through
// (received, or held by the buffer): the (n+1)th send on some path through body, and the send before it
// on that path (nil for the first send), or nil when the sends are not all in body or none is. The sends
// are on no cycle (sendBound is not unbounded).
func overflow(body *ssa.Function, sends []*goroutines.Op, n int) (send, before *goroutines.Op) {
	if body == nil || len(body.Blocks) == 0 {
		return nil, nil
	}
	at := make(map[ssa.Instruction]*goroutines.Op)
	for _, o := range sends {
		if o.Instr.Parent() != body {
			return nil, nil
		}
		at[o.Instr] = o
	}
	// in[b]: the most sends on a path from the entry to b, and the last of them.
	type count struct {
		n    int
		last *goroutines.Op
	}
	in := make(map[*ssa.BasicBlock]count)
	for range len(body.Blocks) + 1 {
		changed := false
		for _, b := range body.Blocks {
			c := in[b]
			for _, instr := range b.Instrs {
				if o := at[instr]; o != nil {
					c = count{c.n + 1, o}
				}
			}
			for _, succ := range b.Succs {
				if c.n > in[succ].n {
					in[succ], changed = c, true
				}
			}
		}
		if !changed {
			break
		}
	}
	for _, o := range sends { // in source order
		c := in[o.Instr.Block()]
		for _, instr := range o.Instr.Block().Instrs {
			if instr == o.Instr {
				break
			}
			if p := at[instr]; p != nil {
				c = count{c.n + 1, p}
			}
		}
		if c.n >= n {
			return o, c.last
		}
	}
	return nil, nil
}

// cuts is a set of instructions and select-case edges that a path must not pass.
type cuts struct {
	instrs map[ssa.Instruction]bool
	edges  map[goroutines.Edge]bool
}

func newCuts() cuts {
	return cuts{instrs: make(map[ssa.Instruction]bool), edges: make(map[goroutines.Edge]bool)}
}

// addRecv adds a receive: its select-case edge, or the receive itself when it waits on this channel alone.
// It reports false for a receive it cannot place (a select case whose edge go/ssa did not build).
func (c cuts) addRecv(o *goroutines.Op) bool {
	switch {
	case o.Case != nil:
		c.edges[*o.Case] = true
	case !o.Select:
		c.instrs[o.Instr] = true
	default:
		return false
	}
	return true
}

// reachesAvoiding reports whether one of targets can execute after from (or, with from nil, from the
// entry of fn) on a path that passes none of the cuts.
func reachesAvoiding(fn *ssa.Function, from ssa.Instruction, targets map[ssa.Instruction]bool, cut cuts) bool {
	seen := make(map[*ssa.BasicBlock]bool)
	var scan func(b *ssa.BasicBlock, start int) bool
	scan = func(b *ssa.BasicBlock, start int) bool {
		for _, instr := range b.Instrs[start:] {
			if targets[instr] {
				return true
			}
			if cut.instrs[instr] {
				return false
			}
		}
		for _, s := range b.Succs {
			if cut.edges[goroutines.Edge{From: b, To: s}] || seen[s] {
				continue
			}
			seen[s] = true
			if scan(s, 0) {
				return true
			}
		}
		return false
	}
	if from == nil {
		if len(fn.Blocks) == 0 {
			return false
		}
		seen[fn.Blocks[0]] = true
		return scan(fn.Blocks[0], 0)
	}
	b := from.Block()
	for i, instr := range b.Instrs {
		if instr == from {
			return scan(b, i+1)
		}
	}
	return false
}

// requestChan returns a channel req on which the goroutine s receives a request before each of its
// replies, so that it sends at most one reply per request (a worker's one reply per request); the parent
// alone sends on req. The replies are its sends on ch, and if that holds for them too, on the other
// channels only s sends on (a result or an error): the reply channels are returned with req. It returns
// nil if there is no such req.
func (c *checker) requestChan(ch *goroutines.Chan, s *goroutines.Spawn) (req *goroutines.Chan, replies []*goroutines.Chan) {
	if s.Body == nil || anyOp(ch.Ops, func(o *goroutines.Op) bool { return o.Spawn != s && o.Kind == goroutines.Send }) {
		return nil, nil // the parent's receives on ch may take another's values
	}
	var all []*goroutines.Chan // ch and every other channel on which s alone sends
	for _, r := range c.chans {
		if r.Parent != ch.Parent {
			continue
		}
		sendsHere := anyOp(r.Ops, func(o *goroutines.Op) bool { return o.Spawn == s && o.Kind == goroutines.Send })
		others := anyOp(r.Ops, func(o *goroutines.Op) bool { return o.Spawn != s && o.Kind == goroutines.Send })
		if r == ch || sendsHere && !others {
			all = append(all, r)
		}
	}
	for _, req := range c.chans {
		if req.Parent != ch.Parent || slices.Contains(all, req) {
			continue
		}
		if anyOp(req.Ops, func(o *goroutines.Op) bool { return o.Kind == goroutines.Send && o.Spawn != nil }) {
			continue // a goroutine sends requests too: they are not counted
		}
		cut := newCuts()
		placed := true
		for _, o := range req.Ops {
			if o.Spawn == s && isRecv(o) {
				placed = placed && o.Instr.Parent() == s.Body && cut.addRecv(o)
			}
		}
		if !placed || len(cut.instrs)+len(cut.edges) == 0 {
			continue
		}
		if oneReplyPerRequest(s, all, cut) {
			return req, all
		}
		if len(all) > 1 && oneReplyPerRequest(s, []*goroutines.Chan{ch}, cut) {
			return req, []*goroutines.Chan{ch}
		}
	}
	return nil, nil
}

// oneReplyPerRequest reports whether s, between two passes through cut (its receives of a request), sends
// at most once on the replies, and never before the first request.
func oneReplyPerRequest(s *goroutines.Spawn, replies []*goroutines.Chan, cut cuts) bool {
	targets := make(map[ssa.Instruction]bool)
	for _, r := range replies {
		for _, o := range r.Ops {
			if o.Spawn == s && o.Kind == goroutines.Send {
				if o.Instr.Parent() != s.Body {
					return false
				}
				targets[o.Instr] = true
			}
		}
	}
	if reachesAvoiding(s.Body, nil, targets, cut) {
		return false // a send before the first request
	}
	for t := range targets {
		if reachesAvoiding(s.Body, t, targets, cut) {
			return false // two sends for one request
		}
	}
	return true
}

// pendingExit searches the parent, from the spawn of s to a return, for a path on which more sends of s on
// ch than its capacity are pending: the sends s can make (bound, or with req not nil, one reply per
// request on req, on ch or another of the replies) less the parent's receives on the replies. Its receives count one each, a range or a comma-ok receive (which
// can tell the channel is closed) stops the path, and so does any receive once the pending sends are
// unbounded, because the parent may know the goroutine's last value. It returns the return reached, the
// first select on ch passed on the way, and the sends still pending there (or unbounded).
func (c *checker) pendingExit(ch *goroutines.Chan, s *goroutines.Spawn, bound int, req *goroutines.Chan, replies []*goroutines.Chan) (exit ssa.Instruction, via *ssa.Select, pending int) {
	recv := newCuts()
	stopRecv := make(map[ssa.Instruction]bool)
	selects := make(map[ssa.Instruction]bool)
	var ops []*goroutines.Op
	for _, r := range replies {
		ops = append(ops, r.Ops...)
	}
	for _, o := range ops {
		if o.Spawn != nil {
			continue
		}
		if o.Select && slices.Contains(ch.Ops, o) {
			selects[o.Instr] = true
		}
		if !isRecv(o) {
			continue
		}
		if u, ok := o.Instr.(*ssa.UnOp); o.Kind == goroutines.Range || ok && u.CommaOk {
			stopRecv[o.Instr] = true
			continue
		}
		recv.addRecv(o)
	}
	request := newCuts()
	if req != nil {
		for _, o := range req.Ops {
			if o.Spawn == nil && o.Kind == goroutines.Send {
				request.addRecv(o) // the same placement as a receive: its case edge, or the send itself
			}
		}
	}
	limit := int(ch.Cap) + 16 // beyond it, count as unbounded: the state space stays finite
	step := func(n int, recvd, requested bool) (int, bool) {
		switch {
		case recvd && n == unbounded:
			return 0, false
		case recvd:
			n = max(n-1, 0)
		case requested && n != unbounded:
			n++
			if n > limit {
				n = unbounded
			}
		}
		return n, true
	}
	type state struct {
		b   *ssa.BasicBlock
		n   int
		via *ssa.Select
	}
	seen := make(map[state]bool)
	var scan func(b *ssa.BasicBlock, start, n int, via *ssa.Select) (ssa.Instruction, *ssa.Select, int)
	scan = func(b *ssa.BasicBlock, start, n int, via *ssa.Select) (ssa.Instruction, *ssa.Select, int) {
		for _, instr := range b.Instrs[start:] {
			if stopRecv[instr] || goroutines.IsWait(instr) || goroutines.IsNoReturn(instr) {
				return nil, nil, 0
			}
			var ok bool
			if n, ok = step(n, recv.instrs[instr], request.instrs[instr]); !ok {
				return nil, nil, 0
			}
			if sel, ok := instr.(*ssa.Select); ok && selects[instr] && via == nil {
				via = sel
			}
			if _, ok := instr.(*ssa.Return); ok {
				if n == unbounded || n > int(ch.Cap) {
					return instr, via, n
				}
				return nil, nil, 0
			}
		}
		for _, succ := range b.Succs {
			e := goroutines.Edge{From: b, To: succ}
			m, ok := step(n, recv.edges[e], request.edges[e])
			st := state{succ, m, via}
			if !ok || seen[st] {
				continue
			}
			seen[st] = true
			if ret, v, n := scan(succ, 0, m, via); ret != nil {
				return ret, v, n
			}
		}
		return nil, nil, 0
	}
	b := s.Instr.Block()
	for i, instr := range b.Instrs {
		if instr == s.Instr {
			return scan(b, i+1, bound, nil)
		}
	}
	return nil, nil, 0
}
