package doublelock

import (
	"cmp"
	_ "embed"
	"flag"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/analyzerdoc"
	"github.com/conclint/conclint/internal/boolguard"
	"github.com/conclint/conclint/internal/lockset"
	"github.com/conclint/conclint/internal/locksummary"
	"github.com/conclint/conclint/internal/report"
	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

//go:embed doc.go
var doc string

// Analyzer reports a goroutine locking a mutex it already holds.
var Analyzer = &analysis.Analyzer{
	Name:     "doublelock",
	Doc:      analyzerdoc.MustExtract(doc, "doublelock"),
	URL:      "https://github.com/conclint/conclint/blob/main/docs/analyzers/doublelock.md",
	Requires: []*analysis.Analyzer{lockset.Analyzer, locksummary.Analyzer, ssaform.Analyzer},
	Flags:    newFlags(),
	Run:      run,
}

// Categories of findings.
const (
	catRelock  = "relock"         // Lock of a lock held
	catUpgrade = "upgrade"        // Lock of a lock held for reading
	catRead    = "recursive-read" // RLock of a lock held for reading, with a writer in the package
)

func newFlags() flag.FlagSet {
	fs := flag.NewFlagSet("doublelock", flag.ExitOnError)
	fs.Bool("tests", false, "also report in _test.go files (may report false positives: tests deadlock and misuse mutexes on purpose, to test them)")
	return *fs
}

func run(pass *analysis.Pass) (any, error) {
	r := report.New(pass)
	defer r.Finish() // reports //conclint:ignore doublelock directives that silenced nothing
	locks := pass.ResultOf[lockset.Analyzer].(*lockset.Result)
	if len(locks.Funcs()) == 0 {
		return nil, nil // no lock operation in the package
	}
	c := &checker{
		pass:  pass,
		r:     r,
		sums:  pass.ResultOf[locksummary.Analyzer].(*locksummary.Result),
		form:  pass.ResultOf[ssaform.Analyzer].(*ssaform.Form),
		locks: locks,
	}
	tests := syntax.BoolFlag(pass, "tests")
	for _, f := range locks.Funcs() {
		if f.Lost {
			continue // an Unlock the analysis could not match: its state may be wrong
		}
		if !tests && syntax.IsTestCode(pass.Fset, pass.Pkg.Path(), pass.Pkg.Name(), f.Fn.Pos()) {
			continue // tests deadlock and misuse mutexes on purpose
		}
		c.checkFunc(f)
	}
	return nil, nil
}

type checker struct {
	pass  *analysis.Pass
	r     *report.Reporter
	sums  *locksummary.Result
	form  *ssaform.Form
	locks *lockset.Result
}

// An acquisition is a Lock or RLock, direct or through a call.
type acquisition struct {
	instr ssa.Instruction
	id    lockset.ID
	read  bool
	via   string // "s.flush → s.persist (persist.go:31)" for a call; "" for a direct Lock
}

func (c *checker) checkFunc(f *lockset.Func) {
	helped := c.helped(f)
	for _, op := range f.Ops {
		if op.Deferred || op.Kind != syncapi.Lock && op.Kind != syncapi.RLock {
			continue // TryLock does not block, and a deferred Lock runs at exit
		}
		c.check(op.Before, acquisition{instr: op.Instr, id: op.ID, read: op.Kind == syncapi.RLock}, helped)
	}
	for _, call := range f.Calls {
		sum := c.sums.Of(call.Callee)
		if sum == nil {
			continue // no summary: the callee locks nothing its caller can name, or it is unknown
		}
		for _, a := range sum.Acquires {
			if boolguard.OffValue(call.Instr.Common(), a.Guard) {
				continue // the call passes false for the parameter the acquisition needs true
			}
			id, ok := c.argID(call, a.Lock)
			if !ok {
				continue
			}
			via := fmt.Sprintf("%s (%s)", a.Chain(c.callName(call)), a.At)
			c.check(call.Before, acquisition{instr: call.Instr, id: id, read: a.Read, via: via}, helped)
		}
	}
}

// helped returns the locks that some call of f acquires or releases through a helper of another package:
// the lockset state does not follow those, so the analyzer stays silent about them.
func (c *checker) helped(f *lockset.Func) []lockset.ID {
	var out []lockset.ID
	for _, call := range f.Calls {
		sum := c.sums.Of(call.Callee)
		if sum == nil || call.Callee.Pkg() == c.pass.Pkg {
			continue // same-package release helpers are part of the lockset state
		}
		for _, l := range append(sum.Holds, sum.Releases...) {
			if id, ok := c.argID(call, l); ok {
				out = append(out, id)
			}
		}
	}
	return out
}

// argID returns the caller's identity of a lock of a callee's summary, at a call.
func (c *checker) argID(call *lockset.Call, l locksummary.Lock) (lockset.ID, bool) {
	if l.Param < 0 {
		// a package-level variable: find the held lock of that class
		for _, h := range call.Before.Must {
			if h.ID.Kind == lockset.Global && h.ID.Class == l.Class {
				return h.ID, true
			}
		}
		return lockset.ID{}, false
	}
	return lockset.ArgID(call.Instr.Common(), l.Param, l.Path)
}

// check reports acquisition a if its lock is held on every path before it.
func (c *checker) check(before lockset.State, a acquisition, helped []lockset.ID) {
	h, ok := before.MustHold(a.id)
	if !ok {
		return // not held, or held on some paths only
	}
	for _, id := range helped {
		if id.Same(a.id) {
			return // a helper of another package acquires or releases it: the state may be wrong
		}
	}
	if captured(a.id) {
		return // a function literal (a goroutine, a callback) may unlock it in between
	}
	name := h.Name
	how := "locked again"
	if a.via != "" {
		how += " through " + a.via
	}
	cat := catRelock
	var writers []*lockset.Op
	switch {
	case h.Read && a.read:
		if writers = c.writers(a.id, a.instr.Pos()); len(writers) == 0 {
			return // no writer in the package: the recursive read lock cannot be blocked by one here
		}
		cat, how = catRead, "read-locked again"
		if a.via != "" {
			how += " through " + a.via
		}
	case h.Read:
		cat = catUpgrade
		how = "locked for writing"
		if a.via != "" {
			how += " through " + a.via
		}
	}
	var msg string
	switch cat {
	case catRead:
		others := ""
		if n := len(writers) - 1; n > 0 {
			others = fmt.Sprintf(", or %d other writer%s", n, plural(n))
		}
		msg = fmt.Sprintf("%s %s while this goroutine holds it for reading (read-locked at %s): a writer queued in between (%s.Lock at %s%s) deadlocks this goroutine",
			name, how, c.position(h.Pos), writers[0].Name, c.position(writers[0].Instr.Pos()), others)
	case catUpgrade:
		msg = fmt.Sprintf("%s %s while this goroutine holds it for reading (read-locked at %s): RWMutex cannot upgrade, this goroutine deadlocks", name, how, c.position(h.Pos))
	default:
		msg = fmt.Sprintf("%s %s while already held (locked at %s): this goroutine deadlocks", name, how, c.position(h.Pos))
	}
	d := analysis.Diagnostic{Pos: a.instr.Pos(), Category: cat, Message: msg,
		Related: []analysis.RelatedInformation{{Pos: h.Pos, Message: name + " locked here"}}}
	if call, ok := c.form.Node(a.instr).(*ast.CallExpr); ok {
		d.Pos, d.End = call.Pos(), call.Lparen
	}
	for _, w := range writers[:min(len(writers), maxWriters)] {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: w.Instr.Pos(), Message: w.Name + " locked for writing here"})
	}
	c.r.Report(d)
}

