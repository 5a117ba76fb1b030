package driver

import (
	"go/types"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// engineResult stands for an engine's result: what it holds is dropped when it is released.
type engineResult struct{ data []int }

func TestReleaser(t *testing.T) {
	// inner <- outer <- a; inner <- b; shared is selected and required by c.
	inner := &analysis.Analyzer{Name: "inner"}
	outer := &analysis.Analyzer{Name: "outer", Requires: []*analysis.Analyzer{inner}}
	shared := &analysis.Analyzer{Name: "shared"}
	a := &analysis.Analyzer{Name: "a", Requires: []*analysis.Analyzer{outer, inner}}
	b := &analysis.Analyzer{Name: "b", Requires: []*analysis.Analyzer{inner}}
	c := &analysis.Analyzer{Name: "c", Requires: []*analysis.Analyzer{shared}}
	rel := newReleaser([]*analysis.Analyzer{a, b, c, shared})

	newPass := func(pkg *types.Package) (*analysis.Pass, map[*analysis.Analyzer]*engineResult) {
		res := map[*analysis.Analyzer]*engineResult{inner: {[]int{1}}, outer: {[]int{2}}, shared: {[]int{3}}}
		pass := &analysis.Pass{Pkg: pkg, ResultOf: make(map[*analysis.Analyzer]any)}
		for an, r := range res {
			pass.ResultOf[an] = r
		}
		return pass, res
	}
	released := func(r *engineResult) bool { return r.data == nil }

	p1, res1 := newPass(types.NewPackage("p1", "p1"))
	rel.done(a, p1)
	if !released(res1[outer]) {
		t.Errorf("outer not released after a, its only reader")
	}
	if released(res1[inner]) {
		t.Errorf("inner released after a, but b has not run yet")
	}
	rel.done(c, p1)
	if released(res1[shared]) {
		t.Errorf("shared released: it is selected")
	}
	rel.done(b, p1)
	if !released(res1[inner]) {
		t.Errorf("inner not released after a and b, its readers")
	}
	if len(rel.pkgs) != 0 {
		t.Errorf("%d packages left pending, want none", len(rel.pkgs))
	}

	// A package on which b does not run (analyzed for facts only) keeps inner.
	p2, res2 := newPass(types.NewPackage("p2", "p2"))
	rel.done(a, p2)
	if released(res2[inner]) {
		t.Errorf("inner released on p2, where b has not run")
	}
	if !released(res2[outer]) {
		t.Errorf("outer not released on p2 after a, its only reader")
	}

	// An analyzer with facts also runs on the packages analyzed for facts only: what it requires stays.
	withFacts := &analysis.Analyzer{Name: "withfacts", Requires: []*analysis.Analyzer{inner}, FactTypes: []analysis.Fact{new(testFact)}}
	rel = newReleaser([]*analysis.Analyzer{a, b, withFacts})
	p3, res3 := newPass(types.NewPackage("p3", "p3"))
	rel.done(withFacts, p3)
	rel.done(a, p3)
	rel.done(b, p3)
	if released(res3[inner]) {
		t.Errorf("inner released, but withfacts requires it")
	}
	if !released(res3[outer]) {
		t.Errorf("outer not released on p3 after a, its only reader")
	}
	p4, _ := newPass(types.NewPackage("p4", "p4"))
	rel.done(withFacts, p4)
	if len(rel.pkgs) != 0 {
		t.Errorf("%d packages pending, want none", len(rel.pkgs))
	}
}

type testFact struct{}

func (*testFact) AFact() {}
