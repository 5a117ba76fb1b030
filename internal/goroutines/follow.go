package goroutines

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syncapi"
)

// spawnsOf returns the goroutines fn starts: go statements, and Go method calls with a function literal or
// a function of the package.
func spawnsOf(fn *ssa.Function) []*Spawn {
	var out []*Spawn
	var loops map[*ssa.BasicBlock]bool // computed at the first start: most functions have none
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			body := spawnedBody(instr)
			if _, isGo := instr.(*ssa.Go); body != nil || isGo {
				if loops == nil {
					loops = ssaform.LoopBlocks(fn)
				}
				out = append(out, &Spawn{Instr: instr, Parent: fn, Body: body, InLoop: loops[b]})
			}
		}
	}
	return out
}

// spawnedBody returns the function that instr runs in a new goroutine, if it is a go statement or a call
// of errgroup.Group.Go or sync.WaitGroup.Go with a function literal or a source function.
func spawnedBody(instr ssa.Instruction) *ssa.Function {
	var v ssa.Value
	switch instr := instr.(type) {
	case *ssa.Go:
		v = instr.Call.Value
	case *ssa.Call:
		if !isGoMethod(&instr.Call) || len(instr.Call.Args) != 2 {
			return nil
		}
		v = instr.Call.Args[1]
	default:
		return nil
	}
	switch v := v.(type) {
	case *ssa.MakeClosure:
		return v.Fn.(*ssa.Function)
	case *ssa.Function:
		if len(v.Blocks) > 0 && v.Synthetic == "" {
			return v
		}
	}
	return nil
}

// isGoMethod reports whether c calls a method that runs its callback in a new goroutine
// (syncapi.GoCallback: errgroup.Group.Go and TryGo, sync.WaitGroup.Go).
func isGoMethod(c *ssa.CallCommon) bool {
	return syncapi.GoCallback(ssaform.Callee(c)) != syncapi.NotStart
}

// A follower collects the uses of one channel across the parent and its goroutines.
type follower struct {
	c       *Chan
	ranges  map[token.Pos]bool
	escaped bool
	seen    map[ssa.Value]bool
	loops   map[*ssa.Function]map[*ssa.BasicBlock]bool
}

// follow returns the channel made by mk with its uses, or nil if its capacity is not constant or it
// escapes.
func follow(parent *ssa.Function, mk *ssa.MakeChan, spawns []*Spawn, ranges map[token.Pos]bool) *Chan {
	size, ok := mk.Size.(*ssa.Const)
	if !ok {
		return nil
	}
	return followCap(parent, mk, size.Int64(), spawns, ranges)
}

// Local returns the channel mk makes in fn with its uses, or nil if it escapes: the model of Result.Chans
// for any function, whether or not it starts goroutines, and any capacity (Cap is -1 when it is not a
// constant). A range loop's receive is a Recv here.
func Local(fn *ssa.Function, mk *ssa.MakeChan) *Chan {
	size := int64(-1)
	if k, ok := mk.Size.(*ssa.Const); ok {
		size = k.Int64()
	}
	return followCap(fn, mk, size, spawnsOf(fn), nil)
}

func followCap(parent *ssa.Function, mk *ssa.MakeChan, size int64, spawns []*Spawn, ranges map[token.Pos]bool) *Chan {
	f := &follower{
		c:      &Chan{Parent: parent, Make: mk, Cap: size, AllSpawn: spawns},
		ranges: ranges,
		seen:   make(map[ssa.Value]bool),
		loops:  make(map[*ssa.Function]map[*ssa.BasicBlock]bool),
	}
	f.value(mk, nil)
	if f.escaped {
		return nil
	}
	return f.c
}

func (f *follower) inLoop(b *ssa.BasicBlock) bool {
	fn := b.Parent()
	if f.loops[fn] == nil {
		f.loops[fn] = ssaform.LoopBlocks(fn)
	}
	return f.loops[fn][b]
}

