package lockset

import (
	"cmp"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syncapi"
)

// A key identifies a mutex by the SSA value it is reached from and the field path from there, loads
// elided: c.mu is (c, ".mu") wherever it is spelled.
type key struct {
	root ssa.Value
	path string
}

type held struct {
	key  key
	lock Lock
}

// A state is the set of locks that may be held, sorted by key for cheap comparison.
type state []held

func (s state) with(h held) state {
	out := slices.Clone(s.without(h.key))
	out = append(out, h)
	slices.SortFunc(out, compareHeld)
	return out
}

func (s state) without(k key) state {
	return slices.DeleteFunc(slices.Clone(s), func(h held) bool { return h.key == k })
}

// union merges two states; where both hold a lock, the earlier Lock call names it.
func union(a, b state) state {
	out := slices.Clone(a)
	for _, h := range b {
		i := slices.IndexFunc(out, func(o held) bool { return o.key == h.key })
		switch {
		case i < 0:
			out = append(out, h)
		case h.lock.Pos < out[i].lock.Pos:
			out[i] = h
		}
	}
	slices.SortFunc(out, compareHeld)
	return out
}

func compareHeld(a, b held) int {
	if c := cmp.Compare(a.lock.Pos, b.lock.Pos); c != 0 {
		return c
	}
	return strings.Compare(a.key.path, b.key.path)
}

func equal(a, b state) bool { return slices.Equal(a, b) }

// analysis holds what the flow analysis of each function of a package needs.
type analysis struct {
	names    map[token.Pos]string        // receivers of Lock calls as written, by Lparen
	releases map[*ssa.Function][]release // locks that functions of the package release for their callers
}

// A release is an Unlock, in a function, of a mutex reached from one of its parameters: a call releases the
// caller's lock at the argument's path followed by path.
type release struct {
	param int
	path  string
}

// releasesOf returns the mutexes that fn unlocks through its parameters (receiver included), on any path,
// without locking them itself: the locks it releases on its caller's behalf.
func releasesOf(fn *ssa.Function) []release {
	var unlocked, locked []release
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			op, recv := lockCall(call.Common())
			if op == syncapi.NotLock {
				continue
			}
			k, ok := keyOf(recv)
			if !ok {
				continue
			}
			p, ok := k.root.(*ssa.Parameter)
			if !ok {
				continue
			}
			r := release{param: slices.Index(fn.Params, p), path: k.path}
			if op == syncapi.Unlock || op == syncapi.RUnlock {
				unlocked = append(unlocked, r)
			} else {
				locked = append(locked, r)
			}
		}
	}
	return slices.DeleteFunc(unlocked, func(r release) bool { return r.param < 0 || slices.Contains(locked, r) })
}

// analyze computes the lock state at each block of fn by a forward may-analysis (union at joins), then
// records the state before each instruction at which some lock may be held.
func (a *analysis) analyze(fn *ssa.Function, res *Result) {
	if len(fn.Blocks) == 0 {
		return // external or not built
	}
	in := make([]state, len(fn.Blocks))
	reached := make([]bool, len(fn.Blocks))
	reached[0] = true
	work := []*ssa.BasicBlock{fn.Blocks[0]}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		out := in[b.Index]
		for _, instr := range b.Instrs {
			out = a.transfer(instr, out)
		}
		for i, succ := range b.Succs {
			next := union(in[succ.Index], a.edge(b, i, out))
			if !reached[succ.Index] || !equal(next, in[succ.Index]) {
				reached[succ.Index] = true
				in[succ.Index] = next
				work = append(work, succ)
			}
		}
	}
	for _, b := range fn.Blocks {
		s := in[b.Index]
		for _, instr := range b.Instrs {
			if len(s) > 0 && instr.Pos().IsValid() {
				record(res, instr.Pos(), s)
			}
			s = a.transfer(instr, s)
		}
	}
}

func record(res *Result, pos token.Pos, s state) {
	locks := res.held[pos]
	for _, h := range s {
		if !slices.ContainsFunc(locks, func(l Lock) bool { return l.Pos == h.lock.Pos && l.Name == h.lock.Name }) {
			locks = append(locks, h.lock)
		}
	}
	slices.SortFunc(locks, func(a, b Lock) int { return cmp.Compare(a.Pos, b.Pos) })
	res.held[pos] = locks
}

