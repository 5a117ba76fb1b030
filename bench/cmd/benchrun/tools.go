package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Keys of the tools measured, in the order of the tables.
const (
	keyVet         = "vet"
	keyStaticcheck = "staticcheck"
	keyCLICold     = "cli-cold"
	keyCLIWarm     = "cli-warm"
	keyOwn         = "conclint"
	keyBundled     = "bundled"
	keyNoop        = "floor-load"
	keyFacts       = "floor-facts"
	keySSA         = "floor-ssa"
	keySSAForm     = "floor-ssaform"
	keyLockEngine  = "floor-lockengine"
	keyLockOrder   = "lockorder-alone"
)

// binaries are the executables a run measures, built once per run.
type binaries struct {
	dir                string
	conclint           string // cmd/conclint: own and bundled analyzers, for the vettool comparison
	staticcheck        string
	staticcheckVersion string
	drivers            map[string]string // key → multichecker binary built from internal/drivers
	only               map[string]bool   // the keys of the tools to measure; nil: all
}

// drivers are the multicheckers of internal/drivers that a run measures, in table order.
var drivers = []struct{ key, title, cmd string }{
	{keyOwn, "conclint", "conclint-own"},
	{keyBundled, "bundled passes", "conclint-bundled"},
	{keyNoop, "floor: load", "floor-noop"},
	{keyFacts, "floor: load for facts", "floor-facts"},
	{keySSA, "floor: SSA", "floor-ssa"},
	{keySSAForm, "floor: shared SSA", "floor-ssaform"},
	{keyLockEngine, "floor: lock engine", "floor-lockengine"},
	{keyLockOrder, "lockorder alone", "lockorder-alone"},
}

// buildBinaries builds cmd/conclint into dir and, unless onlyConclint, the measured drivers and the
// staticcheck of the version go.mod selects, installed with go install.
func buildBinaries(dir string, onlyConclint, withStaticcheck bool) (*binaries, error) {
	bin := &binaries{dir: dir, conclint: filepath.Join(dir, "conclint"), drivers: map[string]string{}}
	pkgs := []string{"github.com/conclint/conclint/cmd/conclint"}
	if !onlyConclint {
		pkgs = append(pkgs, "./internal/drivers/...")
		for _, d := range drivers {
			bin.drivers[d.key] = filepath.Join(dir, d.cmd)
		}
	}
	if err := goRun(nil, append([]string{"build", "-o", dir + string(filepath.Separator)}, pkgs...)...); err != nil {
		return nil, err
	}
	if onlyConclint || !withStaticcheck {
		return bin, nil
	}
	version, err := goOutput("list", "-m", "-f", "{{.Version}}", "honnef.co/go/tools")
	if err != nil {
		return nil, err
	}
	pkg := "honnef.co/go/tools/cmd/staticcheck@" + strings.TrimSpace(version)
	if err := goRun([]string{"GOBIN=" + dir}, "install", pkg); err != nil {
		return nil, err
	}
	bin.staticcheck = filepath.Join(dir, "staticcheck")
	out, err := run(invocation{argv: []string{bin.staticcheck, "-version"}})
	if err != nil {
		return nil, err
	}
	bin.staticcheckVersion = strings.TrimSpace(string(out.Stdout))
	return bin, nil
}

// A tool is one of the programs compared: how to invoke it on a module's packages, and how to read what it
// printed.
type tool struct {
	Key, Title string
	driver     string // the multichecker binary, for the drivers of internal/drivers
	invoke     func(m *module, pkgs []string) invocation
	read       func(r *result, rel func(string) string) (*toolOutput, error)
}

// A toolOutput is what a tool reported: its findings, as a count and, for analysis drivers, as a list, and
// the failures (panics, analyzers in error, packages that do not load) that make the run invalid.
type toolOutput struct {
	Count    int
	Analysis *analysisOutput // nil for staticcheck
	Failures []string
}

// tools returns the tools to measure, in table order: all of them, or those of bin.only.
func (bin *binaries) tools() []*tool {
	ts := []*tool{{Key: keyVet, Title: "go vet", invoke: vetInvocation, read: readVet}}
	if bin.staticcheck != "" {
		ts = append(ts, &tool{Key: keyStaticcheck, Title: "staticcheck", invoke: bin.staticcheckInvocation, read: readStaticcheck})
	}
	ts = append(ts,
		&tool{Key: keyCLICold, Title: "conclint CLI, cold", invoke: bin.cliInvocation(true), read: readDriver},
		&tool{Key: keyCLIWarm, Title: "conclint CLI, warm", invoke: bin.cliInvocation(false), read: readDriver})
	for _, d := range drivers {
		binary := bin.drivers[d.key]
		ts = append(ts, &tool{Key: d.key, Title: d.title, driver: binary, invoke: driverInvocation(binary), read: readDriver})
	}
	if bin.only != nil {
		ts = slices.DeleteFunc(ts, func(t *tool) bool { return !bin.only[t.Key] })
	}
	return ts
}