// captured reports whether the value a lock is reached from is captured by a function literal.
func captured(id lockset.ID) bool {
	root, _ := id.Root()
	if root == nil || root.Referrers() == nil {
		return false
	}
	for _, ref := range *root.Referrers() {
		if _, ok := ref.(*ssa.MakeClosure); ok {
			return true
		}
	}
	return false
}

// maxWriters bounds the writers a finding lists in its related positions.
const maxWriters = 5

// writers returns the Locks of the lock id (the same instance, or the same class) in the package, in
// source order, that can run next to the read lock at pos: outside test code when pos is (a writer that
// only tests take cannot block the program). Which of them can run while the reader holds the lock
// depends on callers the analysis cannot see, so a finding names them all.
func (c *checker) writers(id lockset.ID, pos token.Pos) []*lockset.Op {
	test := func(p token.Pos) bool {
		return syntax.IsTestCode(c.pass.Fset, c.pass.Pkg.Path(), c.pass.Pkg.Name(), p)
	}
	inTest := test(pos)
	var out []*lockset.Op
	for _, f := range c.locks.Funcs() {
		for _, op := range f.Ops {
			if op.Kind != syncapi.Lock && op.Kind != syncapi.TryLock {
				continue
			}
			if (op.ID.Same(id) || id.Class != "" && op.ID.Class == id.Class) && (inTest || !test(op.Instr.Pos())) {
				out = append(out, op)
			}
		}
	}
	slices.SortFunc(out, func(a, b *lockset.Op) int { return cmp.Compare(a.Instr.Pos(), b.Instr.Pos()) })
	return out
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// callName returns the callee of a call as written ("s.flush"), or its name.
func (c *checker) callName(call *lockset.Call) string {
	if n, ok := c.form.Node(call.Instr).(*ast.CallExpr); ok {
		return types.ExprString(n.Fun)
	}
	return call.Callee.Name()
}

func (c *checker) position(pos token.Pos) string {
	return syntax.ShortPos(c.pass.Fset, pos)
}
