// Package driver is the conclint command. It is golang.org/x/tools's multichecker, which also serves as
// the vet tool of "go vet -vettool", plus a SARIF output for code scanning that the multichecker lacks:
// with -sarif=FILE, the driver loads and analyzes the packages itself, with the public
// golang.org/x/tools/go/analysis/checker package, prints the findings as the multichecker does and
// writes them to FILE as a SARIF 2.1.0 log. A plain run ("conclint ./...", analyzer selection and
// flags, -test, -c) goes through the same code without the log, so that a package that does not
// type-check is named once, instead of once per skipped analyzer. Everything else (go vet's protocol,
// -json, -fix, -diff, -debug, profiles, help) is the multichecker, unchanged.
package driver

import (
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/multichecker"
	"golang.org/x/tools/go/packages"

	"github.com/conclint/conclint/internal/sarif"
)

// InformationURI is the home page of conclint, for the SARIF log.
const InformationURI = "https://github.com/conclint/conclint"

// sarifUsage is the usage of the -sarif flag.
const sarifUsage = "write the findings to `file` as a SARIF 2.1.0 log (\"-\": stdout), in addition to printing them; not with -json, -fix or go vet"

// Exit codes of the standalone driver, as the multichecker's.
const (
	exitClean    = 0 // no findings
	exitError    = 1 // a package or an analyzer failed, or a pattern matched nothing
	exitUsage    = 2 // bad flags
	exitFindings = 3 // findings, and no error
)

// Main runs the conclint command with analyzers and exits. It does not return.
func Main(analyzers ...*analysis.Analyzer) {
	progname, args := filepath.Base(os.Args[0]), os.Args[1:]
	switch {
	case wantsSARIF(args):
		os.Exit(RunSARIF(progname, args, analyzers, os.Stdout, os.Stderr))
	case plainRun(args):
		os.Exit(RunText(progname, args, analyzers, os.Stderr))
	}
	// Registered for "conclint help" to list; when it is set, RunSARIF runs instead. It is kept out of
	// the flags that -flags describes to go vet, so that go vet itself rejects -sarif, once, rather
	// than pass it to every run of the vet tool.
	if !slices.Contains(os.Args[1:], "-flags") {
		flag.String("sarif", "", sarifUsage)
	}
	multichecker.Main(analyzers...)
}

// wantsSARIF reports whether args, the command's arguments, set the -sarif flag: "-sarif=FILE",
// "-sarif FILE", or the same with "--".
func wantsSARIF(args []string) bool {
	for _, arg := range args {
		if arg == "--" {
			break
		}
		name, ok := strings.CutPrefix(arg, "-")
		if !ok {
			continue
		}
		name = strings.TrimPrefix(name, "-")
		name, _, _ = strings.Cut(name, "=")
		if name == "sarif" {
			return true
		}
	}
	return false
}

// multicheckerOnly are the flags that only the multichecker implements: a command line with one of them
// runs it.
var multicheckerOnly = map[string]bool{
	"json": true, "fix": true, "diff": true, "debug": true, "cpuprofile": true, "memprofile": true,
	"trace": true, "V": true, "flags": true, "v": true,
}

// plainRun reports whether args ask for a plain run that prints findings as text: packages, and no flag
// that only the multichecker implements, nor go vet's arguments (a .cfg file, -V, -flags), nor help.
// Such a run goes through RunText, which reports packages that do not type-check more clearly than the
// multichecker.
func plainRun(args []string) bool {
	if len(args) == 0 || args[0] == "help" || strings.HasSuffix(args[len(args)-1], ".cfg") {
		return false
	}
	for _, arg := range args {
		name, ok := strings.CutPrefix(arg, "-")
		if !ok || arg == "--" {
			break // the packages
		}
		name, _, _ = strings.Cut(strings.TrimPrefix(name, "-"), "=")
		if multicheckerOnly[name] {
			return false
		}
	}
	return true
}

