package lockset

import (
	"cmp"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/boolguard"
	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syncapi"
)

// A hold is a lock held at some point: its identity and how it was taken.
type hold struct {
	id   ID
	lock Lock
}

// A deferral is an unlock that a defer statement runs at every exit of the function, or, with relock, a
// lock that it takes again (defer mu.Lock(), or a deferred function literal that locks a captured mutex).
type deferral struct {
	id     ID
	pos    token.Pos // the defer statement
	relock bool
}

// A state is what is known about locks before an instruction. may and must are sorted by compareHold, for
// cheap comparison. An unreached state (no path gets here yet) is the zero state with reached false.
type state struct {
	reached  bool
	may      []hold     // held on some path
	must     []hold     // held on every path
	deferred []deferral // deferred unlocks registered on some path
}

func sameID(a, b ID) bool { return a.Same(b) }

func indexOf(hs []hold, id ID) int {
	return slices.IndexFunc(hs, func(h hold) bool { return sameID(h.id, id) })
}

func with(hs []hold, h hold) []hold {
	out := without(hs, h.id)
	out = append(out, h)
	slices.SortFunc(out, compareHold)
	return out
}

func without(hs []hold, id ID) []hold {
	return slices.DeleteFunc(slices.Clone(hs), func(h hold) bool { return sameID(h.id, id) })
}

// union merges two sets; where both hold a lock, the earlier Lock call names it.
func union(a, b []hold) []hold {
	out := slices.Clone(a)
	for _, h := range b {
		i := indexOf(out, h.id)
		switch {
		case i < 0:
			out = append(out, h)
		case h.lock.Pos < out[i].lock.Pos:
			out[i] = h
		}
	}
	slices.SortFunc(out, compareHold)
	return out
}

// intersect keeps the locks held in both sets; a lock held for writing on one path and reading on the other
// is held for reading, named by the earlier Lock call.
func intersect(a, b []hold) []hold {
	var out []hold
	for _, h := range a {
		i := indexOf(b, h.id)
		if i < 0 {
			continue
		}
		o := b[i]
		if o.lock.Pos < h.lock.Pos {
			h, o = o, h
		}
		h.lock.Read = h.lock.Read || o.lock.Read
		out = append(out, h)
	}
	slices.SortFunc(out, compareHold)
	return out
}

func compareHold(a, b hold) int {
	if c := cmp.Compare(a.lock.Pos, b.lock.Pos); c != 0 {
		return c
	}
	return strings.Compare(a.id.path, b.id.path)
}

func join(a, b state) state {
	switch {
	case !a.reached:
		return b
	case !b.reached:
		return a
	}
	d := slices.Clone(a.deferred)
	for _, x := range b.deferred {
		if !slices.Contains(d, x) {
			d = append(d, x)
		}
	}
	slices.SortStableFunc(d, compareDeferral)
	return state{reached: true, may: union(a.may, b.may), must: intersect(a.must, b.must), deferred: d}
}

// compareDeferral orders deferrals by defer statement, unlocks first, then by mutex path.
func compareDeferral(x, y deferral) int {
	if c := cmp.Compare(x.pos, y.pos); c != 0 {
		return c
	}
	if x.relock != y.relock {
		if x.relock {
			return 1
		}
		return -1
	}
	return cmp.Or(strings.Compare(x.id.Class, y.id.Class), strings.Compare(x.id.path, y.id.path))
}

func equalState(a, b state) bool {
	return a.reached == b.reached && slices.Equal(a.may, b.may) && slices.Equal(a.must, b.must) && slices.Equal(a.deferred, b.deferred)
}

// acquire and release change both sets.
func (s state) acquire(h hold) state {
	s.may, s.must = with(s.may, h), with(s.must, h)
	return s
}

func (s state) release(id ID) state {
	s.may, s.must = without(s.may, id), without(s.must, id)
	return s
}

