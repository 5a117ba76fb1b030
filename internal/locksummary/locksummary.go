// Package locksummary computes, for each function, what it does to the locks its caller can name: the
// mutexes reached from its receiver and parameters (or package-level variables) that it acquires, that it
// returns holding (an acquire helper), that it releases without acquiring them (a release helper: it
// expects them held), and the locks it acquires while holding another (for lock order), each with the
// call chain that leads to the Lock. It works at AST/CFG level (go/cfg), so that it is cheap on every
// dependency, std included, and exports the result as a Summary fact. Calls through interfaces and
// function values have no summary: unknown. It reports nothing.
package locksummary

import (
	"cmp"
	"go/ast"
	"go/types"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"

	"github.com/conclint/conclint/internal/boolguard"
	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

// Analyzer computes Summary facts. It reports nothing.
var Analyzer = &analysis.Analyzer{
	Name:       "conclint_locksummary",
	Doc:        "summarize the locks each function acquires, holds on return and releases for its caller; reports nothing",
	URL:        "https://github.com/conclint/conclint/blob/main/docs/analyzers/doublelock.md",
	Run:        run,
	ResultType: reflect.TypeFor[*Result](),
	FactTypes:  []analysis.Fact{new(Summary)},
}

const (
	maxVia     = 4 // longest call chain recorded
	maxEntries = 8 // most entries of each list, to keep facts tiny
	maxRounds  = 6 // rounds of propagation through the package's call graph
)

// A Lock is a mutex a function's caller can name: reached from parameter Param (the receiver is 0 for a
// method; -1 for a package-level variable) by the field path Path (".mu", ".state.mu", "" for the parameter
// itself). Class names it as lockset.ID.Class does ("(*example.com/p.Server).mu").
type Lock struct {
	Param int
	Path  string
	Class string
	Read  bool // by RLock or RUnlock
}

func (l Lock) String() string {
	s := l.Class
	if l.Param >= 0 {
		s = "p" + strconv.Itoa(l.Param) + l.Path
	}
	if l.Read {
		s += ":R"
	}
	return s
}

// An Acquire is a Lock that the function locks, at position At ("persist.go:31") reached through the calls
// Via from its body ("s.persist"; empty when it locks it itself).
type Acquire struct {
	Lock
	At  string
	Via []string
	// Guard, when not 0, names a bool parameter (numbered as boolguard.Param, as Lock.Param numbers them:
	// the receiver is 0) that must be true for the acquisition to run: func (f *Fs) update(lock bool) {
	// if lock { f.mu.Lock() } }. A call passing the constant false does not acquire (boolguard.Off,
	// boolguard.OffValue).
	Guard boolguard.Guard
}

// An Order is a pair of lock classes acquired one while holding the other, for lock order.
type Order struct {
	Held, Acquired string
	At             string // where Acquired is locked
	Via            []string
	HeldRead       bool // Held is held by RLock
	Read           bool // Acquired is locked by RLock
}

// Summary is the fact of what a function does to the locks its caller can name. Each list is sorted.
type Summary struct {
	Acquires []Acquire // locked (on some path), and not released before on any path: a caller holding it deadlocks
	Holds    []Lock    // held on every return: an acquire helper
	Releases []Lock    // unlocked on a path where the function did not lock it: a release helper
	Order    []Order
}

func (*Summary) AFact() {}

func (s *Summary) String() string {
	var parts []string
	list := func(name string, locks []string) {
		if len(locks) > 0 {
			parts = append(parts, name+"("+strings.Join(locks, ",")+")")
		}
	}
	var acq, holds, rel, order []string
	for _, a := range s.Acquires {
		if a.Guard > 0 {
			acq = append(acq, a.Lock.String()+" if "+a.Guard.String())
			continue
		}
		acq = append(acq, a.Lock.String())
	}
	for _, l := range s.Holds {
		holds = append(holds, l.String())
	}
	for _, l := range s.Releases {
		rel = append(rel, l.String())
	}
	for _, o := range s.Order {
		order = append(order, o.Held+"→"+o.Acquired)
	}
	list("acquires", acq)
	list("holds", holds)
	list("releases", rel)
	list("order", order)
	return strings.Join(parts, " ")
}

// Chain returns the call chain from a call spelled call to the Lock, for messages: "s.flush → s.persist".
func (a Acquire) Chain(call string) string {
	return strings.Join(append([]string{call}, a.Via...), " → ")
}

// Result answers what a function does to its caller's locks.
type Result struct {
	pass  *analysis.Pass
	local map[*types.Func]*Summary
	memo  map[*types.Func]*Summary // imported summaries (nil: none), while run computes: facts are copied on every import
}

// Of returns the summary of fn, or nil when fn does nothing to its caller's locks or nothing is known.
func (r *Result) Of(fn *types.Func) *Summary {
	if fn == nil {
		return nil
	}
	fn = fn.Origin()
	if fn.Pkg() == r.pass.Pkg {
		return r.local[fn]
	}
	if s, ok := r.memo[fn]; ok {
		return s
	}
	var s *Summary
	if f := new(Summary); r.pass.ImportObjectFact(fn, f) {
		s = f
	}
	if r.memo != nil {
		r.memo[fn] = s
	}
	return s
}

// Imported returns the summaries imported from the package's dependencies, for analyses over all of them
// (the lock-order graph).
func (r *Result) Imported() []analysis.ObjectFact {
	var out []analysis.ObjectFact
	for _, f := range r.pass.AllObjectFacts() {
		if _, ok := f.Fact.(*Summary); ok && f.Object.Pkg() != r.pass.Pkg {
			out = append(out, f)
		}
	}
	return out
}

type funcDecl struct {
	fn   *types.Func
	decl *ast.FuncDecl
	g    *cfg.CFG

	// Computed once, by scan (params by callerParams, guards at the first summary).
	params   map[*types.Var]boolguard.Param // the parameters never reassigned in the body (boolguard.Params)
	guards   *boolguard.Guards
	lockOps  bool          // the body calls a lock method
	imported []*Summary    // the summaries of the functions of other packages it calls
	callees  []*types.Func // the functions of this package it calls
	// When it was last summarized, in steps of run; its summary changed at step changed.
	summarized, changed int
}

func run(pass *analysis.Pass) (any, error) {
	res := &Result{pass: pass, local: make(map[*types.Func]*Summary), memo: make(map[*types.Func]*Summary)}
	defer func() { res.memo = nil }() // the analyzers that use the result run concurrently: no more writes
	if !usesLocks(pass, res) {
		return res, nil // no lock method is called, nor a function that locks: no function can do anything to a lock
	}
	var funcs []funcDecl
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			d, ok := decl.(*ast.FuncDecl)
			if !ok || d.Body == nil {
				continue
			}
			if fn, _ := pass.TypesInfo.Defs[d.Name].(*types.Func); fn != nil {
				funcs = append(funcs, funcDecl{fn: fn, decl: d})
			}
		}
	}
	// Round by round, until nothing changes: a function's summary uses its callees' of the previous round.
	// A function none of whose callees' summaries changed since it was last summarized would get the same
	// summary again: it is skipped.
	byFn := make(map[*types.Func]*funcDecl, len(funcs))
	for i := range funcs {
		funcs[i].scan(pass, res)
		byFn[funcs[i].fn] = &funcs[i]
	}
	step := 0
	for round := 0; round < maxRounds; round++ {
		changed := false
		for i := range funcs {
			fd := &funcs[i]
			if round > 0 && !slices.ContainsFunc(fd.callees, func(c *types.Func) bool { return byFn[c] != nil && byFn[c].changed >= fd.summarized }) {
				continue
			}
			step++
			fd.summarized = step
			s := summarize(pass, res, fd)
			old := res.local[fd.fn]
			if s == nil && old == nil || s != nil && old != nil && s.String() == old.String() {
				continue
			}
			changed = true
			fd.changed = step
			if s == nil {
				delete(res.local, fd.fn)
			} else {
				res.local[fd.fn] = s
			}
		}
		if !changed {
			break
		}
	}
	api := syntax.NewAPI(pass.Pkg)
	for _, fd := range funcs {
		// Another package calls only what it can name, but the lock-order graph reads every order.
		if s := res.local[fd.fn]; s != nil && (api.Callable(fd.fn) || len(s.Order) > 0) {
			pass.ExportObjectFact(fd.fn, s)
		}
	}
	return res, nil
}

