package noreturn_test

import (
	"fmt"
	"go/types"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/packages"

	"github.com/conclint/conclint/internal/noreturn"
)

// TestSameFacts runs ctrlflow and this engine on packages of the standard library and all their
// dependencies, and compares the noReturn facts each exports on every package: they must be the same.
// The packages cover exits (os, log, testing), panics, endless loops, cycles of calls, methods, generics
// and the runtime's intrinsics.
func TestSameFacts(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks part of the standard library from source")
	}
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax}, "log", "testing", "os/exec", "net/http", "slices", "encoding/json")
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("packages do not load")
	}
	own := func(act *checker.Action) []string { // the facts act exported on its own package's objects
		var out []string
		for _, f := range act.AllObjectFacts() {
			if f.Object.Pkg() == act.Package.Types {
				out = append(out, types.ObjectString(f.Object, nil)+" "+fmt.Sprint(f.Fact))
			}
		}
		slices.Sort(out)
		return out
	}
	// One analysis each: the checker refuses two analyzers with the same fact type in one run.
	facts := func(a *analysis.Analyzer) map[string][]string {
		graph, err := checker.Analyze([]*analysis.Analyzer{a}, pkgs, nil)
		if err != nil {
			t.Fatal(err)
		}
		out := make(map[string][]string)
		for act := range graph.All() {
			if act.Err != nil {
				t.Fatalf("%s: %v", act, act.Err)
			}
			if act.Analyzer == a {
				out[act.Package.ID] = own(act)
			}
		}
		return out
	}
	want, got := facts(ctrlflow.Analyzer), facts(noreturn.Analyzer)
	if len(want) < 50 || len(got) != len(want) {
		t.Fatalf("ctrlflow ran on %d packages, noreturn on %d", len(want), len(got))
	}
	total := 0
	for id, w := range want {
		total += len(w)
		if g := got[id]; !slices.Equal(g, w) {
			t.Errorf("%s: noreturn facts\n%q\nctrlflow's\n%q", id, g, w)
		}
	}
	if total < 20 {
		t.Errorf("only %d noReturn facts in all: the comparison proves little", total)
	}
	t.Logf("%d packages, %d noReturn facts, the same", len(want), total)
}