// A release is an Unlock, in a function, of a mutex reached from one of its parameters (or, in a closure,
// free variables): a call releases the caller's lock at the argument's path followed by path.
type release struct {
	free  bool // idx is a free variable of a closure
	idx   int
	path  string
	write bool // Unlock rather than RUnlock
}

// releasesOf returns the mutexes that fn unlocks through its parameters (receiver included) or free
// variables, on any path, without locking them itself: the locks it releases on its caller's behalf; and
// all the mutexes it unlocks through them, whether or not it locks them too.
func releasesOf(fn *ssa.Function) (pure, all, locks []release) {
	var unlocked, locked []release
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if _, isGo := instr.(*ssa.Go); !ok || isGo {
				continue // a deferred call counts: defer mu.Lock() after mu.Unlock() takes the lock back
			}
			op, recv := lockCall(call.Common())
			if op == syncapi.NotLock {
				continue
			}
			id, ok := idOf(recv)
			if !ok {
				continue
			}
			r := release{idx: -1, path: id.path, write: op == syncapi.Unlock}
			switch root := id.root.(type) {
			case *ssa.Parameter:
				r.idx = slices.Index(fn.Params, root)
			case *ssa.FreeVar:
				r.free, r.idx = true, slices.Index(fn.FreeVars, root)
			}
			if r.idx < 0 {
				continue
			}
			if op == syncapi.Unlock || op == syncapi.RUnlock {
				unlocked = append(unlocked, r)
			} else {
				r.write = false
				locked = append(locked, r)
			}
		}
	}
	pure = slices.DeleteFunc(slices.Clone(unlocked), func(r release) bool {
		return slices.ContainsFunc(locked, func(l release) bool { return l.free == r.free && l.idx == r.idx && l.path == r.path })
	})
	return pure, unlocked, locked
}

// closureOf returns the closure that a call through v calls: v itself, or a local variable that the
// function assigns one closure, once (a recursive closure: var f func(); f = func() { ... f() ... }).
func closureOf(v ssa.Value) *ssa.MakeClosure {
	switch v := v.(type) {
	case *ssa.MakeClosure:
		return v
	case *ssa.UnOp:
		if alloc, ok := v.X.(*ssa.Alloc); ok && v.Op == token.MUL {
			return assignedClosure(alloc)
		}
	}
	return nil
}

// capturedClosure returns the closure that a call through v calls in fn, the function of the closure mc:
// a variable of mc's maker that mc captures, and that its maker assigns one closure, once.
func capturedClosure(v ssa.Value, fn *ssa.Function, mc *ssa.MakeClosure) *ssa.MakeClosure {
	u, ok := v.(*ssa.UnOp)
	if !ok || u.Op != token.MUL {
		return nil
	}
	fv, ok := u.X.(*ssa.FreeVar)
	if !ok {
		return nil
	}
	if i := slices.Index(fn.FreeVars, fv); i >= 0 && i < len(mc.Bindings) {
		if alloc, ok := mc.Bindings[i].(*ssa.Alloc); ok {
			return assignedClosure(alloc)
		}
	}
	return nil
}

// assignedClosure returns the closure stored in the local variable alloc, when it is stored once and no
// closure that captures the variable assigns it.
func assignedClosure(alloc *ssa.Alloc) *ssa.MakeClosure {
	var mc *ssa.MakeClosure
	for _, ref := range *alloc.Referrers() {
		switch ref := ref.(type) {
		case *ssa.Store:
			c, ok := ref.Val.(*ssa.MakeClosure)
			if !ok || mc != nil || ref.Addr != alloc {
				return nil
			}
			mc = c
		case *ssa.UnOp:
		case *ssa.MakeClosure:
			if storesTo(ref, alloc) {
				return nil
			}
		default:
			return nil
		}
	}
	return mc
}

