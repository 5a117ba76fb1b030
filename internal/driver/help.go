package driver

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"runtime"
	"runtime/debug"
	"strings"
	"text/tabwriter"

	"golang.org/x/tools/go/analysis"

	"github.com/conclint/conclint/docs"
)

// usage prints conclint's help: what it finds, the analyzers with their titles, the main flags and where
// the documentation is.
func usage(w io.Writer, progname string, analyzers []*analysis.Analyzer) {
	fmt.Fprintf(w, `%[1]s reports concurrency mistakes in Go code: blocking calls made while a mutex is held,
goroutines leaked on a channel, errors lost in goroutines, goroutines nobody waits for or can stop,
variables written by goroutines without synchronization; and it runs the concurrency passes of go vet
and staticcheck next to its own.

Usage:
  %[1]s [flags] packages           analyze the packages (patterns as for go build) and print the findings
  %[1]s -explain NAME              print the documentation of an analyzer and its flags
  go vet -vettool=$(which %[1]s) [flags] packages

Analyzers (all run by default):
`, progname)
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, a := range analyzers {
		fmt.Fprintf(tw, "  %s\t%s\n", a.Name, title(a))
	}
	tw.Flush()
	fmt.Fprintf(w, `
Flags:
  -NAME                 run only the analyzers named with a true flag, e.g. -lockblock -SA2001
  -NAME=false           run every analyzer but this one
  -NAME.FLAG=value      set a flag of an analyzer, e.g. -lockblock.calls (-explain NAME lists them)
  -f format             output format: text (default; findings on stderr), json or sarif (on stdout)
  -json                 same as -f json: go vet's JSON, package -> analyzer -> findings
  -sarif file           also write the findings to file as a SARIF 2.1.0 log ("-": stdout)
  -fix, -diff           apply the suggested fixes, or print them as a diff
  -test=false           do not analyze test files
  -c N                  print each finding's line with N lines of context
  -tags list            build tags, comma-separated
  -version              print conclint's version
  -clean-cache          delete the result cache
  -replay=false         analyze even when nothing changed since the last run

Exit code: 0 no findings, 3 findings, 1 an error (with -f json or sarif: 0 or 1), 2 bad flags.
Results are cached per package in $%[2]s, by default conclint under the user cache directory
(here %[3]s); an unchanged package is not analyzed again, and a run whose inputs are all unchanged
prints the last run's output again.
Silence a justified finding with //conclint:ignore NAME reason, on its line or the line above.

Documentation: %[4]s (docs/integrations.md: flags, exit codes, CI)
`, progname, CacheEnv, cacheDirForHelp(), InformationURI)
}

// cacheDirForHelp returns the cache directory, or the reason there is none.
func cacheDirForHelp() string {
	dir, err := cacheDir()
	if err != nil {
		return err.Error()
	}
	return dir
}

// title returns the first paragraph of a's Doc, on one line.
func title(a *analysis.Analyzer) string {
	t, _, _ := strings.Cut(a.Doc, "\n\n")
	return strings.Join(strings.Fields(t), " ")
}

// explain prints the documentation of the analyzer named name: its docs page when conclint has one,
// otherwise its Doc; then its flags and its URL.
func explain(stdout, stderr io.Writer, progname string, analyzers []*analysis.Analyzer, name string) int {
	var a *analysis.Analyzer
	var names []string
	for _, x := range analyzers {
		names = append(names, x.Name)
		if strings.EqualFold(x.Name, name) {
			a = x
		}
	}
	if a == nil {
		hint := ""
		if best := closest(name, names); best != "" {
			hint = "; did you mean " + best + "?"
		}
		fmt.Fprintf(stderr, "%s: unknown analyzer %q%s (%s -h lists the analyzers)\n", progname, name, hint, progname)
		return exitUsage
	}
	if page, err := fs.ReadFile(docs.Analyzers, "analyzers/"+a.Name+".md"); err == nil {
		var b strings.Builder
		for line := range strings.Lines(string(page)) {
			if strings.HasPrefix(line, "<!-- ") {
				continue // the generated block's markers
			}
			b.WriteString(line)
		}
		fmt.Fprint(stdout, strings.TrimSpace(b.String()), "\n")
	} else {
		fmt.Fprintf(stdout, "%s: %s\n", a.Name, strings.TrimSpace(a.Doc))
		var flags strings.Builder
		a.Flags.VisitAll(func(f *flag.Flag) {
			fmt.Fprintf(&flags, "  -%s.%s (default %s)\n    \t%s\n", a.Name, f.Name, f.DefValue, f.Usage)
		})
		if flags.Len() > 0 {
			fmt.Fprintf(stdout, "\nFlags:\n%s", flags.String())
		}
	}
	if a.URL != "" {
		fmt.Fprintf(stdout, "\nOnline documentation: %s\n", a.URL)
	}
	return exitClean
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

// versionString returns what -version prints: the module version, or "devel" with the VCS revision of a
// build from a work tree; then the Go version.
func versionString() string {
	v := version()
	if v == "" {
		v = "devel"
		if bi, ok := debug.ReadBuildInfo(); ok {
			var rev, modified string
			for _, s := range bi.Settings {
				switch s.Key {
				case "vcs.revision":
					rev = s.Value
				case "vcs.modified":
					if s.Value == "true" {
						modified = ", modified"
					}
				}
			}
			if rev != "" {
				v += " (" + rev + modified + ")"
			}
		}
	}
	return v + " " + runtime.Version()
}