// RunText runs the analyzers as "progname args..." and prints their findings on stderr as the
// multichecker does, and returns its exit code: 0 clean, 3 findings, 1 errors. It accepts the flags
// RunSARIF does, but -sarif.
func RunText(progname string, args []string, analyzers []*analysis.Analyzer, stderr io.Writer) int {
	opts, code := parseFlags(progname, args, analyzers, stderr, false)
	if opts == nil {
		return code
	}
	r := &run{progname: progname, stderr: stderr, builder: sarif.NewBuilder(sarif.ToolComponent{Name: "conclint"}, opts.analyzers, "", nil)}
	return r.analyze(opts)
}

// RunSARIF runs the analyzers as "progname args..." with a -sarif flag among args, and returns the exit
// code. It accepts the multichecker's flags that make sense with SARIF: -NAME and -NAME=false to select
// analyzers, -NAME.FLAG for the analyzers' flags, -test and -c; -tags is accepted with no effect, as by
// the multichecker. The findings are printed on stderr as the multichecker prints them, and written to
// the -sarif file ("-": stdout).
func RunSARIF(progname string, args []string, analyzers []*analysis.Analyzer, stdout, stderr io.Writer) int {
	opts, code := parseFlags(progname, args, analyzers, stderr, true)
	if opts == nil {
		return code
	}
	dir, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progname, err)
		return exitError
	}
	b := sarif.NewBuilder(sarif.ToolComponent{
		Name:           "conclint",
		Version:        version(),
		InformationURI: InformationURI,
	}, opts.analyzers, dir, nil)
	r := &run{progname: progname, stderr: stderr, builder: b}
	code = r.analyze(opts)
	if err := writeLog(opts.output, stdout, b, code != exitError); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progname, err)
		return exitError
	}
	return code
}

// options are the parsed command line of RunSARIF.
type options struct {
	output       string               // -sarif
	tests        bool                 // -test
	contextLines int                  // -c
	analyzers    []*analysis.Analyzer // selected by the -NAME flags
	patterns     []string
}

// parseFlags parses args, which must set -sarif if withSARIF. On an error, it prints it and returns nil and
// the exit code.
func parseFlags(progname string, args []string, analyzers []*analysis.Analyzer, stderr io.Writer, withSARIF bool) (*options, int) {
	fs := flag.NewFlagSet(progname, flag.ContinueOnError)
	fs.SetOutput(stderr)
	opts := new(options)
	fs.StringVar(&opts.output, "sarif", "", sarifUsage)
	fs.BoolVar(&opts.tests, "test", true, "indicates whether test files should be analyzed, too")
	fs.IntVar(&opts.contextLines, "c", -1, "display offending line with this many lines of context")
	fs.String("tags", "", "no effect (deprecated)")
	conflicting := []string{"json", "fix", "diff"}
	for _, name := range conflicting {
		fs.Bool(name, false, "not with -sarif")
	}
	enabled := make(map[*analysis.Analyzer]*triState)
	for _, a := range analyzers {
		enabled[a] = new(triState)
		fs.Var(enabled[a], a.Name, fmt.Sprintf("enable %q analysis", a.Name))
		a.Flags.VisitAll(func(f *flag.Flag) { fs.Var(f.Value, a.Name+"."+f.Name, f.Usage) })
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, exitClean
		}
		return nil, exitUsage
	}
	opts.patterns = fs.Args()
	opts.analyzers = selectAnalyzers(analyzers, enabled)

	fail := func(code int, format string, args ...any) (*options, int) {
		fmt.Fprintf(stderr, format+"\n", args...)
		return nil, code
	}
	if !withSARIF {
		if len(opts.patterns) == 0 {
			return fail(exitError, "Usage: %s [-flag] [package]", progname)
		}
		return opts, 0
	}
	if len(opts.patterns) == 1 && strings.HasSuffix(opts.patterns[0], ".cfg") {
		return fail(exitError, "%s: -sarif does not work under go vet: run %s -sarif=FILE ./... instead", progname, progname)
	}
	set := make(map[string]bool)
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case !set["sarif"]:
		return fail(exitUsage, "%s: -sarif must come before the packages", progname)
	case opts.output == "":
		return fail(exitUsage, "%s: -sarif needs a file name, or - for stdout", progname)
	}
	for _, name := range conflicting {
		if fs.Lookup(name).Value.(flag.Getter).Get().(bool) {
			return fail(exitUsage, "%s: -sarif cannot be combined with -%s", progname, name)
		}
	}
	if len(opts.patterns) == 0 {
		return fail(exitError, "Usage: %s -sarif=FILE [-flag] [package]", progname)
	}
	return opts, 0
}