// storesTo reports whether the closure mc assigns the variable alloc that it captures.
func storesTo(mc *ssa.MakeClosure, alloc *ssa.Alloc) bool {
	fn := mc.Fn.(*ssa.Function)
	for i, b := range mc.Bindings {
		if b != alloc || i >= len(fn.FreeVars) {
			continue
		}
		for _, ref := range *fn.FreeVars[i].Referrers() {
			if st, ok := ref.(*ssa.Store); ok && st.Addr == fn.FreeVars[i] {
				return true
			}
		}
	}
	return false
}

// closureUnlocks returns the locks of the caller that a call of a closure may unlock, on some path: after
// the call their state is unknown.
func (a *analysis) closureUnlocks(c *ssa.CallCommon) []ID {
	mc := closureOf(c.Value)
	if mc == nil {
		return nil
	}
	if ids, ok := a.closureIDs[mc]; ok {
		return ids
	}
	ids := a.unlocksOf(mc, make(map[*ssa.MakeClosure]bool))
	a.closureIDs[mc] = ids
	return ids
}

// unlocksOf returns the locks, in the terms of the function that makes mc, that a call of the closure mc
// may unlock on some path: those it unlocks through the variables it captures, directly or through the
// closures of the same maker that it calls (fzf's doActions calling doAction).
func (a *analysis) unlocksOf(mc *ssa.MakeClosure, seen map[*ssa.MakeClosure]bool) []ID {
	if seen[mc] {
		return nil
	}
	seen[mc] = true
	fn := mc.Fn.(*ssa.Function)
	ids := boundIDs(mc, a.mayUnlock[fn])
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok {
				if inner := capturedClosure(call.Call.Value, fn, mc); inner != nil {
					ids = append(ids, a.unlocksOf(inner, seen)...)
				}
			}
		}
	}
	return ids
}

// analysis holds what the flow analysis of each function of a package needs.
type analysis struct {
	names      map[token.Pos]string        // receivers of Lock calls as written, by Lparen
	releases   map[*ssa.Function][]release // locks that functions of the package release for their callers
	mayUnlock  map[*ssa.Function][]release // locks that functions of the package unlock for their callers on some path
	mayLock    map[*ssa.Function][]release // locks of their callers that closures of the package lock on some path
	closureIDs map[*ssa.MakeClosure][]ID   // closureUnlocks, by closure
	fn         *ssa.Function               // the function under analysis
	unlocked   map[rootPath]bool           // the mutexes fn unlocks somewhere, computed at the first hand-off
}

// A rootPath is a lock's instance: its root value and field path (ID.Same).
type rootPath struct {
	root ssa.Value
	path string
}

// unlockedIn returns the mutexes that fn unlocks (or defers unlocking), by instance.
func unlockedIn(fn *ssa.Function) map[rootPath]bool {
	out := make(map[rootPath]bool)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if op, recv := lockCall(call.Common()); op == syncapi.Unlock || op == syncapi.RUnlock {
				if id, ok := idOf(recv); ok {
					out[rootPath{id.root, id.path}] = true
				}
			}
		}
	}
	return out
}

// handOff releases the locks held on v, a value that instr publishes (stores to memory, sends on a
// channel, puts in a map, passes to a goroutine), when the function never unlocks them: the lock goes with
// the value to whoever unlocks it, as a pipeline stage locks an element that a worker unlocks.
func (a *analysis) handOff(s state, v ssa.Value) state {
	for _, h := range s.may {
		if h.id.root != v {
			continue
		}
		if a.unlocked == nil {
			a.unlocked = unlockedIn(a.fn)
		}
		if !a.unlocked[rootPath{h.id.root, h.id.path}] {
			s = s.release(h.id)
		}
	}
	return s
}

