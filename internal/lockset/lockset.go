// Package lockset computes, flow-sensitively on SSA, which sync.Mutex and sync.RWMutex locks may be held at
// each instruction of each function of the package. It has no facts, so SSA is built only for the packages
// being checked, and it keeps none of it: the Result is a compact map from source positions to held locks.
// It reports nothing.
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
	Doc:        "compute which mutexes may be held at each instruction; reports nothing",
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

// Result maps the position of each instruction at which at least one lock may be held (on some path) to those
// locks, ordered by the position of their Lock call. Positions are those go/ssa gives instructions: the
// Lparen of a call, the arrow of a send or receive, the select keyword, the for keyword of a range over a
// channel.
type Result struct {
	held   map[token.Pos][]Lock
	sorted []token.Pos // the keys of held, in order
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

func run(pass *goanalysis.Pass) (any, error) {
	res := &Result{held: make(map[token.Pos][]Lock)}
	names := lockCallNames(pass)
	if len(names) == 0 {
		return res, nil // no Lock call in the package: no need to build SSA
	}
	funcs := pass.ResultOf[ssaform.Analyzer].(*ssaform.Form).Funcs()
	a := &analysis{names: names, releases: make(map[*ssa.Function][]release)}
	for _, fn := range funcs {
		if rel := releasesOf(fn); len(rel) > 0 {
			a.releases[fn] = rel
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
