// Command benchrun is bench/run, the benchmark that judges conclint on real code.
//
// For each module of corpus.txt, at the version go.mod selects, it runs on the same packages go vet,
// staticcheck, conclint's own analyzers, the upstream passes conclint bundles, and three floors (an analyzer
// that does nothing, one that loads for facts, one that builds SSA). It prints Markdown tables of packages,
// findings, wall time, CPU time and peak RSS, writes them with the raw figures to results/, writes every
// finding of conclint's own analyzers to findings/<module>.txt and counts the verdicts of
// findings/<module>.triage.md. It also checks that conclint does not crash, prints the same output twice,
// reports the same findings under go vet -vettool, and fails clearly on a package that does not type-check.
//
// Usage, from the bench directory (bench/run does this):
//
//	go run ./cmd/benchrun [-modules=ants,raft] [-count=N] [-staticcheck=false] [-checks=false]
//	go run ./cmd/benchrun -findings [-modules=ants,raft]
//	go run ./cmd/benchrun -robust [-robust-pkgs=sync,net/http,...]
//	go run ./cmd/benchrun -sync
//
// See README.md.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// readmeFile is the project's README, whose precision table a run of the whole corpus rewrites.
const readmeFile = "../README.md"

// defaultRobustPkgs is the slice that -robust checks: std and corpus packages full of concurrency, small
// enough to be checked in a minute or two on a 2-core machine.
const defaultRobustPkgs = "sync/...,context,os/exec,net/http,database/sql,golang.org/x/net/http2," +
	"github.com/panjf2000/ants/v2,github.com/hashicorp/raft"

type options struct {
	modules     string
	count       int
	staticcheck bool
	checks      bool
	results     string
	robust      bool
	robustPkgs  string
	sync        bool
	findings    bool
	tools       string
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("bench/run: ")
	var opts options
	flag.StringVar(&opts.modules, "modules", "", "comma-separated `names` of corpus.txt to run (default all)")
	flag.IntVar(&opts.count, "count", 1, "measured runs of each tool; the median is reported")
	flag.BoolVar(&opts.staticcheck, "staticcheck", true, "install and measure staticcheck")
	flag.BoolVar(&opts.checks, "checks", true, "check determinism and go vet -vettool agreement on each module")
	flag.StringVar(&opts.results, "results", "results/latest", "write the tables to `prefix`.md and the figures to prefix.json (default only when the whole corpus runs)")
	flag.BoolVar(&opts.robust, "robust", false, "only run the robustness checks, on the -robust-pkgs slice (for CI)")
	flag.StringVar(&opts.robustPkgs, "robust-pkgs", defaultRobustPkgs, "comma-separated `packages` checked by -robust")
	flag.BoolVar(&opts.findings, "findings", false, "only run conclint's own analyzers (default flags) and rewrite findings/<module>.txt: no other tool, no timing, no results/")
	flag.StringVar(&opts.tools, "tools", "", "comma-separated `keys` of the tools to measure (default all): "+strings.Join(toolKeys(), ", "))
	flag.BoolVar(&opts.sync, "sync", false, "fetch the corpus modules missing from go.mod, regenerate corpus.go, tidy go.mod")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: bench/run [flags]\n\nSee bench/README.md.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 || opts.count < 1 {
		flag.Usage()
		os.Exit(2)
	}
	if opts.modules != "" && !flagSet("results") {
		opts.results = "" // a partial run does not replace the committed results of the whole corpus
	}
	if _, err := os.Stat("corpus.txt"); err != nil {
		log.Fatal("run from the bench directory, as bench/run does")
	}
	var err error
	switch {
	case opts.sync:
		err = syncCorpus()
	case opts.robust:
		err = robust(opts)
	case opts.findings:
		err = findingsOnly(opts)
	default:
		err = benchmark(opts)
	}
	if err != nil {
		log.Fatal(err)
	}
}