// value follows the uses of v, which holds the channel, in the parent (spawn nil) or a goroutine body.
func (f *follower) value(v ssa.Value, spawn *Spawn) {
	if f.escaped || f.seen[v] {
		return
	}
	f.seen[v] = true
	refs := v.Referrers()
	if refs == nil {
		return
	}
	for _, ref := range *refs {
		if f.escaped {
			return
		}
		f.use(v, ref, spawn)
	}
}

// use records one use of v, or marks the channel escaped.
func (f *follower) use(v ssa.Value, ref ssa.Instruction, spawn *Spawn) {
	switch ref := ref.(type) {
	case *ssa.DebugRef:
	case *ssa.Send:
		if ref.Chan != v {
			f.escaped = true // the channel is sent as a value
			return
		}
		f.add(&Op{Kind: Send, Instr: ref, Spawn: spawn, InLoop: f.inLoop(ref.Block())})
	case *ssa.UnOp:
		switch ref.Op {
		case token.ARROW:
			kind := Recv
			if f.ranges[ref.Pos()] {
				kind = Range
			}
			f.add(&Op{Kind: kind, Instr: ref, Spawn: spawn, InLoop: f.inLoop(ref.Block())})
		case token.MUL:
			f.value(ref, spawn) // a load from the variable that holds the channel
		default:
			f.escaped = true
		}
	case *ssa.ChangeType:
		f.value(ref, spawn) // chan T to <-chan T or chan<- T
	case *ssa.Select:
		f.selectCases(v, ref, spawn)
	case *ssa.Store:
		f.store(v, ref, spawn)
	case *ssa.MakeClosure:
		f.closure(v, ref, spawn)
	case *ssa.Go:
		f.goArgs(v, ref, spawn)
	case *ssa.Call:
		f.call(v, ref, spawn)
	case *ssa.Defer:
		if IsClose(&ref.Call) {
			f.add(&Op{Kind: Close, Instr: ref, Spawn: spawn, Deferred: true})
			return
		}
		f.escaped = true
	default:
		f.escaped = true // returned, stored in a structure, converted, merged in a phi, ...
	}
}

// selectCases records each case of a select on the channel.
func (f *follower) selectCases(v ssa.Value, sel *ssa.Select, spawn *Spawn) {
	for i, st := range sel.States {
		if st.Chan != v {
			if st.Send == v {
				f.escaped = true
			}
			continue
		}
		kind := Recv
		if st.Dir == types.SendOnly {
			kind = Send
		}
		f.add(&Op{Kind: kind, Instr: sel, Spawn: spawn, Select: !sel.Blocking || len(sel.States) > 1, InLoop: f.inLoop(sel.Block()), Case: caseEdge(sel, i)})
	}
}

// caseEdge returns the edge taken when case i of sel is chosen: the true branch of the If that compares
// sel's chosen index with i.
func caseEdge(sel *ssa.Select, i int) *Edge {
	for _, ref := range *sel.Referrers() {
		ext, ok := ref.(*ssa.Extract)
		if !ok || ext.Index != 0 {
			continue
		}
		for _, r := range *ext.Referrers() {
			cmp, ok := r.(*ssa.BinOp)
			if !ok || cmp.Op != token.EQL {
				continue
			}
			if k, ok := cmp.Y.(*ssa.Const); !ok || k.Int64() != int64(i) {
				continue
			}
			for _, rr := range *cmp.Referrers() {
				if ifInstr, ok := rr.(*ssa.If); ok {
					return &Edge{ifInstr.Block(), ifInstr.Block().Succs[0]}
				}
			}
		}
	}
	return nil
}

// store follows a store of the channel into a local variable that is assigned nothing else.
func (f *follower) store(v ssa.Value, st *ssa.Store, spawn *Spawn) {
	alloc, ok := st.Addr.(*ssa.Alloc)
	if !ok || st.Val != v {
		f.escaped = true
		return
	}
	for _, ref := range *alloc.Referrers() {
		if other, ok := ref.(*ssa.Store); ok && other != st {
			f.escaped = true // the variable is assigned another channel too
			return
		}
	}
	f.cell(alloc, spawn)
}

