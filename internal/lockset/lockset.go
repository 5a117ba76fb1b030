// Package lockset computes, flow-sensitively on the package's SSA form, which sync.Mutex and sync.RWMutex
// locks may be held (on some path) and must be held (on every path), with their mode, before each
// instruction of each function, the unlocks deferred to the function's exits, and the state at every
// return. Locks are named by identity (ID), never by spelling. It has no facts, so it runs only on the
// packages being checked. It reports nothing.
//
// Two APIs: Held and HeldWithin answer "which locks may be held at this position?" (lockblock,
// sharedcounter); Funcs gives, per function, every lock operation, call and return with the state before
// it (doublelock, lostunlock, lock order).
package lockset

import (
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"reflect"
	"slices"

	goanalysis "golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syncapi"
)

// Analyzer computes the locks held at each instruction. It reports nothing.
var Analyzer = &goanalysis.Analyzer{
	Name:       "conclint_lockset",
	Doc:        "compute which mutexes may and must be held at each instruction; reports nothing",
	URL:        "https://github.com/conclint/conclint/blob/main/docs/analyzers/lockblock.md",
	Requires:   []*goanalysis.Analyzer{ssaform.Analyzer},
	Run:        run,
	ResultType: reflect.TypeFor[*Result](),
}

// A Lock is a mutex held at some instruction.
type Lock struct {
	Name string    // the mutex as written at its Lock call: "c.mu", or "c" for an embedded mutex
	Pos  token.Pos // the Lock call
	Read bool      // held by RLock
}

// Held is a lock held, with its identity.
type Held struct {
	ID ID
	Lock
}

// State is what is known about locks before an instruction.
type State struct {
	May  []Held // held on some path reaching the instruction, by the position of their Lock call
	Must []Held // held on every path; for a lock held for writing on some paths, Read on the others, Read
}

// MustHold returns the lock of id held on every path, if any.
func (s State) MustHold(id ID) (Held, bool) { return find(s.Must, id) }

// MayHold returns the lock of id held on some path, if any.
func (s State) MayHold(id ID) (Held, bool) { return find(s.May, id) }

func find(hs []Held, id ID) (Held, bool) {
	i := slices.IndexFunc(hs, func(h Held) bool { return h.ID.Same(id) })
	if i < 0 {
		return Held{}, false
	}
	return hs[i], true
}

// An Op is a lock operation of a function: a call of a sync.Mutex, sync.RWMutex or sync.Locker method,
// or a deferred unlock (a deferred Unlock, release helper of the package, or function literal unlocking a
// captured mutex; Kind is then Unlock).
type Op struct {
	Instr    ssa.Instruction // *ssa.Call or *ssa.Defer
	Kind     syncapi.LockOp
	ID       ID
	Name     string // the mutex as written: "s.mu"
	Deferred bool
	InLoop   bool  // in a block of a loop of the function
	Before   State // the state before the instruction
}

// A Call is a static call, other than a lock operation, made while some lock may be held, with the state
// before it.
type Call struct {
	Instr  *ssa.Call
	Callee *types.Func
	Before State
}

// An Exit is a return of the function, with the locks still held once its deferred unlocks ran. Paths that
// end in a panic or a call that does not return have no Exit.
type Exit struct {
	Instr    *ssa.Return
	Before   State // before the deferred unlocks run
	Deferred []ID  // the unlocks deferred on some path reaching the return
	After    State // once they ran
}

// Func is the lock state of one function of the package.
type Func struct {
	Fn    *ssa.Function
	Ops   []*Op
	Calls []*Call
	Exits []*Exit
	// Lost is true when an Unlock matched no lock known to be held (or one only by its spelling): the
	// analysis then drops what it held, so the state may be wrong and analyzers should stay silent.
	Lost bool
}

// Result maps the position of each instruction at which at least one lock may be held (on some path) to those
// locks, ordered by the position of their Lock call. Positions are those go/ssa gives instructions: the
// Lparen of a call, the arrow of a send or receive, the select keyword, the for keyword of a range over a
// channel. It also has the state of each function (Funcs).
type Result struct {
	held   map[token.Pos][]Lock
	sorted []token.Pos // the keys of held, in order
	funcs  []*Func
	byFn   map[*ssa.Function]*Func
	must   map[ssa.Instruction][]Held // at field addresses and calls, where some lock must be held
}

// Held returns the locks that may be held just before the instruction at pos, or nil.
func (r *Result) Held(pos token.Pos) []Lock { return r.held[pos] }