// selectTools returns the set of tool keys a -tools value names, or nil for all of them.
func selectTools(list string) (map[string]bool, error) {
	if list == "" {
		return nil, nil
	}
	only := map[string]bool{}
	for _, key := range strings.Split(list, ",") {
		if !slices.Contains(toolKeys(), key) {
			return nil, fmt.Errorf("-tools: unknown tool %q (known: %s)", key, strings.Join(toolKeys(), ", "))
		}
		only[key] = true
	}
	if only[keyCLIWarm] && !only[keyCLICold] {
		return nil, fmt.Errorf("-tools: %s re-runs on the cache %s leaves: name both", keyCLIWarm, keyCLICold)
	}
	return only, nil
}

func flagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// benchmark is the full run over the corpus (or the -modules part of it).
func benchmark(opts options) error {
	start := time.Now()
	corpus, err := readCorpus("corpus.txt")
	if err != nil {
		return err
	}
	mods, err := selectModules(corpus, opts.modules)
	if err != nil {
		return err
	}
	env, err := readGoEnv()
	if err != nil {
		return err
	}
	if err := resolveVersions(mods, env); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "benchrun")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	log.Printf("building the tools")
	bin, err := buildBinaries(tmp, false, opts.staticcheck)
	if err != nil {
		return err
	}
	if bin.only, err = selectTools(opts.tools); err != nil {
		return err
	}
	rep := newReport(opts, bin, env)
	for _, m := range mods {
		mr, err := benchModule(m, bin, env, opts)
		if err != nil {
			return fmt.Errorf("%s: %v", m.Name, err)
		}
		rep.Modules = append(rep.Modules, mr)
	}
	log.Printf("checking the type-error fixture")
	rep.Failures = append(rep.Failures, checkTypeError(bin.conclint)...)
	rep.finish(time.Since(start))

	md := rep.markdown()
	fmt.Print(md)
	if opts.results != "" {
		if err := rep.write(opts.results, md); err != nil {
			return err
		}
	}
	if opts.modules == "" && (bin.only == nil || bin.only[keyOwn]) { // the whole corpus, findings read: the precision figures are complete
		if err := updateReadme(readmeFile, rep.precisionTable()); err != nil {
			return err
		}
	}
	if len(rep.Failures) > 0 {
		return fmt.Errorf("%d failures: see the Failures section", len(rep.Failures))
	}
	return nil
}

// benchModule measures every tool on the module's packages, writes its findings snapshot, reads its
// triage file and runs the checks.
func benchModule(m *module, bin *binaries, env *goEnv, opts options) (*moduleReport, error) {
	pkgs, excluded, err := listPackages(m)
	if err != nil {
		return nil, err
	}
	log.Printf("%s %s: %d packages, %d left out; warming the build cache", m.Name, m.Version, len(pkgs), len(excluded))
	if err := warm(bin, pkgs); err != nil {
		return nil, err
	}
	mr := &moduleReport{Name: m.Name, Module: m.Path, Version: m.Version, Packages: len(pkgs), Excluded: excluded,
		Tools: map[string]*toolReport{}, LoadAvg: loadAvg()}
	rel := relativizer(m.Dir, env.GOROOT, env.GOMODCACHE)
	outputs, ownRuns, err := measureTools(mr, bin, m, pkgs, rel, opts.count)
	if err != nil {
		return nil, err
	}
	if cold, warm := outputs[keyCLICold], outputs[keyCLIWarm]; cold != nil && warm != nil && cold.Analysis != nil && warm.Analysis != nil {
		mr.fail("conclint CLI, warm", compareFindings("cold", cold.Analysis.Findings, "from the cache", warm.Analysis.Findings))
	}
	if outputs[keyOwn] == nil || outputs[keyOwn].Analysis == nil {
		return mr, nil // conclint not measured, or failed: keep the last snapshot; a failure is in the report
	}
	own := outputs[keyOwn].Analysis
	mr.Findings = countByAnalyzer(own.Findings)
	if err := recordFindings(m, own.Findings, mr); err != nil {
		return nil, err
	}
	if !opts.checks {
		return mr, nil
	}
	log.Printf("%s: checks", m.Name)
	if len(ownRuns) < 2 {
		r, err := run(driverInvocation(bin.drivers[keyOwn])(m, pkgs))
		if err != nil {
			return nil, err
		}
		ownRuns = append(ownRuns, r.Stdout)
	}
	mr.fail("conclint run twice", compareRuns(ownRuns[0], ownRuns[1]))
	if bundled := outputs[keyBundled].Analysis; bundled != nil {
		failures, err := checkVettool(bin.conclint, pkgs, mergeFindings(own.Findings, bundled.Findings), rel)
		if err != nil {
			return nil, err
		}
		mr.fail("conclint under go vet -vettool", failures)
	}
	mr.Checked = true
	return mr, nil
}

