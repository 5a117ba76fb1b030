package driver

import (
	"cmp"
	"errors"
	"fmt"
	"go/token"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
	"honnef.co/go/tools/config"
	"honnef.co/go/tools/go/loader"
	"honnef.co/go/tools/lintcmd/cache"
	"honnef.co/go/tools/lintcmd/runner"
)

// A finding is one diagnostic of one analyzer in one package, positions resolved.
type finding struct {
	pkg      string // the package ID, as go vet -json keys it
	analyzer *analysis.Analyzer
	category string // the analyzer's own Category, "" if none
	runner.Diagnostic
}

// A brokenPackage is an initial package that was not analyzed.
type brokenPackage struct {
	id, path string
	errors   []error // its own errors; none when a dependency is the cause
	cause    string  // when errors is empty, a dependency with errors
	spec     *loader.PackageSpec
}

// outcome is what a run of the runner found.
type outcome struct {
	findings  []finding
	broken    []brokenPackage
	depErrors map[string][]error // errors of packages, by path, initial or not
	failures  []string           // analyzer errors, "analyzer on package: error"
	skipped   []string           // packages the runner skipped as too large
	matched   bool               // some package matched the patterns
}

// standalone runs the analyzers of opts on the packages of opts, prints what it finds and returns the
// exit code. When the run's inputs are those of an earlier run that ended with or without findings, it
// prints that run's output again instead (see replay.go).
func standalone(progname string, opts *options, stdout, stderr io.Writer) int {
	defer tuneGC()()
	c, err := openCache(progname, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progname, err)
		return exitError
	}
	defer c.close()
	if err := setCacheSalt(opts.all); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progname, err)
		return exitError
	}
	debug := func(format string, args ...any) {
		if replayDebug() {
			fmt.Fprintf(stderr, "%s: replay: %s\n", progname, fmt.Sprintf(format, args...))
		}
	}
	var (
		in    *runInputs
		key   cache.ActionID
		start = time.Now()
	)
	if !opts.replay {
		debug("off: -replay=false")
	} else if inputs, why := replayInputs(progname, opts, c.dir); inputs == nil {
		debug("off: %s", why)
	} else if k, err := inputs.key(); err != nil {
		debug("off: %v", err)
	} else if e, ok := loadReplay(c, k); !ok {
		debug("miss %x (key: %v)", k[:8], time.Since(start).Round(time.Millisecond))
		in, key = inputs, k
	} else if code, err := e.replay(opts, stdout, stderr); err != nil {
		debug("cannot replay: %v", err)
		in, key = inputs, k
	} else {
		debug("hit %x (%v)", k[:8], time.Since(start).Round(time.Millisecond))
		return code
	}

	out, err := analyze(opts, c)
	var corrupt *cacheError
	if errors.As(err, &corrupt) {
		// A cache entry that cannot be read: start over with an empty cache, once.
		fmt.Fprintf(stderr, "%s: the result cache %s is corrupt (%v): deleted it, analyzing again\n", progname, c.dir, corrupt.err)
		if err = c.reset(); err == nil {
			out, err = analyze(opts, c)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progname, err)
		return exitError
	}
	var rec recorder
	recOut, recErr := rec.writers(stdout, stderr)
	p := newPrinter(progname, opts, recOut, recErr)
	code := p.print(out)
	if in == nil {
		return code
	}
	if code != exitClean && code != exitFindings {
		debug("not stored: exit code %d", code)
		return code
	}
	// The key again: a file changed while the run read it must not pair the old key with the new output.
	switch after, err := in.key(); {
	case err != nil:
		debug("not stored: %v", err)
	case after != key:
		debug("not stored: the inputs changed during the run")
	default:
		err := storeReplay(c, key, &replayEntry{Chunks: rec.chunks, Code: code, SARIF: p.sarifData})
		debug("stored %x (%v)", key[:8], err)
	}
	return code
}

// tagSep separates the analyzer's name from its own category in the Category of the diagnostics that the
// runner stores: the runner uses Category as the name of the check that reported it.
const tagSep = "/"