// usesLocks reports whether the package refers to a lock method, or to a function of another package that
// has a summary: otherwise none of its functions can have one, and its bodies need not be read.
func usesLocks(pass *analysis.Pass, res *Result) bool {
	for _, obj := range pass.TypesInfo.Uses {
		if fn, ok := obj.(*types.Func); ok && (syncapi.LockOpOf(fn) != syncapi.NotLock || fn.Pkg() != nil && fn.Pkg() != pass.Pkg && res.Of(fn) != nil) {
			return true
		}
	}
	return false
}

func position(pass *analysis.Pass, n ast.Node) string {
	return syntax.ShortPos(pass.Fset, n.Pos())
}

func sortSummary(s *Summary) {
	cmpLock := func(a, b Lock) int {
		return cmp.Or(cmp.Compare(a.Param, b.Param), cmp.Compare(a.Path, b.Path), cmp.Compare(a.Class, b.Class), boolCmp(a.Read, b.Read))
	}
	// An unguarded acquisition of a lock sorts first, and is the one kept: it runs whatever the arguments.
	slices.SortFunc(s.Acquires, func(a, b Acquire) int {
		return cmp.Or(cmpLock(a.Lock, b.Lock), cmp.Compare(a.Guard, b.Guard), cmp.Compare(a.At, b.At))
	})
	s.Acquires = slices.CompactFunc(s.Acquires, func(a, b Acquire) bool { return a.Lock == b.Lock })
	slices.SortFunc(s.Holds, cmpLock)
	s.Holds = slices.Compact(s.Holds)
	slices.SortFunc(s.Releases, cmpLock)
	s.Releases = slices.Compact(s.Releases)
	slices.SortFunc(s.Order, func(a, b Order) int {
		return cmp.Or(cmp.Compare(a.Held, b.Held), cmp.Compare(a.Acquired, b.Acquired), boolCmp(a.HeldRead, b.HeldRead), boolCmp(a.Read, b.Read),
			cmp.Compare(len(a.Via), len(b.Via)), cmp.Compare(a.At, b.At))
	})
	s.Order = slices.CompactFunc(s.Order, func(a, b Order) bool {
		return a.Held == b.Held && a.Acquired == b.Acquired && a.HeldRead == b.HeldRead && a.Read == b.Read
	})
	s.Acquires = s.Acquires[:min(len(s.Acquires), maxEntries)]
	s.Holds = s.Holds[:min(len(s.Holds), maxEntries)]
	s.Releases = s.Releases[:min(len(s.Releases), maxEntries)]
	s.Order = s.Order[:min(len(s.Order), maxEntries)]
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}
