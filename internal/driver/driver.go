// Package driver is the conclint command.
//
// A plain run ("conclint ./...") goes through staticcheck's runner, honnef.co/go/tools/lintcmd/runner:
// it analyzes the packages in dependency order, one package in memory per worker, loads dependencies from
// the compiler's export data and passes facts between packages through a result cache on disk, which also
// serves unchanged packages on the next run. The cache is conclint's own (see cacheDir), and its key
// includes conclint's build and the analyzers' flags. The driver adds what conclint's users rely on:
// analyzer selection and flags as the multichecker spells them, //conclint:ignore (applied by the
// analyzers) and //lint:ignore (applied here), go vet's -json shape, SARIF, the exit codes of
// docs/integrations.md, and its own help, -explain and -version. It also releases the results of the
// engines (the SSA form, staticcheck's IR, the inspector) as soon as no analyzer left to run on a package
// reads them, which the runner would keep to the end of the package (see release.go).
//
// A run whose inputs (conclint's build and flags, the command line, the go command and its environment,
// the files of the module) are those of an earlier run that ended with or without findings prints that
// run's output again without running the runner, as go test does with its test cache (see replay.go and
// docs/integrations.md).
//
// go vet's protocol (-V=full, -flags, a .cfg file), -fix and -diff go to golang.org/x/tools's
// multichecker, unchanged.
package driver

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/multichecker"
)

// InformationURI is the home page of conclint, for the SARIF log and the help text.
const InformationURI = "https://github.com/conclint/conclint"

// Exit codes of the standalone driver.
const (
	exitClean    = 0 // no findings
	exitError    = 1 // a package or an analyzer failed, or a pattern matched nothing
	exitUsage    = 2 // bad flags
	exitFindings = 3 // findings, and no error
)

// Main runs the conclint command with analyzers and exits. It does not return.
func Main(analyzers ...*analysis.Analyzer) {
	progname, args := filepath.Base(os.Args[0]), os.Args[1:]
	if multicheckerRun(args) {
		multichecker.Main(analyzers...)
	}
	os.Exit(Run(progname, args, analyzers, os.Stdout, os.Stderr))
}

// multicheckerOnly are the flags that only the multichecker implements: a command line with one of them
// runs it.
var multicheckerOnly = map[string]bool{
	"fix": true, "diff": true, "debug": true, "cpuprofile": true, "memprofile": true, "trace": true,
	"V": true, "flags": true,
}

// multicheckerRun reports whether args are for the multichecker: go vet's protocol (a .cfg file, -V,
// -flags), or a flag only the multichecker implements, before the packages.
func multicheckerRun(args []string) bool {
	if len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg") {
		return true
	}
	for _, arg := range args {
		name, ok := strings.CutPrefix(arg, "-")
		if !ok || arg == "--" {
			break // the packages
		}
		name, _, _ = strings.Cut(strings.TrimPrefix(name, "-"), "=")
		if multicheckerOnly[name] {
			return true
		}
	}
	return false
}

// options are the parsed command line of a standalone run.
type options struct {
	format       string   // -f: text, json or sarif
	sarifFile    string   // -sarif: also write a SARIF log there ("-": stdout)
	tests        bool     // -test
	contextLines int      // -c
	tags         string   // -tags
	explain      string   // -explain
	version      bool     // -version
	cleanCache   bool     // -clean-cache
	replay       bool     // -replay
	args         []string // the command line, flags and patterns, for the replay key
	all          []*analysis.Analyzer
	analyzers    []*analysis.Analyzer // selected by the -NAME flags
	patterns     []string
}

// Run runs the conclint command as "progname args..." with analyzers, writing to stdout and stderr, and
// returns its exit code. It does not handle the multichecker's modes (see multicheckerRun).
func Run(progname string, args []string, analyzers []*analysis.Analyzer, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "help" {
		if len(args) > 1 {
			return explain(stdout, stderr, progname, analyzers, args[1])
		}
		usage(stdout, progname, analyzers)
		return exitClean
	}
	opts, code := parseFlags(progname, args, analyzers, stderr)
	if opts == nil {
		return code
	}
	switch {
	case opts.version:
		fmt.Fprintf(stdout, "%s %s\n", progname, versionString())
		return exitClean
	case opts.explain != "":
		return explain(stdout, stderr, progname, analyzers, opts.explain)
	case opts.cleanCache:
		return cleanCache(stdout, stderr, progname)
	case len(opts.patterns) == 0:
		fmt.Fprintf(stderr, "Usage: %s [flags] packages (%s -h for help)\n", progname, progname)
		return exitError
	}
	return standalone(progname, opts, stdout, stderr)
}