// run is one run of RunSARIF.
type run struct {
	progname string
	stderr   io.Writer
	builder  *sarif.Builder
}

// fail prints an error of the run and records it in the log.
func (r *run) fail(message string) {
	fmt.Fprintf(r.stderr, "%s: %s\n", r.progname, message)
	r.builder.Notify(message, token.Position{})
}

// analyze loads the packages matching the patterns, runs the analyzers on them, prints their findings
// and adds them to the log. It returns the exit code.
func (r *run) analyze(opts *options) int {
	mode := packages.LoadSyntax | packages.NeedModule
	if needFacts(opts.analyzers) {
		mode = packages.LoadAllSyntax | packages.NeedModule
	}
	pkgs, err := packages.Load(&packages.Config{Mode: mode, Tests: opts.tests}, opts.patterns...)
	if err != nil {
		r.fail(err.Error())
		return exitError
	}
	if len(pkgs) == 0 {
		r.fail(strings.Join(opts.patterns, " ") + " matched no packages")
		return exitError
	}
	code := exitClean
	if r.printErrors(pkgs) {
		code = exitError
	}
	pkgs = r.typeChecked(pkgs)
	if len(pkgs) == 0 {
		return exitError
	}

	graph, err := checker.Analyze(opts.analyzers, pkgs, nil)
	if err != nil {
		r.fail(err.Error())
		return exitError
	}
	if err := graph.PrintText(r.stderr, opts.contextLines); err != nil {
		r.fail(err.Error())
		return exitError
	}
	findings := 0
	for act := range graph.All() {
		switch {
		case act.Err != nil:
			code = exitError
			r.builder.Notify(act.String()+": "+act.Err.Error(), token.Position{})
		case act.IsRoot:
			for _, d := range act.Diagnostics {
				r.builder.Add(act.Analyzer, act.Package.Fset, d)
				findings++
			}
		}
	}
	if code == exitClean && findings > 0 {
		code = exitFindings
	}
	return code
}

// typeChecked returns the packages whose own code and dependencies load and type-check; each other one
// is named, once, as not analyzed: the analyzers would only report that they were skipped.
func (r *run) typeChecked(pkgs []*packages.Package) []*packages.Package {
	broken := make(map[*packages.Package]bool)
	var visit func(p *packages.Package) bool
	visit = func(p *packages.Package) bool {
		if b, seen := broken[p]; seen {
			return b
		}
		broken[p] = len(p.Errors) > 0 || p.Types == nil
		for _, imp := range p.Imports {
			if visit(imp) {
				broken[p] = true
			}
		}
		return broken[p]
	}
	var ok []*packages.Package
	named := make(map[string]bool)
	for _, p := range pkgs {
		if !visit(p) {
			ok = append(ok, p)
		} else if !named[p.PkgPath] {
			named[p.PkgPath] = true
			why := "could not be loaded"
			if slices.ContainsFunc(p.Errors, func(e packages.Error) bool { return e.Kind == packages.TypeError }) {
				why = "does not type-check"
			}
			r.fail(fmt.Sprintf("%s %s: not analyzed", p.PkgPath, why))
		}
	}
	return ok
}

// printErrors prints the errors of the packages and their dependencies, under a "# path" line for each
// package as go build prints them, and records them in the log. It reports whether there were any.
func (r *run) printErrors(pkgs []*packages.Package) bool {
	found := false
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		if len(p.Errors) == 0 {
			return
		}
		found = true
		fmt.Fprintf(r.stderr, "# %s\n", p.PkgPath)
		for _, e := range p.Errors {
			fmt.Fprintln(r.stderr, e)
			r.builder.Notify(fmt.Sprintf("package %s: %v", p.PkgPath, e), parsePos(e.Pos))
		}
	})
	if mod := moduleErrors(pkgs); mod != "" {
		found = true
		r.fail(mod)
	}
	return found
}

