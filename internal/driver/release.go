package driver

import (
	"go/types"
	"reflect"
	"slices"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// A releaser drops the results of the analyzers that the selected ones require (the engines: conclint's
// SSA form and lock states, staticcheck's IR, the inspector, the control-flow graphs) as soon as no
// analyzer left to run on the package can read them. The runner keeps every result of a package until
// all its analyzers are done, so that the two largest, the SSA form and the IR, would otherwise be held
// together to the end of the package, even when the last analyzers use neither: on the largest packages
// of a run, that is the run's peak memory.
//
// A result is released after every selected analyzer that requires it, directly or through another
// engine, has run on the package: an engine's result may hold another's and read it lazily, so the
// readers of a result are all its transitive dependents. Every analyzer the runner runs on a package is
// required by a selected one, so none is left that could read it. Only a selected analyzer's direct
// requirements are reachable (in its pass's ResultOf); a result that is a pointer to a struct is
// released by zeroing the struct, which drops every reference the result holds. On a package analyzed
// only for its facts, the selected analyzers without facts do not run: nothing is released there, and
// the runner drops it all at the end of the package, as before. A selected analyzer with facts runs on
// those packages too, so what it requires is never released (no selected analyzer has facts today).
type releaser struct {
	users map[*analysis.Analyzer]int                  // engine -> the selected analyzers that require it
	deps  map[*analysis.Analyzer][]*analysis.Analyzer // selected analyzer -> its engines, transitively
	mu    sync.Mutex
	pkgs  map[*types.Package]*pendingResults
}

// pendingResults are the results of one package not yet released.
type pendingResults struct {
	users   map[*analysis.Analyzer]int // engine -> the selected analyzers that require it and have not run yet
	results map[*analysis.Analyzer]any // the results seen so far, by engine
}

// newReleaser returns the releaser for a run of the selected analyzers.
func newReleaser(selected []*analysis.Analyzer) *releaser {
	rel := &releaser{
		users: make(map[*analysis.Analyzer]int),
		deps:  make(map[*analysis.Analyzer][]*analysis.Analyzer),
		pkgs:  make(map[*types.Package]*pendingResults),
	}
	isSelected := make(map[*analysis.Analyzer]bool)
	for _, a := range selected {
		isSelected[a] = true
	}
	keep := make(map[*analysis.Analyzer]bool)
	for _, a := range selected {
		seen := make(map[*analysis.Analyzer]bool)
		var walk func(*analysis.Analyzer)
		walk = func(x *analysis.Analyzer) {
			for _, r := range x.Requires {
				if !seen[r] {
					seen[r] = true
					walk(r)
				}
			}
		}
		walk(a)
		for r := range seen {
			if isSelected[r] {
				continue // a selected analyzer's result: never released (another may report with it)
			}
			if len(a.FactTypes) > 0 {
				// a also runs on the packages analyzed for facts only, where the others do not: a package
				// it has run on might never see the others, and stay pending. What it requires is kept.
				keep[r] = true
				continue
			}
			rel.deps[a] = append(rel.deps[a], r)
			rel.users[r]++
		}
	}
	for r := range keep {
		for a, deps := range rel.deps {
			rel.deps[a] = slices.DeleteFunc(deps, func(e *analysis.Analyzer) bool { return e == r })
		}
		delete(rel.users, r)
	}
	return rel
}

// done records that the selected analyzer a has run on the package of pass, and releases the results
// that no analyzer left to run on the package requires.
func (rel *releaser) done(a *analysis.Analyzer, pass *analysis.Pass) {
	if len(rel.deps[a]) == 0 {
		return
	}
	rel.mu.Lock()
	defer rel.mu.Unlock()
	p := rel.pkgs[pass.Pkg]
	if p == nil {
		p = &pendingResults{users: make(map[*analysis.Analyzer]int), results: make(map[*analysis.Analyzer]any)}
		for e, n := range rel.users {
			p.users[e] = n
		}
		rel.pkgs[pass.Pkg] = p
	}
	for _, r := range a.Requires {
		if _, ok := rel.users[r]; ok {
			p.results[r] = pass.ResultOf[r]
		}
	}
	for _, e := range rel.deps[a] {
		if p.users[e]--; p.users[e] > 0 {
			continue
		}
		delete(p.users, e)
		if res, ok := p.results[e]; ok {
			release(res)
			delete(p.results, e)
		}
	}
	if len(p.users) == 0 {
		delete(rel.pkgs, pass.Pkg)
	}
}

// release drops what the result res holds, if it is a pointer to a struct.
func release(res any) {
	v := reflect.ValueOf(res)
	if v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct {
		v.Elem().SetZero()
	}
}