// cell follows the uses of a variable (an Alloc or a captured FreeVar) that holds the channel.
func (f *follower) cell(cell ssa.Value, spawn *Spawn) {
	if f.seen[cell] {
		return
	}
	f.seen[cell] = true
	for _, ref := range *cell.Referrers() {
		switch ref := ref.(type) {
		case *ssa.DebugRef, *ssa.Store:
		case *ssa.UnOp:
			if ref.Op != token.MUL {
				f.escaped = true
				return
			}
			f.value(ref, spawn)
		case *ssa.MakeClosure:
			f.closure(cell, ref, spawn)
		default:
			f.escaped = true // the variable's address is taken
			return
		}
	}
}

// closure follows a channel variable captured by a function literal: the body of a goroutine started
// here, or a literal the goroutine or parent calls directly. Any other literal makes the channel escape.
func (f *follower) closure(v ssa.Value, mc *ssa.MakeClosure, spawn *Spawn) {
	fn := mc.Fn.(*ssa.Function)
	idx := -1
	for i, b := range mc.Bindings {
		if b == v {
			idx = i
		}
	}
	if idx < 0 {
		f.escaped = true
		return
	}
	body := spawn
	for _, ref := range *mc.Referrers() {
		switch ref := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.Go:
			if ref.Call.Value != mc {
				f.escaped = true
				return
			}
			body = f.spawnFor(ref)
		case *ssa.Call:
			if ref.Call.Value == mc {
				continue // called here: its uses are those of the current function
			}
			if !isGoMethod(&ref.Call) {
				f.escaped = true
				return
			}
			body = f.spawnFor(ref)
		default:
			f.escaped = true
			return
		}
	}
	fv := fn.FreeVars[idx]
	if _, isPtr := fv.Type().Underlying().(*types.Pointer); isPtr {
		f.cell(fv, body)
	} else {
		f.value(fv, body)
	}
}

// spawnFor returns the Spawn of a go instruction or Go call of the parent, adding it to the channel's
// spawns; nil if it is not one of the parent's spawn sites (a goroutine started by a goroutine).
func (f *follower) spawnFor(instr ssa.Instruction) *Spawn {
	for _, s := range f.c.AllSpawn {
		if s.Instr == instr {
			for _, have := range f.c.Spawns {
				if have == s {
					return s
				}
			}
			f.c.Spawns = append(f.c.Spawns, s)
			return s
		}
	}
	f.escaped = true
	return nil
}

// goArgs follows the channel passed as an argument to a goroutine body of the package.
func (f *follower) goArgs(v ssa.Value, g *ssa.Go, spawn *Spawn) {
	body := spawnedBody(g)
	if body == nil || spawn != nil || len(g.Call.Args) != len(body.Params) {
		f.escaped = true
		return
	}
	s := f.spawnFor(g)
	if s == nil {
		return
	}
	for i, a := range g.Call.Args {
		if a == v && i < len(body.Params) {
			f.value(body.Params[i], s)
		}
	}
}

// call records close(ch) and ignores len and cap; any other call makes the channel escape.
func (f *follower) call(v ssa.Value, call *ssa.Call, spawn *Spawn) {
	if IsClose(&call.Call) {
		f.add(&Op{Kind: Close, Instr: call, Spawn: spawn})
		return
	}
	if b, ok := call.Call.Value.(*ssa.Builtin); ok && (b.Object() == types.Universe.Lookup("len") || b.Object() == types.Universe.Lookup("cap")) {
		return
	}
	f.escaped = true
}

// IsClose reports whether c calls the builtin close.
func IsClose(c *ssa.CallCommon) bool {
	b, ok := c.Value.(*ssa.Builtin)
	return ok && b.Object() == types.Universe.Lookup("close")
}

func (f *follower) add(op *Op) { f.c.Ops = append(f.c.Ops, op) }