// toolKeys are the keys a -tools flag may name, in table order.
func toolKeys() []string {
	keys := []string{keyVet, keyStaticcheck, keyCLICold, keyCLIWarm}
	for _, d := range drivers {
		keys = append(keys, d.key)
	}
	return keys
}

// vetInvocation runs go vet with its default analyzers. go vet caches its results in the build cache, so
// that a second run over unchanged code analyzes nothing: a -printf.funcs value that names no function
// and changes with every run makes it analyze every package, as a first run would, while the compiled
// dependencies still come from the warm build cache. Passing any vet flag turns on -unsafeptr for std,
// which go vet otherwise turns off there: it is turned off again, so the findings are those of the defaults.
func vetInvocation(m *module, pkgs []string) invocation {
	args := []string{"go", "vet", "-json", fmt.Sprintf("-printf.funcs=benchrunNonce%d", time.Now().UnixNano())}
	if m.isStd() {
		args = append(args, "-unsafeptr=false")
	}
	return invocation{argv: append(args, pkgs...)}
}

// staticcheckInvocation runs staticcheck with its default checks and an empty cache of its own, so that it
// analyzes every package and dependency as a first run would.
func (bin *binaries) staticcheckInvocation(m *module, pkgs []string) invocation {
	cache := filepath.Join(bin.dir, fmt.Sprintf("staticcheck-cache-%d", time.Now().UnixNano()))
	return invocation{
		argv:    append([]string{bin.staticcheck, "-f", "json"}, pkgs...),
		env:     []string{"STATICCHECK_CACHE=" + cache},
		scratch: cache,
	}
}

// cliInvocation runs cmd/conclint as a user does (conclint ./...: its own analyzers and the bundled
// passes, on lintcmd's runner) with -json, on a result cache of its own. The cold run starts from an
// empty cache, as staticcheck's run does; the warm run is an unchanged re-run on the cache the cold run
// left, so it must follow a cold run of the same module.
func (bin *binaries) cliInvocation(cold bool) func(m *module, pkgs []string) invocation {
	return func(m *module, pkgs []string) invocation {
		cache := filepath.Join(bin.dir, "conclint-cache")
		inv := invocation{argv: append([]string{bin.conclint, "-json"}, pkgs...), env: []string{"CONCLINT_CACHE=" + cache}}
		if cold {
			inv.clean = cache
		}
		return inv
	}
}

// driverInvocation runs a multichecker binary with -json (its default -test=true, like go vet and
// staticcheck: every tool analyzes the packages with their tests).
func driverInvocation(binary string) func(m *module, pkgs []string) invocation {
	return func(m *module, pkgs []string) invocation {
		return invocation{argv: append([]string{binary, "-json"}, pkgs...)}
	}
}

// readDriver reads a multichecker's or conclint's -json run. With -json both exit 0 even when they report
// findings, and 1 when a package does not load; an analyzer that fails on a package is an "error" entry in the JSON.
func readDriver(r *result, rel func(string) string) (*toolOutput, error) {
	return readAnalysis(r, r.Stdout, rel)
}

// readVet reads a "go vet -json" run: one tree per package, on standard output (older go commands print
// it on standard error).
func readVet(r *result, rel func(string) string) (*toolOutput, error) {
	if len(bytes.TrimSpace(r.Stdout)) == 0 {
		return readAnalysis(r, r.Stderr, rel)
	}
	return readAnalysis(r, r.Stdout, rel)
}

func readAnalysis(r *result, jsonOut []byte, rel func(string) string) (*toolOutput, error) {
	if failed := failure(r, r.Exit != 0); failed != "" {
		return &toolOutput{Failures: []string{failed}}, nil // the output may be cut short: don't read it
	}
	a, err := parseAnalysisJSON(jsonOut, rel)
	if err != nil {
		return nil, err
	}
	return &toolOutput{Count: len(a.Findings), Analysis: a, Failures: a.Errors}, nil
}

// readStaticcheck reads a "staticcheck -f json" run, which exits 1 when it reports findings.
func readStaticcheck(r *result, _ func(string) string) (*toolOutput, error) {
	if failed := failure(r, r.Exit > 1 || r.Exit == 1 && len(r.Stdout) == 0); failed != "" {
		return &toolOutput{Failures: []string{failed}}, nil
	}
	n, errs, err := parseStaticcheckJSON(r.Stdout)
	if err != nil {
		return nil, err
	}
	return &toolOutput{Count: n, Failures: errs}, nil
}

// failure describes how the run failed, if it panicked, reported an internal error or badExit, or is "".
func failure(r *result, badExit bool) string {
	switch {
	case bytes.Contains(r.Stderr, []byte("panic:")), bytes.Contains(r.Stderr, []byte("internal error")):
		return "crashed:\n" + excerpt(r.Stderr)
	case badExit:
		return fmt.Sprintf("exit status %d:\n%s", r.Exit, excerpt(r.Stderr))
	}
	return ""
}

// removeScratch removes what a run left in its scratch directory.
func removeScratch(inv invocation) {
	if inv.scratch != "" {
		os.RemoveAll(inv.scratch)
	}
}
