// Command cliprof runs the conclint CLI as bench/run's "conclint CLI, cold" does, under a CPU profile in
// which every analyzer's work carries pprof labels: a=<analyzer> (conclint's analyzers, its engines such as
// conclint_ssaform, and the bundled passes with what they require, such as buildir) and pkg=initial or
// pkg=dependency (a package the patterns name, or one analyzed only for its facts). The samples without an
// "a" label are the runner's own work: loading and type-checking, facts, the cache. Work done lazily is
// labeled with the analyzer that asks for it first: the SSA form (conclint_ssaform) under the first engine
// that needs it (usually conclint_goroutines or conclint_lockset), staticcheck's IR (internal/lazyir) under
// the first bundled SA check that runs on the package; "go tool pprof -top -focus=ssa.*Package.*Build"
// or "-focus=buildir.run" separates them.
//
// Usage, from the bench directory, with an empty cache for a cold run:
//
//	CONCLINT_CACHE=$(mktemp -d) go run ./cmd/cliprof -o cpu.pprof -json github.com/quic-go/quic-go/... >/dev/null
//	go tool pprof -tags cpu.pprof                           # CPU per analyzer, initial vs dependency
//	go tool pprof -top -tagfocus=a=conclint_blocking cpu.pprof  # where one analyzer spends it
//
// Every argument after -o is conclint's.
package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/conclint/conclint/analyzers"
	"github.com/conclint/conclint/internal/driver"
	"github.com/conclint/conclint/internal/noreturn"
)

func main() {
	args := os.Args[1:]
	if len(args) < 2 || args[0] != "-o" {
		fmt.Fprintln(os.Stderr, "usage: cliprof -o profile [conclint flags] packages")
		os.Exit(2)
	}
	out, args := args[1], args[2:]
	initial, err := initialPaths(args)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cliprof:", err)
		os.Exit(1)
	}
	suite := analyzers.Suite()
	seen := make(map[*analysis.Analyzer]bool)
	for _, a := range suite {
		label(a, initial, seen)
	}
	label(noreturn.Analyzer, initial, seen) // the CLI runs it on dependencies in place of ctrlflow's facts
	f, err := os.Create(out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cliprof:", err)
		os.Exit(1)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "cliprof:", err)
		os.Exit(1)
	}
	code := driver.Run("conclint", args, suite, os.Stdout, os.Stderr)
	pprof.StopCPUProfile()
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "cliprof:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

// label wraps the Run of a and of every analyzer it requires, once each, so that their samples carry the
// analyzer's name and whether the package is an initial one.
func label(a *analysis.Analyzer, initial map[string]bool, seen map[*analysis.Analyzer]bool) {
	if seen[a] {
		return
	}
	seen[a] = true
	for _, r := range a.Requires {
		label(r, initial, seen)
	}
	run := a.Run
	a.Run = func(pass *analysis.Pass) (res any, err error) {
		kind := "dependency"
		if initial[pass.Pkg.Path()] {
			kind = "initial"
		}
		pprof.Do(context.Background(), pprof.Labels("a", a.Name, "pkg", kind), func(context.Context) {
			res, err = run(pass)
		})
		return res, err
	}
}

// valueFlags are conclint's flags whose value may be the next argument.
var valueFlags = map[string]bool{"f": true, "sarif": true, "c": true, "tags": true, "explain": true}

// initialPaths returns the import paths of the packages that the patterns among args name, with their
// tests: an external test package ("p_test") is an initial package too.
func initialPaths(args []string) (map[string]bool, error) {
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName, Tests: true}, patternsOf(args)...)
	if err != nil {
		return nil, err
	}
	paths := make(map[string]bool)
	for _, p := range pkgs {
		paths[p.PkgPath] = true
	}
	return paths, nil
}

// patternsOf returns the arguments after conclint's flags: the package patterns.
func patternsOf(args []string) []string {
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			return args[i+1:]
		}
		if !strings.HasPrefix(arg, "-") {
			return args[i:]
		}
		if valueFlags[strings.TrimLeft(arg, "-")] {
			i++ // the flag's value
		}
	}
	return nil
}