// tagged returns an analyzer that runs a and reports its diagnostics with the Category
// "name/category", so that the analyzer of each diagnostic is known after the runner. An error of a is
// also reported, as a diagnostic of category "name/" + errorTag, so that it reaches the output (the
// runner drops analyzer errors) and the cache. After a has run, rel releases the results that no analyzer
// left to run on the package needs. When split is not nil, a requires the copies it makes in place of
// ctrlflow.Analyzer and what requires it (see ctrlflow.go).
func tagged(a *analysis.Analyzer, rel *releaser, split *ctrlflowSplit) *analysis.Analyzer {
	t := *a
	t.Requires = split.requires(a.Requires)
	t.Run = func(pass *analysis.Pass) (any, error) {
		split.alias(a, pass.ResultOf)
		p := *pass
		p.Analyzer = a
		p.Report = func(d analysis.Diagnostic) {
			d.Category = a.Name + tagSep + d.Category
			pass.Report(d)
		}
		res, err := a.Run(&p)
		if err != nil && len(pass.Files) > 0 {
			pass.Report(analysis.Diagnostic{Pos: pass.Files[0].Package, Category: a.Name + tagSep + errorTag, Message: err.Error()})
		}
		rel.done(a, pass)
		return res, err
	}
	return &t
}

// errorTag is the category of the diagnostic that stands for an error of the analyzer.
const errorTag = "\x00error"

// analyze runs the selected analyzers with the runner on the packages and returns what they found. The
// error is a *cacheError when the cache cannot be read. The cache salt must be set (setCacheSalt).
func analyze(opts *options, c *resultCache) (*outcome, error) {
	r, err := runner.New(config.Config{}, c.cache)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]*analysis.Analyzer)
	var run []*analysis.Analyzer
	rel := newReleaser(opts.analyzers)
	split := newCtrlflowSplit(opts.analyzers)
	for _, a := range opts.analyzers {
		byName[a.Name] = a
		run = append(run, tagged(a, rel, split))
	}
	cfg := &packages.Config{Tests: opts.tests}
	if opts.tags != "" {
		cfg.BuildFlags = []string{"-tags", opts.tags}
	}
	results, err := r.Run(cfg, run, opts.patterns)
	if err != nil {
		return nil, err
	}
	out := &outcome{depErrors: make(map[string][]error), matched: len(results) > 0}
	for _, res := range results {
		if res.Failed {
			if err := cacheFailure(res.Errors); err != nil {
				return nil, err
			}
			if len(res.Errors) > 0 {
				out.depErrors[res.Package.PkgPath] = res.Errors
			}
			if res.Initial {
				out.broken = append(out.broken, brokenPackage{id: res.Package.ID, path: res.Package.PkgPath, errors: res.Errors, spec: res.Package})
			}
			continue
		}
		if !res.Initial {
			continue
		}
		if res.Skipped {
			out.skipped = append(out.skipped, res.Package.PkgPath)
			continue
		}
		data, err := res.Load()
		if err != nil {
			return nil, &cacheError{err}
		}
		ignores := parseIgnores(data.Directives)
		for _, d := range data.Diagnostics {
			name, category, _ := strings.Cut(d.Category, tagSep)
			a := byName[name]
			if a == nil {
				continue // not one of ours: cannot happen, as all analyzers are tagged
			}
			if category == errorTag {
				out.failures = append(out.failures, fmt.Sprintf("%s on %s: %s", name, res.Package.PkgPath, d.Message))
				continue
			}
			d.Category = category
			if ignores.match(name, d.Position) {
				continue
			}
			out.findings = append(out.findings, finding{res.Package.ID, a, category, d})
		}
	}
	slices.SortFunc(out.broken, func(a, b brokenPackage) int { return strings.Compare(a.id, b.id) })
	for i := range out.broken {
		if b := &out.broken[i]; len(b.errors) == 0 {
			b.cause = brokenDependency(b.spec, out.depErrors, make(map[*loader.PackageSpec]bool))
		}
	}
	return out, nil
}

// message returns the line that names b as not analyzed, and why.
func (b brokenPackage) message() string {
	switch {
	case len(b.errors) == 0 && b.cause != "":
		return fmt.Sprintf("%s not analyzed: its dependency %s has errors", b.path, b.cause)
	case len(b.errors) == 0:
		return b.path + " not analyzed: a dependency has errors"
	case slices.ContainsFunc(b.errors, isTypeError):
		return b.path + " does not type-check: not analyzed"
	}
	return b.path + " could not be loaded: not analyzed"
}

