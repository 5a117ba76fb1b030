package bench_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/conclint/conclint/analyzers"
	"github.com/conclint/conclint/bench/internal/floor"
)

// largePackage is the real package every analyzer is also measured on: large, and full of concurrency.
const largePackage = "net/http"

// BenchmarkAnalyzers measures each of conclint's own analyzers, with the analyzers it requires, on its
// fixtures (analyzers/testdata/src/<name>/...) and on net/http, as the multichecker runs it: dependencies
// are analyzed too when the analyzer uses facts. Packages are loaded once, outside the timed loop. Compare
// two versions with benchstat:
//
//	go test -run='^$' -bench=Analyzers -count=10 . > old.txt   (and new.txt after the change)
//	go run golang.org/x/perf/cmd/benchstat@latest old.txt new.txt
func BenchmarkAnalyzers(b *testing.B) {
	for _, a := range analyzers.Own() {
		b.Run(a.Name, func(b *testing.B) {
			b.Run("fixtures", func(b *testing.B) { analyze(b, a, fixtures(b, a)) })
			b.Run(strings.ReplaceAll(largePackage, "/", "_"), func(b *testing.B) { analyze(b, a, large(b, a)) })
		})
	}
}

// BenchmarkFloor measures the floor analyzers of bench/run on net/http: what loading alone costs in the
// same driver, for reading the figures of BenchmarkAnalyzers.
func BenchmarkFloor(b *testing.B) {
	for _, a := range []*analysis.Analyzer{floor.NoOp, floor.Facts, floor.SSA} {
		b.Run(a.Name, func(b *testing.B) { analyze(b, a, large(b, a)) })
	}
}

// analyze runs the analyzer on the packages b.N times and fails on any error.
func analyze(b *testing.B, a *analysis.Analyzer, pkgs []*packages.Package) {
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		graph, err := checker.Analyze([]*analysis.Analyzer{a}, pkgs, nil)
		if err != nil {
			b.Fatal(err)
		}
		for act := range graph.All() {
			if act.Err != nil {
				b.Fatalf("%s: %v", act, act.Err)
			}
		}
	}
}

// fixtures loads the analyzer's fixtures, tests included, in GOPATH mode as analysistest does, or skips if
// the analyzer has none.
func fixtures(b *testing.B, a *analysis.Analyzer) []*packages.Package {
	dir, err := filepath.Abs(filepath.Join("..", "analyzers", "testdata"))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "src", a.Name)); err != nil {
		b.Skipf("no fixtures: %v", err)
	}
	return load(b, loadKey{gopath: dir, pattern: a.Name + "/...", tests: true, allSyntax: floor.NeedFacts([]*analysis.Analyzer{a})})
}

// large loads net/http, without its tests.
func large(b *testing.B, a *analysis.Analyzer) []*packages.Package {
	return load(b, loadKey{pattern: largePackage, allSyntax: floor.NeedFacts([]*analysis.Analyzer{a})})
}

type loadKey struct {
	gopath    string // if set, load in GOPATH mode with this GOPATH
	pattern   string
	tests     bool
	allSyntax bool // load every dependency from source, as the multichecker does for analyzers with facts
}

// loaded caches packages across benchmarks: loading is not what is measured, and takes longer than the
// analysis of most analyzers.
var loaded sync.Map // loadKey → []*packages.Package

func load(b *testing.B, k loadKey) []*packages.Package {
	if pkgs, ok := loaded.Load(k); ok {
		return pkgs.([]*packages.Package)
	}
	cfg := &packages.Config{Mode: packages.LoadSyntax, Tests: k.tests, Env: os.Environ()}
	if k.allSyntax {
		cfg.Mode = packages.LoadAllSyntax
	}
	if k.gopath != "" {
		cfg.Dir = k.gopath
		cfg.Env = append(cfg.Env, "GOPATH="+k.gopath, "GO111MODULE=off", "GOWORK=off")
	}
	pkgs, err := packages.Load(cfg, k.pattern)
	if err != nil {
		b.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		b.Fatalf("%s does not load", k.pattern)
	}
	loaded.Store(k, pkgs)
	return pkgs
}