// parseFlags parses args. On an error, or on -h, it prints what it must and returns nil and the exit code.
func parseFlags(progname string, args []string, analyzers []*analysis.Analyzer, stderr io.Writer) (*options, int) {
	fs := flag.NewFlagSet(progname, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	opts := &options{all: analyzers, args: args}
	var jsonFlag bool
	fs.StringVar(&opts.format, "f", "text", "output `format`: text, json or sarif")
	fs.BoolVar(&jsonFlag, "json", false, "print the findings on stdout as JSON, as go vet -json does (same as -f json)")
	fs.StringVar(&opts.sarifFile, "sarif", "", "also write the findings to `file` as a SARIF 2.1.0 log (\"-\": stdout)")
	fs.BoolVar(&opts.tests, "test", true, "analyze test files too")
	fs.IntVar(&opts.contextLines, "c", -1, "print the offending line with `N` lines of context")
	fs.StringVar(&opts.tags, "tags", "", "build `tags` to consider, comma-separated")
	fs.StringVar(&opts.explain, "explain", "", "print the documentation of analyzer `NAME`")
	fs.BoolVar(&opts.version, "version", false, "print conclint's version")
	fs.BoolVar(&opts.cleanCache, "clean-cache", false, "delete conclint's result cache")
	fs.BoolVar(&opts.replay, "replay", true, "print the previous run's output again when nothing it depends on changed")
	enabled := make(map[*analysis.Analyzer]*triState)
	for _, a := range analyzers {
		enabled[a] = new(triState)
		fs.Var(enabled[a], a.Name, "enable the "+a.Name+" analyzer")
		a.Flags.VisitAll(func(f *flag.Flag) { fs.Var(f.Value, a.Name+"."+f.Name, f.Usage) })
	}
	var help bool
	fs.BoolVar(&help, "h", false, "print the help")
	fs.BoolVar(&help, "help", false, "print the help")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stderr, progname, analyzers)
			return nil, exitClean
		}
		fmt.Fprintf(stderr, "%s: %v%s (%s -h lists the flags)\n", progname, err, flagHint(err, fs), progname)
		return nil, exitUsage
	}
	if help {
		usage(stderr, progname, analyzers)
		return nil, exitClean
	}
	set := make(map[string]bool)
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if jsonFlag {
		if set["f"] && opts.format != "json" {
			fmt.Fprintf(stderr, "%s: -json and -f %s disagree\n", progname, opts.format)
			return nil, exitUsage
		}
		opts.format = "json"
	}
	switch opts.format {
	case "text", "json", "sarif":
	default:
		fmt.Fprintf(stderr, "%s: unknown output format -f %s; the formats are text, json and sarif\n", progname, opts.format)
		return nil, exitUsage
	}
	if set["sarif"] {
		switch {
		case opts.sarifFile == "":
			fmt.Fprintf(stderr, "%s: -sarif needs a file name, or - for stdout\n", progname)
			return nil, exitUsage
		case opts.format != "text":
			fmt.Fprintf(stderr, "%s: -sarif cannot be combined with -f %s\n", progname, opts.format)
			return nil, exitUsage
		}
	}
	opts.patterns = fs.Args()
	if i := slices.IndexFunc(opts.patterns, func(p string) bool { return strings.HasPrefix(p, "-") }); i >= 0 {
		fmt.Fprintf(stderr, "%s: flag %s after the packages: flags must come first\n", progname, opts.patterns[i])
		return nil, exitUsage
	}
	opts.analyzers = selectAnalyzers(analyzers, enabled)
	return opts, 0
}

// flagHint returns a "; did you mean -X?" suffix for an error of an undefined flag close to a defined one.
func flagHint(err error, fs *flag.FlagSet) string {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !ok {
		return ""
	}
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if best := closest(name, names); best != "" {
		return "; did you mean -" + best + "?"
	}
	if prefix, _, ok := strings.Cut(name, "."); ok && fs.Lookup(prefix) == nil {
		return "; there is no analyzer " + strconv.Quote(prefix)
	}
	return ""
}

// closest returns the name in names closest to name, within an edit distance of 2, or "".
func closest(name string, names []string) string {
	best, bestDist := "", 3
	for _, n := range names {
		if d := editDistance(strings.ToLower(name), strings.ToLower(n)); d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

// editDistance returns the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
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