// measureTools runs each tool count times on the packages and records the samples in mr. It returns what
// each tool reported on its first run, and the output of every run of conclint for the determinism check.
func measureTools(mr *moduleReport, bin *binaries, m *module, pkgs []string, rel func(string) string, count int) (map[string]*toolOutput, [][]byte, error) {
	outputs := map[string]*toolOutput{}
	var ownRuns [][]byte
	for _, t := range bin.tools() {
		log.Printf("%s: %s", m.Name, t.Title)
		tr := &toolReport{}
		for i := range count {
			out, r, err := measureTool(t, m, pkgs, rel)
			if err != nil {
				return nil, nil, err
			}
			tr.Samples = append(tr.Samples, r.sample)
			if t.Key == keyOwn {
				ownRuns = append(ownRuns, r.Stdout)
			}
			if i > 0 {
				continue
			}
			outputs[t.Key], tr.Findings = out, out.Count
			mr.fail(t.Title, out.Failures)
			if isCrash(out) && t.driver != "" {
				mr.fail(t.Title, []string{isolateCrash(driverInvocation(t.driver), m, pkgs)})
			}
		}
		tr.sample = median(tr.Samples)
		mr.Tools[t.Key] = tr
	}
	return outputs, ownRuns, nil
}

// measureTool runs the tool once on the packages and reads its output.
func measureTool(t *tool, m *module, pkgs []string, rel func(string) string) (*toolOutput, *result, error) {
	inv := t.invoke(m, pkgs)
	r, err := run(inv)
	removeScratch(inv)
	if err != nil {
		return nil, nil, err
	}
	out, err := t.read(r, rel)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", t.Title, err)
	}
	return out, r, nil
}

// warm fills the build cache with what every tool reads from it, so that the measured runs compare analysis
// and not compilation: go vet compiles the packages' dependencies (tests included) and the load floor
// makes go list compute the export data and the cgo-processed files that the drivers load.
func warm(bin *binaries, pkgs []string) error {
	for _, inv := range []invocation{
		{argv: append([]string{"go", "vet"}, pkgs...)},
		driverInvocation(bin.drivers[keyNoop])(nil, pkgs),
	} {
		if _, err := run(inv); err != nil {
			return err
		}
	}
	return nil
}

// recordFindings writes the module's findings snapshot, creates its triage file if there is none, and
// counts the triage verdicts.
func recordFindings(m *module, findings []*finding, mr *moduleReport) error {
	if err := writeSnapshot("findings", m, findings); err != nil {
		return err
	}
	file := filepath.Join("findings", m.Name+".triage.md")
	if err := ensureTriageFile(file, m); err != nil {
		return err
	}
	t, err := readTriage(file, findings)
	mr.Triage = t
	return err
}

// goEnv is what the harness needs to know of the go command's environment.
type goEnv struct {
	GOROOT, GOMODCACHE, GOVERSION string
}

func readGoEnv() (*goEnv, error) {
	out, err := goOutput("env", "GOROOT", "GOMODCACHE", "GOVERSION")
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		return nil, fmt.Errorf("go env: unexpected output %q", out)
	}
	return &goEnv{GOROOT: lines[0], GOMODCACHE: lines[1], GOVERSION: lines[2]}, nil
}
