// Package floor defines analyzers that report nothing. Run by the same driver over the same packages as
// conclint, they measure the floor under conclint's cost: loading and type-checking (NoOp), the same with
// every dependency loaded from source and visited for facts (Facts), and the SSA form (SSA); and the floors of
// conclint's engines: its shared SSA form (SSAForm) and its lock engine (LockEngine).
package floor

import (
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"

	"github.com/conclint/conclint/internal/lockset"
	"github.com/conclint/conclint/internal/locksummary"
	"github.com/conclint/conclint/internal/ssaform"
)

// NoOp reports nothing and requires nothing: the driver loads the named packages from source and their
// dependencies from export data.
var NoOp = &analysis.Analyzer{
	Name: "floornoop",
	Doc:  "report nothing; measures loading and type-checking",
	Run:  nothing,
}

// Facts reports nothing but declares a fact type, so the driver loads every dependency from source and runs
// the analyzer on each, as it does for any analyzer that uses facts.
var Facts = &analysis.Analyzer{
	Name:      "floorfacts",
	Doc:       "report nothing; measures loading every dependency from source for facts",
	FactTypes: []analysis.Fact{new(unused)},
	Run:       nothing,
}

// SSA reports nothing and requires buildssa: the cost of the SSA form of the named packages.
var SSA = &analysis.Analyzer{
	Name:     "floorssa",
	Doc:      "report nothing; measures building the SSA form",
	Requires: []*analysis.Analyzer{buildssa.Analyzer},
	Run:      nothing,
}

// SSAForm reports nothing and builds conclint's shared SSA form of every analyzed package (the form is
// lazy: engines build it only for the packages they need it for), and requires Facts, so that it loads for
// facts as conclint's analyzers do. (It declares no fact itself: a driver runs an analyzer with facts, and
// what it requires, on every dependency too.)
var SSAForm = &analysis.Analyzer{
	Name:     "floorssaform",
	Doc:      "report nothing; measures loading for facts and building conclint's shared SSA form",
	Requires: []*analysis.Analyzer{ssaform.Analyzer, Facts},
	Run: func(pass *analysis.Pass) (any, error) {
		pass.ResultOf[ssaform.Analyzer].(*ssaform.Form).Funcs()
		return nil, nil
	},
}

// LockEngine reports nothing and requires the lock engine: the lock states of every function on the shared
// SSA form (lockset, which builds the form for the packages that call a lock method) and the lock summaries
// computed as facts on every dependency (locksummary). Its cost above Facts's is what the engine adds to
// a run, the SSA it needs included.
var LockEngine = &analysis.Analyzer{
	Name:     "floorlockengine",
	Doc:      "report nothing; measures the lock engine: lock states and lock summaries",
	Requires: []*analysis.Analyzer{ssaform.Analyzer, lockset.Analyzer, locksummary.Analyzer},
	Run:      nothing,
}

func nothing(*analysis.Pass) (any, error) { return nil, nil }

// unused is a fact type that is never exported; declaring it is what makes the driver load for facts.
type unused struct{}

func (*unused) AFact() {}

func (*unused) String() string { return "unused" }

// NeedFacts reports whether any of the analyzers, or any analyzer they require, declares facts. The driver
// then loads every dependency from source and runs the analyzers on each, so that Facts, not NoOp, is the
// floor of their cost.
func NeedFacts(analyzers []*analysis.Analyzer) bool {
	seen := map[*analysis.Analyzer]bool{}
	queue := slices.Clone(analyzers)
	for len(queue) > 0 {
		a := queue[0]
		queue = queue[1:]
		if seen[a] {
			continue
		}
		seen[a] = true
		if len(a.FactTypes) > 0 {
			return true
		}
		queue = append(queue, a.Requires...)
	}
	return false
}
