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
}