// parsePos parses the position of a package error, "file:line:col", "file:line" or "-" or "".
func parsePos(s string) token.Position {
	var pos token.Position
	rest := s
	var nums []int
	for range 2 {
		i := strings.LastIndexByte(rest, ':')
		if i < 0 {
			break
		}
		n, err := strconv.Atoi(rest[i+1:])
		if err != nil {
			break
		}
		nums = append([]int{n}, nums...)
		rest = rest[:i]
	}
	if len(nums) == 0 || rest == "" {
		return pos
	}
	pos.Filename, pos.Line = rest, nums[0]
	if len(nums) == 2 {
		pos.Column = nums[1]
	}
	return pos
}

// moduleErrors returns the errors of the modules of pkgs, one per line, or "".
func moduleErrors(pkgs []*packages.Package) string {
	seen := make(map[*packages.Module]bool)
	var lines []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		if m := p.Module; m != nil && m.Error != nil && !seen[m] {
			seen[m] = true
			lines = append(lines, m.Error.Err)
		}
	})
	return strings.Join(lines, "\n")
}

// writeLog writes the SARIF log to the file named output, or to stdout if output is "-".
func writeLog(output string, stdout io.Writer, b *sarif.Builder, successful bool) error {
	if output == "-" {
		return b.Write(stdout, successful)
	}
	f, err := os.Create(output)
	if err != nil {
		return err
	}
	if err := b.Write(f, successful); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// selectAnalyzers returns the analyzers that the -NAME flags select, as the multichecker does: those
// set to true if any is, otherwise all but those set to false.
func selectAnalyzers(analyzers []*analysis.Analyzer, enabled map[*analysis.Analyzer]*triState) []*analysis.Analyzer {
	var hasTrue, hasFalse bool
	for _, a := range analyzers {
		hasTrue = hasTrue || *enabled[a] == setTrue
		hasFalse = hasFalse || *enabled[a] == setFalse
	}
	var keep []*analysis.Analyzer
	for _, a := range analyzers {
		switch {
		case hasTrue && *enabled[a] != setTrue:
		case !hasTrue && hasFalse && *enabled[a] == setFalse:
		default:
			keep = append(keep, a)
		}
	}
	return keep
}

// needFacts reports whether any of the analyzers, or the analyzers they require, uses facts: then the
// dependencies must be loaded from source too.
func needFacts(analyzers []*analysis.Analyzer) bool {
	seen := make(map[*analysis.Analyzer]bool)
	var visit func([]*analysis.Analyzer) bool
	visit = func(list []*analysis.Analyzer) bool {
		for _, a := range list {
			if seen[a] {
				continue
			}
			seen[a] = true
			if len(a.FactTypes) > 0 || visit(a.Requires) {
				return true
			}
		}
		return false
	}
	return visit(analyzers)
}

// modulePath is conclint's module.
const modulePath = "github.com/conclint/conclint"

// version returns the version of conclint's module in this binary, or "" when it is not known: a build
// from a work tree. Under "go tool", conclint is a dependency of the main module, not the main module.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	mod := &bi.Main
	if mod.Path != modulePath {
		mod = nil
		for _, dep := range bi.Deps {
			if dep.Path == modulePath {
				mod = dep
			}
		}
	}
	if mod == nil {
		return ""
	}
	if mod.Replace != nil {
		mod = mod.Replace // a directory has no version
	}
	if mod.Version == "(devel)" {
		return ""
	}
	return mod.Version
}

// triState is the value of a -NAME flag: unset, true or false.
type triState int

const (
	unset triState = iota
	setTrue
	setFalse
)

func (ts *triState) IsBoolFlag() bool { return true }

func (ts *triState) Get() any { return *ts == setTrue }

func (ts *triState) String() string {
	switch *ts {
	case setTrue:
		return "true"
	case setFalse:
		return "false"
	}
	return "unset"
}

func (ts *triState) Set(value string) error {
	b, err := strconv.ParseBool(value)
	if err != nil {
		return err
	}
	*ts = setFalse
	if b {
		*ts = setTrue
	}
	return nil
}
