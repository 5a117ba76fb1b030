package lostunlock

import (
	_ "embed"
	"flag"
	"fmt"
	"go/ast"
	"go/token"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/analyzerdoc"
	"github.com/conclint/conclint/internal/lockset"
	"github.com/conclint/conclint/internal/report"
	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

//go:embed doc.go
var doc string

// Analyzer reports mutexes left locked on some return, unlocked while not locked, and deferred unlocks
// inside loops.
var Analyzer = &analysis.Analyzer{
	Name:     "lostunlock",
	Doc:      analyzerdoc.MustExtract(doc, "lostunlock"),
	URL:      "https://github.com/conclint/conclint/blob/main/docs/analyzers/lostunlock.md",
	Requires: []*analysis.Analyzer{lockset.Analyzer, ssaform.Analyzer},
	Flags:    newFlags(),
	Run:      run,
}

// Categories of findings.
const (
	catReturn = "return-locked"   // a return that leaves the lock held
	catUnlock = "unlock-unlocked" // an Unlock of a mutex not locked
	catDefer  = "defer-in-loop"   // a deferred Unlock inside a loop
)

func newFlags() flag.FlagSet {
	fs := flag.NewFlagSet("lostunlock", flag.ExitOnError)
	fs.Bool("returns", false, "report returns that leave a lock held while other paths release it (may report false positives: on five applications 4 of 15 were real; an unlock inside a called closure and conditional acquire helpers are not seen)")
	fs.Bool("tests", false, "also report in _test.go files (may report false positives: tests deadlock and misuse mutexes on purpose, to test them)")
	return *fs
}

func run(pass *analysis.Pass) (any, error) {
	r := report.New(pass)
	defer r.Finish() // reports //conclint:ignore lostunlock directives that silenced nothing
	locks := pass.ResultOf[lockset.Analyzer].(*lockset.Result)
	if len(locks.Funcs()) == 0 {
		return nil, nil // no lock operation in the package
	}
	c := &checker{pass: pass, r: r, form: pass.ResultOf[ssaform.Analyzer].(*ssaform.Form)}
	tests, returns := syntax.BoolFlag(pass, "tests"), syntax.BoolFlag(pass, "returns")
	for _, f := range locks.Funcs() {
		if f.Lost {
			continue // an Unlock the analysis could not match: its state may be wrong
		}
		if !tests && syntax.IsTestCode(pass.Fset, pass.Pkg.Path(), pass.Pkg.Name(), f.Fn.Pos()) {
			continue // tests deadlock and misuse mutexes on purpose
		}
		if returns {
			c.checkReturns(f)
		}
		c.checkUnlocks(f)
		c.checkDefers(f)
	}
	return nil, nil
}

type checker struct {
	pass *analysis.Pass
	r    *report.Reporter
	form *ssaform.Form
}

// lockOp returns the Lock, RLock or TryLock of f at pos, or nil: a lock taken in f itself.
func lockOp(f *lockset.Func, pos token.Pos) *lockset.Op {
	for _, op := range f.Ops {
		if op.Instr.Pos() == pos && !op.Deferred && op.Kind != syncapi.Unlock && op.Kind != syncapi.RUnlock {
			return op
		}
	}
	return nil
}

// checkReturns reports each return that leaves held a lock taken in f while another return releases it.
func (c *checker) checkReturns(f *lockset.Func) {
	for _, e := range f.Exits {
		for _, h := range e.After.Must {
			if lockOp(f, h.Pos) == nil {
				continue // taken by the caller or an acquire helper: not this function's to release
			}
			if !slices.ContainsFunc(f.Exits, func(o *lockset.Exit) bool { _, held := o.After.MayHold(h.ID); return !held }) {
				continue // held on every return: an acquire helper, its caller unlocks
			}
			if slices.ContainsFunc(lastExits(f), func(o *lockset.Exit) bool { _, held := o.After.MustHold(h.ID); return held }) {
				continue // held at the end: a conditional acquire helper (lock, or unlock and report failure)
			}
			c.reportReturn(f, e, h)
		}
	}
}

// lastExits returns the returns of f at its end: the implicit return at the end of the body if there is
// one, else the last return statement.
func lastExits(f *lockset.Func) []*lockset.Exit {
	var out []*lockset.Exit
	var last *lockset.Exit
	for _, e := range f.Exits {
		switch {
		case !e.Instr.Pos().IsValid():
			out = append(out, e)
		case last == nil || e.Instr.Pos() > last.Instr.Pos():
			last = e
		}
	}
	if len(out) == 0 && last != nil {
		out = append(out, last)
	}
	return out
}

func (c *checker) reportReturn(f *lockset.Func, e *lockset.Exit, h lockset.Held) {
	unlock := "Unlock"
	if h.Read {
		unlock = "RUnlock"
	}
	d := analysis.Diagnostic{
		Pos:      e.Instr.Pos(),
		Category: catReturn,
		Message: fmt.Sprintf("%s is still locked at this return, while other paths of %s unlock it (locked at %s); call %s.%s before returning, or defer it",
			h.Name, ssaform.FuncName(f.Fn), c.position(h.Pos), h.Name, unlock),
		Related: []analysis.RelatedInformation{{Pos: h.Pos, Message: h.Name + " locked here"}},
	}
	if ret, ok := c.form.Node(e.Instr).(*ast.ReturnStmt); ok {
		d.End = ret.End()
	} else if body := syntax.FuncBody(f.Fn.Syntax()); body != nil {
		d.Pos = body.Rbrace // the implicit return at the end of the function
		d.Message = fmt.Sprintf("%s is still locked at the end of %s, while other paths unlock it (locked at %s); call %s.%s before returning, or defer it",
			h.Name, ssaform.FuncName(f.Fn), c.position(h.Pos), h.Name, unlock)
	} else {
		return // no position to report at
	}
	c.r.Report(d)
}

// checkUnlocks reports an Unlock or RUnlock reached while the lock is not held on any path, of a lock
// that f itself locks (a release helper unlocks its caller's lock), and a deferred unlock that runs at a
// return where the lock is not held on any path.
func (c *checker) checkUnlocks(f *lockset.Func) {
	// locked returns a lock of id in f from which the unlock can be reached (any lock of id if unlock is
	// nil): without one, the unlock releases a lock taken elsewhere (a transaction's Begin locks, its Commit
	// unlocks on one branch and locks and unlocks on another), which only the caller can tell.
	locked := func(id lockset.ID, unlock ssa.Instruction) *lockset.Op {
		for _, op := range f.Ops {
			if !op.Deferred && op.ID.Same(id) && (op.Kind == syncapi.Lock || op.Kind == syncapi.RLock || op.Kind == syncapi.TryLock || op.Kind == syncapi.TryRLock) &&
				(unlock == nil || ssaform.Reaches(op.Instr, unlock)) {
				return op
			}
		}
		return nil
	}
	for _, op := range f.Ops {
		if op.Deferred || op.Kind != syncapi.Unlock && op.Kind != syncapi.RUnlock {
			continue
		}
		if _, held := op.Before.MayHold(op.ID); held {
			continue
		}
		lk := locked(op.ID, op.Instr)
		if lk == nil || releasesFirst(f, op.ID) {
			continue // not locked on a path to here, or unlocked before it is locked: its caller locked it
		}
		if op.Kind == syncapi.RUnlock && readLocks(f, op.ID) > 1 {
			continue // read locks are counted, the state is not: two RLocks may be held
		}
		d := analysis.Diagnostic{
			Pos:      op.Instr.Pos(),
			Category: catUnlock,
			Message:  fmt.Sprintf("%s is unlocked while it is not locked on any path reaching here (locked at %s): a fatal error at run time", op.Name, c.position(lk.Instr.Pos())),
			Related:  []analysis.RelatedInformation{{Pos: lk.Instr.Pos(), Message: lk.Name + " locked here"}},
		}
		if call, ok := c.form.Node(op.Instr).(*ast.CallExpr); ok {
			d.Pos, d.End = call.Pos(), call.Lparen
		}
		c.r.Report(d)
	}
	for _, e := range f.Exits {
		for _, id := range e.Deferred {
			if _, held := e.Before.MayHold(id); held {
				continue
			}
			lk := locked(id, nil) // a deferred unlock registered before the lock runs on every return
			if lk == nil || releasesFirst(f, id) || slices.ContainsFunc(f.Ops, func(op *lockset.Op) bool { return op.Deferred && op.ID.Same(id) && op.InLoop }) {
				continue // never locked here, or a deferred unlock in a loop (reported as such)
			}
			d := c.deferOf(f, id)
			if d == nil || !e.Instr.Pos().IsValid() {
				continue
			}
			c.r.Report(analysis.Diagnostic{
				Pos:      e.Instr.Pos(),
				Category: catUnlock,
				Message:  fmt.Sprintf("the deferred %s.Unlock (line %d) runs at this return while %s is not locked on any path reaching it: a fatal error at run time", d.Name, c.pass.Fset.Position(d.Instr.Pos()).Line, d.Name),
				Related:  []analysis.RelatedInformation{{Pos: d.Instr.Pos(), Message: "unlock deferred here"}},
			})
		}
	}
}

// releasesFirst reports whether the first operation of f on id, in source order, is an unlock: f releases
// its caller's lock (and may take it again, as sync.Cond.Wait does).
func releasesFirst(f *lockset.Func, id lockset.ID) bool {
	var first *lockset.Op
	for _, op := range f.Ops {
		if op.ID.Same(id) && (first == nil || op.Instr.Pos() < first.Instr.Pos()) {
			first = op
		}
	}
	return first != nil && (first.Kind == syncapi.Unlock || first.Kind == syncapi.RUnlock)
}

// readLocks counts the RLock and TryRLock calls of f on id.
func readLocks(f *lockset.Func, id lockset.ID) int {
	n := 0
	for _, op := range f.Ops {
		if !op.Deferred && op.ID.Same(id) && (op.Kind == syncapi.RLock || op.Kind == syncapi.TryRLock) {
			n++
		}
	}
	return n
}

// deferOf returns the deferred unlock of id in f.
func (c *checker) deferOf(f *lockset.Func, id lockset.ID) *lockset.Op {
	for _, op := range f.Ops {
		if op.Deferred && op.ID.Same(id) {
			return op
		}
	}
	return nil
}

// checkDefers reports a deferred unlock inside a loop.
func (c *checker) checkDefers(f *lockset.Func) {
	var loops map[*ssa.BasicBlock]bool
	for _, op := range f.Ops {
		if !op.Deferred || !op.InLoop {
			continue
		}
		if loops == nil {
			loops = ssaform.LoopBlocks(f.Fn)
		}
		if root, _ := op.ID.Root(); root != nil {
			if instr, ok := root.(ssa.Instruction); ok && loops[instr.Block()] {
				continue // another mutex each iteration (for p := c; p != nil; p = p.parent): held on purpose until return
			}
		}
		name := op.Name
		if name == "" {
			name = "the mutex"
		}
		d := analysis.Diagnostic{
			Pos:      op.Instr.Pos(),
			Category: catDefer,
			Message:  fmt.Sprintf("deferred unlock of %s in a loop runs only when %s returns: %s stays locked into the next iteration; unlock at the end of the iteration, or move the body into a function", name, ssaform.FuncName(f.Fn), name),
		}
		if ds, ok := c.deferStmt(op.Instr); ok {
			d.End = ds.End()
		}
		c.r.Report(d)
	}
}

func (c *checker) deferStmt(instr ssa.Instruction) (*ast.DeferStmt, bool) {
	d, ok := c.form.Node(instr).(*ast.DeferStmt)
	return d, ok
}

func (c *checker) position(pos token.Pos) string {
	return syntax.ShortPos(c.pass.Fset, pos)
}