// transfer applies one instruction: Lock and RLock acquire, Unlock and RUnlock release, and so does a call
// to a function of the package that unlocks a mutex reached from its arguments. An Unlock whose mutex
// cannot be matched to a held lock, by identity or by spelling, releases every held lock: precision first,
// a lock we lost track of is not held.
func (a *analysis) transfer(instr ssa.Instruction, s state) state {
	call, ok := instr.(*ssa.Call)
	if !ok || len(s) == 0 && !isLockCall(call) {
		return s // go and defer statements do not run their call here
	}
	if rel := a.releases[call.Common().StaticCallee()]; len(rel) > 0 {
		return releaseArgs(call.Common(), rel, s)
	}
	names := a.names
	op, recv := lockCall(call.Common())
	switch op {
	case syncapi.Lock, syncapi.RLock:
		k, ok := keyOf(recv)
		if !ok {
			return s // a mutex in a slice element or reached otherwise: not tracked
		}
		return s.with(held{k, Lock{Name: names[call.Pos()], Pos: call.Pos(), Read: op == syncapi.RLock}})
	case syncapi.Unlock, syncapi.RUnlock:
		if k, ok := keyOf(recv); ok && slices.ContainsFunc(s, func(h held) bool { return h.key == k }) {
			return s.without(k)
		}
		name := names[call.Pos()]
		if i := slices.IndexFunc(s, func(h held) bool { return h.lock.Name == name }); i >= 0 {
			return s.without(s[i].key)
		}
		return nil
	}
	return s
}

// releaseArgs releases the locks that a call's callee unlocks through its parameters. When an argument's
// mutex cannot be identified, every lock is taken as released.
func releaseArgs(c *ssa.CallCommon, rel []release, s state) state {
	for _, r := range rel {
		if r.param >= len(c.Args) {
			return nil
		}
		k, ok := keyOf(c.Args[r.param])
		if !ok {
			return nil
		}
		k.path += r.path
		s = s.without(k)
	}
	return s
}

// isLockCall reports whether instr calls a sync.Mutex or sync.RWMutex method.
func isLockCall(call *ssa.Call) bool {
	op, _ := lockCall(call.Common())
	return op != syncapi.NotLock
}

// edge returns the state along the i'th successor edge of b: a lock acquired by TryLock is held only where
// it returned true.
func (a *analysis) edge(b *ssa.BasicBlock, i int, out state) state {
	names := a.names
	if len(b.Instrs) == 0 || i != 0 {
		return out
	}
	ifInstr, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return out
	}
	call, ok := ifInstr.Cond.(*ssa.Call)
	if !ok {
		return out
	}
	op, recv := lockCall(call.Common())
	if op != syncapi.TryLock && op != syncapi.TryRLock {
		return out
	}
	k, ok := keyOf(recv)
	if !ok {
		return out
	}
	return out.with(held{k, Lock{Name: names[call.Pos()], Pos: call.Pos(), Read: op == syncapi.TryRLock}})
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

// keyOf returns the identity of the mutex at address v: its root value and field path, loads elided.
// Mutexes in slice, array or map elements with a non-constant index are not tracked.
func keyOf(v ssa.Value) (key, bool) {
	var path []string
	for {
		switch x := v.(type) {
		case *ssa.FieldAddr:
			path = append(path, fieldName(x.X.Type(), x.Field))
			v = x.X
		case *ssa.Field:
			path = append(path, fieldName(x.X.Type(), x.Field))
			v = x.X
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return key{}, false
			}
			v = x.X
		case *ssa.IndexAddr:
			c, ok := x.Index.(*ssa.Const)
			if !ok {
				return key{}, false
			}
			path = append(path, "["+c.Value.String()+"]")
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		default:
			slices.Reverse(path)
			return key{root: v, path: strings.Join(path, "")}, true
		}
	}
}

func fieldName(t types.Type, i int) string {
	t = t.Underlying()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem().Underlying()
	}
	if s, ok := t.(*types.Struct); ok && i < s.NumFields() {
		return "." + s.Field(i).Name()
	}
	return "." + "?"
}
