package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/conclint/conclint/analyzers"
)

// findingsOnly is -findings: the quick way to refresh the findings snapshots. On each selected module it
// runs only conclint's own analyzers with their default flags (internal/drivers/conclint-own), once, and
// rewrites findings/<module>.txt; it builds nothing else, measures nothing, installs no staticcheck and
// writes no results/. It prints the findings per module and analyzer, and the precision table, which a run
// of the whole corpus also writes into the README.
//
// A package that crashes the driver is named (as the full run does), left out, and the module is run again
// without it, so that the findings of its other packages are still written; the crash is a failure and the
// run exits non-zero.
func findingsOnly(opts options) error {
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
	log.Printf("building conclint's own analyzers")
	if err := goRun(nil, "build", "-o", tmp+string(filepath.Separator), "./internal/drivers/conclint-own"); err != nil {
		return err
	}
	invoke := driverInvocation(filepath.Join(tmp, "conclint-own"))
	rep := &report{Triage: map[string]*triageCounts{}}
	for _, a := range analyzers.Own() {
		rep.Analyzers = append(rep.Analyzers, a.Name)
	}
	for _, m := range mods {
		mr, err := moduleFindings(m, invoke, env)
		if err != nil {
			return fmt.Errorf("%s: %v", m.Name, err)
		}
		rep.Modules = append(rep.Modules, mr)
	}
	rep.finish(time.Since(start))

	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# conclint's findings (bench/run -findings)\n\nOwn analyzers, default flags, tests included; whole run %s.\n\n", time.Since(start).Round(time.Second))
	p("| module | version | packages | left out | wall (s) | peak RSS (MiB) |")
	for _, a := range rep.Analyzers {
		p(" %s |", a)
	}
	p(" all |\n|---|---|--:|--:|--:|--:|%s--:|\n", strings.Repeat("--:|", len(rep.Analyzers)))
	for _, mr := range rep.rows() {
		name := mr.Name
		if mr == rep.Total {
			name = "**total**"
		}
		p("| %s | %s | %d | %d | %s | %s |", name, mr.Version, mr.Packages, len(mr.Excluded),
			valueCell(mr.Tools[keyOwn], func(t *toolReport) float64 { return t.Wall }),
			valueCell(mr.Tools[keyOwn], func(t *toolReport) float64 { return t.RSSMiB }))
		all := 0
		for _, a := range rep.Analyzers {
			p(" %d |", mr.Findings[a])
			all += mr.Findings[a]
		}
		p(" %d |\n", all)
	}
	p("\n")
	rep.triageTable(p)
	if len(rep.Failures) > 0 {
		p("## Failures\n\n")
		for _, f := range rep.Failures {
			p("- %s\n", strings.ReplaceAll(f, "\n", "\n  "))
		}
	}
	fmt.Print(b.String())
	if opts.modules == "" { // the whole corpus: the precision figures are complete
		if err := updateReadme(readmeFile, rep.precisionTable()); err != nil {
			return err
		}
	}
	if len(rep.Failures) > 0 {
		return fmt.Errorf("%d failures: see the Failures section", len(rep.Failures))
	}
	return nil
}

// moduleFindings runs conclint's own analyzers on the module's packages, leaving out, one at a time, the
// packages that crash the driver, and records the findings.
func moduleFindings(m *module, invoke func(*module, []string) invocation, env *goEnv) (*moduleReport, error) {
	pkgs, excluded, err := listPackages(m)
	if err != nil {
		return nil, err
	}
	log.Printf("%s %s: %d packages, %d left out: conclint", m.Name, m.Version, len(pkgs), len(excluded))
	mr := &moduleReport{Name: m.Name, Module: m.Path, Version: m.Version, Packages: len(pkgs), Excluded: excluded,
		Tools: map[string]*toolReport{}, LoadAvg: loadAvg()}
	rel := relativizer(m.Dir, env.GOROOT, env.GOMODCACHE)
	t := &tool{Key: keyOwn, Title: "conclint", invoke: invoke, read: readDriver}
	for len(pkgs) > 0 {
		out, r, err := measureTool(t, m, pkgs, rel)
		if err != nil {
			return nil, err
		}
		mr.Tools[keyOwn] = &toolReport{sample: r.sample, Samples: []sample{r.sample}, Findings: out.Count}
		mr.fail("conclint", out.Failures)
		if !isCrash(out) {
			if out.Analysis == nil {
				return mr, nil // conclint failed: keep the last snapshot; the failure is in the report
			}
			mr.Findings = countByAnalyzer(out.Analysis.Findings)
			return mr, recordFindings(m, out.Analysis.Findings, mr)
		}
		where := isolateCrash(invoke, m, pkgs)
		mr.fail("conclint", []string{where})
		pkg, ok := strings.CutPrefix(where, "crashes on package ")
		if !ok {
			return mr, nil // no single package to leave out: keep the last snapshot
		}
		log.Printf("%s: leaving out %s, which crashes conclint, and running again", m.Name, pkg)
		pkgs = slices.DeleteFunc(pkgs, func(p string) bool { return p == pkg })
		mr.Packages = len(pkgs)
		mr.Excluded = append(mr.Excluded, exclusion{pkg, "crashes conclint"})
	}
	return mr, nil
}
