package lazyir_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
	"honnef.co/go/tools/staticcheck/sa1012"
	"honnef.co/go/tools/staticcheck/sa1015"
	"honnef.co/go/tools/staticcheck/sa1017"
	"honnef.co/go/tools/staticcheck/sa1025"
	"honnef.co/go/tools/staticcheck/sa1027"
	"honnef.co/go/tools/staticcheck/sa1029"
	"honnef.co/go/tools/staticcheck/sa2002"
	"honnef.co/go/tools/staticcheck/sa2003"
	"honnef.co/go/tools/staticcheck/sa6002"

	"github.com/conclint/conclint/analyzers"
	"github.com/conclint/conclint/internal/lazyir"
)

// The staticcheck checks that need the IR, as staticcheck defines them.
var originals = []*analysis.Analyzer{sa1015.Analyzer, sa1017.Analyzer, sa1025.Analyzer, sa1027.Analyzer,
	sa1029.Analyzer, sa2002.Analyzer, sa2003.Analyzer, sa6002.Analyzer}

// wrapped returns the analyzers of conclint's registry named as the originals: the wrapped checks.
func wrapped(t *testing.T) []*analysis.Analyzer {
	var out []*analysis.Analyzer
	for _, o := range originals {
		i := slices.IndexFunc(analyzers.Bundled(), func(a *analysis.Analyzer) bool { return a.Name == o.Name })
		if i < 0 {
			t.Fatalf("%s is not in analyzers.Bundled()", o.Name)
		}
		out = append(out, analyzers.Bundled()[i])
	}
	return out
}

func load(t *testing.T) []*packages.Package {
	t.Helper()
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: "testdata"}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if n := packages.PrintErrors(pkgs); n > 0 || len(pkgs) != 7 {
		t.Fatalf("loading testdata: %d errors, %d packages", n, len(pkgs))
	}
	return pkgs
}

// findings runs the analyzers on pkgs and returns their findings, "analyzer package line: message", sorted.
func findings(t *testing.T, as []*analysis.Analyzer, pkgs []*packages.Package) []string {
	t.Helper()
	g, err := checker.Analyze(as, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, act := range g.Roots {
		if act.Err != nil {
			t.Fatalf("%s: %v", act, act.Err)
		}
		for _, d := range act.Diagnostics {
			pos := act.Package.Fset.Position(d.Pos)
			out = append(out, fmt.Sprintf("%s %s %d: %s", act.Analyzer.Name, act.Package.PkgPath, pos.Line, d.Message))
		}
	}
	slices.Sort(out)
	return out
}

// The wrapped checks report what the originals report, and the fixture has a finding of each check that
// can report on this platform (SA1027 only where uintptr has 4 bytes; SA1015 in a module of Go 1.22), the
// Lock that SA2003 sees deferred through a function value included.
func TestSameFindings(t *testing.T) {
	pkgs := load(t)
	want := findings(t, originals, pkgs)
	got := findings(t, wrapped(t), pkgs)
	if !slices.Equal(got, want) {
		t.Errorf("wrapped checks found\n%s\nstaticcheck's found\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, check := range []string{"SA1015 example.com/lazy/triggers", "SA1017 example.com/lazy/triggers",
		"SA1025 example.com/lazy/triggers", "SA1029 example.com/lazy/triggers", "SA2002 example.com/lazy/triggers",
		"SA2003 example.com/lazy/triggers", "SA2003 example.com/lazy/methodexpr", "SA6002 example.com/lazy/triggers",
		"SA1025 example.com/lazy/usedreset", "SA2002 example.com/lazy/gofatal", "SA1029 example.com/lazy/aliaskey"} {
		if !slices.ContainsFunc(want, func(f string) bool { return strings.HasPrefix(f, check+" ") }) {
			t.Errorf("no finding %s: the fixture no longer exercises it", check)
		}
	}
}

// The IR is built for the packages where a check can report, not for the one that calls none of the
// checked functions, nor for the one that calls them only as the checks cannot report.
func TestIRBuiltOnlyWhereUsed(t *testing.T) {
	pkgs := load(t)
	g, err := checker.Analyze(append(wrapped(t), lazyir.Analyzer), pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, act := range g.Roots {
		if act.Analyzer != lazyir.Analyzer {
			continue
		}
		seen++
		want := act.Package.PkgPath != "example.com/lazy/quiet" && act.Package.PkgPath != "example.com/lazy/benign"
		if got := act.Result.(*lazyir.IR).Built(); got != want {
			t.Errorf("%s: IR built = %v, want %v", act.Package.PkgPath, got, want)
		}
	}
	if seen != len(pkgs) {
		t.Errorf("%d lazyir results, want %d", seen, len(pkgs))
	}
}

// SA1012, which conclint runs only on the packages with a call whose first argument is nil (see
// analyzers.Bundled), reports what staticcheck's does, and the fixture exercises it.
func TestSA1012SameFindings(t *testing.T) {
	pkgs := load(t)
	i := slices.IndexFunc(analyzers.Bundled(), func(a *analysis.Analyzer) bool { return a.Name == "SA1012" })
	if i < 0 {
		t.Fatal("SA1012 is not in analyzers.Bundled()")
	}
	want := findings(t, []*analysis.Analyzer{sa1012.Analyzer}, pkgs)
	got := findings(t, []*analysis.Analyzer{analyzers.Bundled()[i]}, pkgs)
	if !slices.Equal(got, want) {
		t.Errorf("conclint's SA1012 found\n%s\nstaticcheck's found\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := len(want); n != 2 {
		t.Errorf("staticcheck's SA1012 found %d, want the fixture's 2:\n%s", n, strings.Join(want, "\n"))
	}
}