// analyze computes the lock state at each block of fn by a forward analysis (may: union at joins; must:
// intersection), then records the state before each instruction.
func (a *analysis) analyze(fn *ssa.Function, res *Result) {
	if len(fn.Blocks) == 0 {
		return // external or not built
	}
	f := &Func{Fn: fn}
	a.fn, a.unlocked = fn, nil
	in := make([]state, len(fn.Blocks))
	in[0] = state{reached: true}
	work := []*ssa.BasicBlock{fn.Blocks[0]}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		out, live := a.block(b, in[b.Index], nil)
		if !live {
			continue // a panic or a call that does not return ends every path through b
		}
		for i, succ := range b.Succs {
			e := a.edge(b, i, out)
			if succ.Dominates(b) {
				e = iterationLocal(e, succ)
			}
			next := join(in[succ.Index], e)
			if !equalState(next, in[succ.Index]) {
				in[succ.Index] = next
				work = append(work, succ)
			}
		}
	}
	loops := ssaform.LoopBlocks(fn)
	for _, b := range fn.Blocks {
		if !in[b.Index].reached {
			continue
		}
		a.block(b, in[b.Index], func(instr ssa.Instruction, s state) {
			if len(s.may) > 0 && instr.Pos().IsValid() {
				record(res, instr.Pos(), s.may)
			}
			if len(s.must) > 0 {
				switch instr.(type) {
				case *ssa.FieldAddr, *ssa.Call:
					res.must[instr] = s.export().Must
				}
			}
			a.observe(f, instr, s, loops[b])
		})
	}
	if len(f.Ops) > 0 {
		res.funcs = append(res.funcs, f)
		res.byFn[fn] = f
	}
}

// iterationLocal returns s on a loop's back edge to header: the locks of values that each iteration makes
// anew (a range element, a value received or loaded in the body) are those of the iteration that ends; the
// next iteration's value is another instance (wireguard locks each pooled container it receives, as a
// completion signal, and never unlocks it). What happens to them next is not known: they are released.
func iterationLocal(s state, header *ssa.BasicBlock) state {
	for _, h := range s.may {
		if instr, ok := h.id.root.(ssa.Instruction); ok && instr.Block() != nil && header.Dominates(instr.Block()) {
			s = s.release(h.id)
		}
	}
	return s
}

// block applies the instructions of b to s, calling visit (if not nil) with the state before each. It
// reports false when b does not reach its successors: it calls a function that does not return.
func (a *analysis) block(b *ssa.BasicBlock, s state, visit func(ssa.Instruction, state)) (state, bool) {
	for _, instr := range b.Instrs {
		if visit != nil {
			visit(instr, s)
		}
		if call, ok := instr.(*ssa.Call); ok && ssaform.NoReturn(call.Common()) {
			return s, false
		}
		s = a.transfer(instr, s)
	}
	return s, true
}

func record(res *Result, pos token.Pos, may []hold) {
	locks := res.held[pos]
	for _, h := range may {
		if !slices.ContainsFunc(locks, func(l Lock) bool { return l.Pos == h.lock.Pos && l.Name == h.lock.Name }) {
			locks = append(locks, h.lock)
		}
	}
	slices.SortFunc(locks, func(a, b Lock) int { return cmp.Compare(a.Pos, b.Pos) })
	res.held[pos] = locks
}

