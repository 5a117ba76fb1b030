package driver

import (
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"

	"github.com/conclint/conclint/internal/noreturn"
)

// The runner runs every analyzer with facts, and what it requires, on every dependency of the packages
// it analyzes. ctrlflow.Analyzer has facts (noReturn), so it would build the control-flow graph of every
// function of every dependency, and the inspector it requires, where only its facts are read: the graphs
// serve wgmisuse, lostcancel and staticcheck's IR, which run on the analyzed packages only. So the runner
// gets, in place of ctrlflow.Analyzer, a copy of it without facts (cfgs), which runs only where an
// analyzer requires it, and requires internal/noreturn, which exports the same facts on every package
// without graphs or inspector. The copy still reads and exports the facts through its pass: the runner
// keeps the facts of a package by type, whatever analyzer declared them.
//
// The analyzers that require ctrlflow.Analyzer, directly or not, are copied too, with cfgs (or their
// requirements' copies) in their Requires; their Run finds each copy's result under the original too,
// where they look for it. The analyzers themselves, shared with the other drivers, are not changed.

// A ctrlflowSplit maps the analyzers that require ctrlflow.Analyzer to the copies the runner gets.
type ctrlflowSplit struct {
	cfgs   *analysis.Analyzer
	copies map[*analysis.Analyzer]*analysis.Analyzer // original -> copy; the original when unchanged
}

// newCtrlflowSplit returns the split for the selected analyzers, or nil if none of them requires
// ctrlflow.Analyzer, or one has facts and requires it (it would run ctrlflow's copy on every dependency).
func newCtrlflowSplit(selected []*analysis.Analyzer) *ctrlflowSplit {
	cfgs := *ctrlflow.Analyzer
	cfgs.FactTypes = nil
	cfgs.Requires = append(slices.Clip(ctrlflow.Analyzer.Requires), noreturn.Analyzer)
	s := &ctrlflowSplit{cfgs: &cfgs, copies: map[*analysis.Analyzer]*analysis.Analyzer{ctrlflow.Analyzer: &cfgs}}
	changed := false
	for _, a := range selected {
		if a == ctrlflow.Analyzer {
			return nil
		}
		if s.copy(a) != a {
			changed = true
			if len(a.FactTypes) > 0 {
				return nil
			}
		}
	}
	if !changed {
		return nil
	}
	for orig, c := range s.copies {
		if c != orig && c != s.cfgs && len(orig.FactTypes) > 0 {
			return nil
		}
	}
	return s
}

// copy returns the analyzer the runner gets for a: a itself if it does not require ctrlflow.Analyzer,
// directly or not, else a copy of it that requires the copies.
func (s *ctrlflowSplit) copy(a *analysis.Analyzer) *analysis.Analyzer {
	if c, ok := s.copies[a]; ok {
		return c
	}
	s.copies[a] = a // for a cycle (there is none: analysis.Validate rejects them)
	reqs := s.requires(a.Requires)
	if slices.Equal(reqs, a.Requires) {
		return a
	}
	c := *a
	c.Requires = reqs
	run := a.Run
	c.Run = func(pass *analysis.Pass) (any, error) {
		s.alias(a, pass.ResultOf)
		return run(pass)
	}
	s.copies[a] = &c
	return &c
}

// requires returns the Requires of an analyzer for the runner, each replaced by its copy.
func (s *ctrlflowSplit) requires(reqs []*analysis.Analyzer) []*analysis.Analyzer {
	if s == nil {
		return reqs
	}
	out := make([]*analysis.Analyzer, len(reqs))
	for i, r := range reqs {
		out[i] = s.copy(r)
	}
	return out
}

// alias makes the result of each copy that a requires, in results (a pass's ResultOf), the result of the
// original too, which is where a looks for it (and where the releaser finds it).
func (s *ctrlflowSplit) alias(a *analysis.Analyzer, results map[*analysis.Analyzer]any) {
	if s == nil {
		return
	}
	for _, r := range a.Requires {
		if c := s.copies[r]; c != nil && c != r {
			if res, ok := results[c]; ok {
				results[r] = res
			}
		}
	}
}