// brokenDependency returns the path of a dependency of spec that has errors, or "".
func brokenDependency(spec *loader.PackageSpec, errs map[string][]error, seen map[*loader.PackageSpec]bool) string {
	paths := make([]string, 0, len(spec.Imports))
	for path := range spec.Imports {
		paths = append(paths, path)
	}
	slices.Sort(paths)
	for _, path := range paths {
		dep := spec.Imports[path]
		if dep == nil || seen[dep] {
			continue
		}
		seen[dep] = true
		if len(errs[dep.PkgPath]) > 0 {
			return dep.PkgPath
		}
		if cause := brokenDependency(dep, errs, seen); cause != "" {
			return cause
		}
	}
	return ""
}

// cacheFailure returns a *cacheError if errs, the errors of a package, include a failure to read or
// write the cache; the runner names these "failed loading cached ..." and "failed caching ...".
func cacheFailure(errs []error) error {
	for _, err := range errs {
		var perr packages.Error
		if errors.As(err, &perr) {
			continue
		}
		msg := err.Error()
		if strings.Contains(msg, "cached") || strings.Contains(msg, "caching") || strings.Contains(msg, "computing hash") {
			return &cacheError{err}
		}
	}
	return nil
}

// A cacheError is a failure to read the result cache.
type cacheError struct{ err error }

func (e *cacheError) Error() string { return e.err.Error() }

// ignores are the //lint:ignore and //lint:file-ignore directives of a package, as staticcheck applies
// them: "//lint:ignore NAME[,NAME] reason" silences the named analyzers (glob patterns, case folded) on
// the line of the statement or declaration the comment is attached to; file-ignore in the whole file.
type ignores struct {
	lines []lineIgnore
	files []lineIgnore // line 0
}

type lineIgnore struct {
	file   string
	line   int
	checks []string
}

func parseIgnores(dirs []runner.SerializedDirective) ignores {
	var ig ignores
	for _, d := range dirs {
		if len(d.Arguments) < 2 {
			continue // no reason: staticcheck rejects it, and so does our documentation
		}
		checks := strings.Split(strings.ToLower(d.Arguments[0]), ",")
		switch d.Command {
		case "ignore":
			ig.lines = append(ig.lines, lineIgnore{d.NodePosition.Filename, d.NodePosition.Line, checks})
		case "file-ignore":
			ig.files = append(ig.files, lineIgnore{d.NodePosition.Filename, 0, checks})
		}
	}
	return ig
}

// match reports whether a directive silences analyzer name at pos.
func (ig ignores) match(name string, pos token.Position) bool {
	name = strings.ToLower(name)
	matches := func(l lineIgnore) bool {
		return slices.ContainsFunc(l.checks, func(c string) bool {
			ok, _ := filepath.Match(c, name)
			return ok
		})
	}
	for _, l := range ig.lines {
		if l.file == pos.Filename && l.line == pos.Line && matches(l) {
			return true
		}
	}
	for _, l := range ig.files {
		if l.file == pos.Filename && matches(l) {
			return true
		}
	}
	return false
}

// sortFindings orders findings by file, position, analyzer and message, and drops duplicates: the same
// diagnostic in a package and its test variant. Of duplicates it keeps the one of the package with the
// shortest ID (the package itself, not its test variant), whatever order the runner finished them in.
func sortFindings(list []finding) []finding {
	compare := func(a, b finding) int {
		return cmp.Or(
			strings.Compare(a.Position.Filename, b.Position.Filename),
			cmp.Compare(a.Position.Line, b.Position.Line),
			cmp.Compare(a.Position.Column, b.Position.Column),
			strings.Compare(a.analyzer.Name, b.analyzer.Name),
			strings.Compare(a.Message, b.Message),
			cmp.Compare(a.End.Offset, b.End.Offset))
	}
	slices.SortFunc(list, func(a, b finding) int {
		return cmp.Or(compare(a, b), cmp.Compare(len(a.pkg), len(b.pkg)), strings.Compare(a.pkg, b.pkg))
	})
	return slices.CompactFunc(list, func(a, b finding) bool { return compare(a, b) == 0 })
}

// packageErrorPos returns the position of a package error, "file:line:col", "file:line", "-" or "".
func packageErrorPos(s string) token.Position {
	var pos token.Position
	if s == "" || s == "-" {
		return pos
	}
	file, rest, _ := strings.Cut(s, ":")
	pos.Filename = file
	fmt.Sscanf(rest, "%d:%d", &pos.Line, &pos.Column)
	return pos
}