// transfer applies one instruction: Lock and RLock acquire, Unlock and RUnlock release, and so does a call
// to a function of the package that unlocks a mutex reached from its arguments, or the publication of a
// locked value that the function never unlocks (handOff); a defer of an unlock registers it for the exits. An Unlock whose mutex cannot be matched to a held lock, by identity or by
// spelling, releases every held lock: precision first, a lock we lost track of is not held.
func (a *analysis) transfer(instr ssa.Instruction, s state) state {
	if len(s.may) > 0 {
		switch instr := instr.(type) {
		case *ssa.Store:
			s = a.handOff(s, instr.Val)
		case *ssa.Send:
			s = a.handOff(s, instr.X)
		case *ssa.MapUpdate:
			s = a.handOff(s, instr.Value)
		case *ssa.Go:
			for _, arg := range instr.Call.Args {
				s = a.handOff(s, arg)
			}
		}
	}
	switch instr := instr.(type) {
	case *ssa.Defer:
		for _, id := range a.unlocks(instr.Common()) {
			s = s.deferring(deferral{id: id, pos: instr.Pos()})
		}
		for _, id := range a.relocks(instr.Common()) {
			s = s.deferring(deferral{id: id, pos: instr.Pos(), relock: true})
		}
		return s
	case *ssa.Call:
		if len(s.may) == 0 && len(s.must) == 0 && !isLockCall(instr) {
			return s
		}
		if ids := a.closureUnlocks(instr.Common()); len(ids) > 0 {
			// A closure that unlocks a captured lock on some path (fzf's doAction: unlock, return false):
			// whether the lock is still held is not known, and a lock we lost track of is not held.
			for _, id := range ids {
				s = s.release(id)
			}
			return s
		}
		if rel := a.releases[instr.Common().StaticCallee()]; len(rel) > 0 {
			ids, ok := argIDs(instr.Common(), rel)
			if !ok {
				return state{reached: true, deferred: s.deferred}
			}
			for _, id := range ids {
				s = s.release(id)
			}
			return s
		}
		op, recv := lockCall(instr.Common())
		switch op {
		case syncapi.Lock, syncapi.RLock:
			id, ok := idOf(recv)
			if !ok {
				return s // a mutex in a slice element or reached otherwise: not tracked
			}
			return s.acquire(hold{id, Lock{Name: a.names[instr.Pos()], Pos: instr.Pos(), Read: op == syncapi.RLock}})
		case syncapi.Unlock, syncapi.RUnlock:
			if id, ok := idOf(recv); ok && indexOf(s.may, id) >= 0 {
				return s.release(id)
			}
			name := a.names[instr.Pos()]
			if i := slices.IndexFunc(s.may, func(h hold) bool { return h.lock.Name == name }); i >= 0 {
				return s.release(s.may[i].id)
			}
			return state{reached: true, deferred: s.deferred}
		}
	}
	return s
}

// deferring returns s with the deferral d registered.
func (s state) deferring(d deferral) state {
	s.deferred = append(slices.Clone(s.deferred), d)
	slices.SortStableFunc(s.deferred, compareDeferral)
	s.deferred = slices.Compact(s.deferred)
	return s
}

// relocks returns the locks that a deferred call takes: a Lock or RLock, or a function literal that locks
// a mutex it captures.
func (a *analysis) relocks(c *ssa.CallCommon) []ID {
	if op, recv := lockCall(c); op == syncapi.Lock || op == syncapi.RLock {
		if id, ok := idOf(recv); ok {
			return []ID{id}
		}
		return nil
	}
	if mc, ok := c.Value.(*ssa.MakeClosure); ok {
		return boundIDs(mc, a.mayLock[mc.Fn.(*ssa.Function)])
	}
	return nil
}

// unlocks returns the locks that a deferred call releases: an Unlock or RUnlock, a release helper of the
// package, or a function literal that unlocks a captured mutex.
func (a *analysis) unlocks(c *ssa.CallCommon) []ID {
	if op, recv := lockCall(c); op == syncapi.Unlock || op == syncapi.RUnlock {
		if id, ok := idOf(recv); ok {
			return []ID{id}
		}
		return nil
	}
	if mc, ok := c.Value.(*ssa.MakeClosure); ok {
		return boundIDs(mc, a.releases[mc.Fn.(*ssa.Function)])
	}
	if rel := a.releases[c.StaticCallee()]; len(rel) > 0 {
		ids, _ := argIDs(c, rel)
		return ids
	}
	return nil
}