// HeldWithin returns the locks that may be held before some instruction positioned in [start, end): for a
// statement, whose instructions go/ssa positions at various tokens of it.
func (r *Result) HeldWithin(start, end token.Pos) []Lock {
	i, _ := slices.BinarySearch(r.sorted, start)
	var out []Lock
	for ; i < len(r.sorted) && r.sorted[i] < end; i++ {
		for _, l := range r.held[r.sorted[i]] {
			if !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	return out
}

// Funcs returns the state of every function of the package that has lock operations (function literals
// included), in source order. It is empty when the package calls no lock method. A function without lock
// operations holds no lock of its own: what it does to its caller's locks is locksummary's.
func (r *Result) Funcs() []*Func { return r.funcs }

// Func returns the state of fn, or nil.
func (r *Result) Func(fn *ssa.Function) *Func { return r.byFn[fn] }

// MustAt returns the locks held on every path before instr, a field address (*ssa.FieldAddr) or a call
// (*ssa.Call), by the function's own lock operations (not its callers'); nil when there is none or for any
// other instruction. Together with IDOf it relates an access to the locks of the same value (guarded-by
// inference).
func (r *Result) MustAt(instr ssa.Instruction) []Held { return r.must[instr] }

// IDOf returns the identity of the value at address v (a field address, a pointer), in the terms of a
// lock's ID: the root value and field path, so that an access can be related to the locks held on the
// same value. It reports false for an element of a slice, array or map with a non-constant index.
func IDOf(v ssa.Value) (ID, bool) { return idOf(v) }

func run(pass *goanalysis.Pass) (any, error) {
	res := &Result{held: make(map[token.Pos][]Lock), byFn: make(map[*ssa.Function]*Func), must: make(map[ssa.Instruction][]Held)}
	names := lockCallNames(pass)
	if len(names) == 0 {
		return res, nil // no Lock call in the package: no need to build SSA
	}
	funcs := pass.ResultOf[ssaform.Analyzer].(*ssaform.Form).Funcs()
	a := &analysis{names: names, releases: make(map[*ssa.Function][]release), mayUnlock: make(map[*ssa.Function][]release),
		mayLock: make(map[*ssa.Function][]release), closureIDs: make(map[*ssa.MakeClosure][]ID)}
	for _, fn := range funcs {
		pure, all, locks := releasesOf(fn)
		if fn.Parent() != nil && len(locks) > 0 {
			a.mayLock[fn] = locks
		}
		if len(pure) > 0 {
			a.releases[fn] = pure
		}
		if len(all) > 0 {
			a.mayUnlock[fn] = all
		}
	}
	for _, fn := range funcs {
		a.analyze(fn, res)
	}
	res.sorted = slices.Sorted(maps.Keys(res.held))
	return res, nil
}

// lockCallNames maps the Lparen of every call to a sync.Mutex or sync.RWMutex method to its receiver as
// written ("c.mu"), which names the lock in messages.
func lockCallNames(pass *goanalysis.Pass) map[token.Pos]string {
	names := make(map[token.Pos]string)
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn, _ := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
			if syncapi.LockOpOf(fn) == syncapi.NotLock {
				return true
			}
			name := "the mutex"
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
				name = types.ExprString(sel.X)
			}
			names[call.Lparen] = name
			return true
		})
	}
	return names
}

// observe records, in f, what instr does with the state s before it.
func (a *analysis) observe(f *Func, instr ssa.Instruction, s state, inLoop bool) {
	switch instr := instr.(type) {
	case *ssa.Defer:
		for _, id := range a.unlocks(instr.Common()) { // the relocks a defer registers are not Ops
			f.Ops = append(f.Ops, &Op{Instr: instr, Kind: syncapi.Unlock, ID: id, Name: a.nameOf(instr), Deferred: true, InLoop: inLoop, Before: s.export()})
		}
	case *ssa.Call:
		op, recv := lockCall(instr.Common())
		if op == syncapi.NotLock {
			if callee := ssaform.Callee(instr.Common()); callee != nil && len(s.may) > 0 {
				f.Calls = append(f.Calls, &Call{Instr: instr, Callee: callee, Before: s.export()})
			}
			if ids := a.closureUnlocks(instr.Common()); slices.ContainsFunc(ids, func(id ID) bool { return indexOf(s.may, id) >= 0 }) {
				f.Lost = true // a held lock may or may not be released by the call
			}
			if rel := a.releases[instr.Common().StaticCallee()]; len(rel) > 0 && len(s.may) > 0 {
				if _, ok := argIDs(instr.Common(), rel); !ok {
					f.Lost = true
				}
			}
			return
		}
		id, ok := idOf(recv)
		if !ok {
			if op == syncapi.Unlock || op == syncapi.RUnlock {
				f.Lost = f.Lost || len(s.may) > 0
			}
			return
		}
		if (op == syncapi.Unlock || op == syncapi.RUnlock) && len(s.may) > 0 && indexOf(s.may, id) < 0 {
			f.Lost = true // released by spelling, or everything dropped
		}
		f.Ops = append(f.Ops, &Op{Instr: instr, Kind: op, ID: id, Name: a.names[instr.Pos()], InLoop: inLoop, Before: s.export()})
	case *ssa.Return:
		after := s
		var ids []ID
		for i, d := range s.deferred {
			if d.relock {
				continue
			}
			after = after.release(d.id)
			// Deferred calls run last registered first: a relock registered after this unlock (at a later
			// defer statement; on some path) runs before it and gives it a lock to release.
			relocked := slices.ContainsFunc(s.deferred[i+1:], func(r deferral) bool { return r.relock && r.pos > d.pos && r.id.Same(d.id) })
			if !relocked {
				ids = append(ids, d.id)
			}
		}
		f.Exits = append(f.Exits, &Exit{Instr: instr, Before: s.export(), Deferred: ids, After: after.export()})
	}
}

// nameOf returns the mutex as written at a deferred Unlock, or "".
func (a *analysis) nameOf(d *ssa.Defer) string { return a.names[d.Call.Pos()] }

func (s state) export() State {
	conv := func(hs []hold) []Held {
		out := make([]Held, len(hs))
		for i, h := range hs {
			out[i] = Held{ID: h.id, Lock: h.lock}
		}
		return out
	}
	return State{May: conv(s.may), Must: conv(s.must)}
}