// boundIDs returns the locks, in the terms of the function that makes the closure mc, that rel (of mc's
// function) reaches through the variables mc captures.
func boundIDs(mc *ssa.MakeClosure, rel []release) []ID {
	var ids []ID
	for _, r := range rel {
		if r.free && r.idx < len(mc.Bindings) {
			if id, ok := idOf(mc.Bindings[r.idx]); ok {
				id.path += r.path
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// argIDs returns the locks that a call's callee releases through its parameters, or false when an
// argument's mutex cannot be identified.
func argIDs(c *ssa.CallCommon, rel []release) ([]ID, bool) {
	var ids []ID
	for _, r := range rel {
		if r.free {
			continue
		}
		if r.idx >= len(c.Args) {
			return nil, false
		}
		id, ok := ArgID(c, r.idx, r.path)
		if !ok {
			return nil, false
		}
		ids = append(ids, id)
	}
	return ids, true
}

// ArgID returns the identity, in the caller, of the lock that the callee of c reaches from its parameter
// param (numbered as boolguard.Param: 0 for the receiver of a method) by path (".mu"). A call of a bound
// method value passes no receiver, and a promoted method's wrapper passes its own: boolguard.ArgValue maps
// the parameter to the argument, or gives up.
func ArgID(c *ssa.CallCommon, param int, path string) (ID, bool) {
	arg := boolguard.ArgValue(c, boolguard.Param(param))
	if arg == nil {
		return ID{}, false
	}
	id, ok := idOf(arg)
	if !ok {
		return ID{}, false
	}
	id.path += path
	switch {
	case path == "":
	case id.Class == "":
		// the argument is a pointer reached by a load (s, s.conn) or a local: the class starts at its type
		id.Kind, id.Class = Field, "("+types.TypeString(arg.Type(), nil)+")"+path
	default:
		id.Class += path // the address of a field (&s.state): the path goes on
	}
	return id, true
}

// isLockCall reports whether instr calls a sync.Mutex or sync.RWMutex method.
func isLockCall(call *ssa.Call) bool {
	op, _ := lockCall(call.Common())
	return op != syncapi.NotLock
}

// edge returns the state along the i'th successor edge of b: a lock acquired by TryLock is held only where
// it returned true.
func (a *analysis) edge(b *ssa.BasicBlock, i int, out state) state {
	if len(b.Instrs) == 0 || i != 0 {
		return out
	}
	ifInstr, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return out
	}
	call, ok := condCall(ifInstr)
	if !ok {
		return out
	}
	op, recv := lockCall(call.Common())
	if op != syncapi.TryLock && op != syncapi.TryRLock {
		return out
	}
	id, ok := idOf(recv)
	if !ok {
		return out
	}
	return out.acquire(hold{id, Lock{Name: a.names[call.Pos()], Pos: call.Pos(), Read: op == syncapi.TryRLock}})
}

// condCall returns the call whose result the If tests: its condition, or a load of a local variable that
// the If's block stores the call's result in with no call in between (if ok = mu.TryLock(); !ok, with ok a
// named result).
func condCall(ifInstr *ssa.If) (*ssa.Call, bool) {
	switch cond := ifInstr.Cond.(type) {
	case *ssa.Call:
		return cond, true
	case *ssa.UnOp:
		alloc, ok := cond.X.(*ssa.Alloc)
		if cond.Op != token.MUL || !ok {
			return nil, false
		}
		instrs := cond.Block().Instrs
		i := slices.Index(instrs, ssa.Instruction(cond))
		for i--; i >= 0; i-- {
			switch instr := instrs[i].(type) {
			case *ssa.Store:
				if instr.Addr == alloc {
					call, ok := instr.Val.(*ssa.Call)
					return call, ok && call.Block() == cond.Block()
				}
			case ssa.CallInstruction:
				return nil, false // it may write the variable through a pointer
			}
		}
	}
	return nil, false
}

// lockCall classifies a static call to a sync.Mutex or sync.RWMutex method, or a call of sync.Locker's
// methods through the interface, and returns its receiver.
func lockCall(c *ssa.CallCommon) (syncapi.LockOp, ssa.Value) {
	if c.IsInvoke() {
		return syncapi.LockOpOf(c.Method), c.Value
	}
	if len(c.Args) == 0 {
		return syncapi.NotLock, nil
	}
	return syncapi.LockOpOf(ssaform.Callee(c)), c.Args[0]
}
