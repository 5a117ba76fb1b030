package driver

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/conclint/conclint/internal/sarif"
)

// printer prints the outcome of a run in the format of the options.
type printer struct {
	progname       string
	opts           *options
	stdout, stderr io.Writer
	cwd            string
	files          map[string][]string // lines of the files read for -c
	sarifData      []byte              // what was written to the -sarif file, for the replay
}

func newPrinter(progname string, opts *options, stdout, stderr io.Writer) *printer {
	cwd, _ := os.Getwd()
	return &printer{progname: progname, opts: opts, stdout: stdout, stderr: stderr, cwd: cwd, files: make(map[string][]string)}
}

// print prints the outcome and returns the exit code.
func (p *printer) print(out *outcome) int {
	out.findings = sortFindings(out.findings)
	errs := p.printErrors(out)
	var err error
	switch p.opts.format {
	case "text":
		p.printText(out.findings)
	case "json":
		err = p.printJSON(out)
	case "sarif":
		err = p.writeSARIF(p.stdout, out, errs)
	}
	if err == nil && p.opts.sarifFile != "" {
		err = p.writeSARIFFile(out, errs)
	}
	if err != nil {
		fmt.Fprintf(p.stderr, "%s: %v\n", p.progname, err)
		return exitError
	}
	switch {
	case len(errs) > 0:
		return exitError
	case len(out.findings) > 0 && p.opts.format == "text":
		return exitFindings
	}
	return exitClean
}

// rel returns name relative to the working directory when it is inside it.
func (p *printer) rel(name string) string {
	if p.cwd == "" || !filepath.IsAbs(name) {
		return name
	}
	if r, err := filepath.Rel(p.cwd, name); err == nil && filepath.IsLocal(r) {
		return r
	}
	return name
}

// posString returns pos as "file:line:col", the file relative to the working directory.
func (p *printer) posString(pos token.Position) string {
	pos.Filename = p.rel(pos.Filename)
	return pos.String()
}

// A runError is an error of the run, with the position it is about if any.
type runError struct {
	message string
	pos     token.Position
}

// printErrors prints, on stderr, the errors of the packages (under a "# path" line per package, as go
// build does), then one line for each package that was not analyzed, and the analyzers' failures. It
// returns them all, for the SARIF log.
func (p *printer) printErrors(out *outcome) []runError {
	var errs []runError
	if !out.matched {
		msg := strings.Join(p.opts.patterns, " ") + " matched no packages"
		fmt.Fprintf(p.stderr, "%s: %s\n", p.progname, msg)
		return []runError{{message: msg}}
	}
	paths := make([]string, 0, len(out.depErrors))
	for path := range out.depErrors {
		paths = append(paths, path)
	}
	slices.Sort(paths)
	for _, path := range paths {
		fmt.Fprintf(p.stderr, "# %s\n", path)
		for _, err := range out.depErrors[path] {
			var perr packages.Error
			if errors.As(err, &perr) {
				pos := packageErrorPos(perr.Pos)
				msg := compileErrors(perr.Msg)
				if pos.Filename != "" {
					fmt.Fprintf(p.stderr, "%s: %s\n", p.posString(pos), msg)
				} else {
					fmt.Fprintln(p.stderr, msg)
				}
				errs = append(errs, runError{fmt.Sprintf("package %s: %s", path, msg), pos})
				continue
			}
			fmt.Fprintln(p.stderr, err)
			errs = append(errs, runError{message: fmt.Sprintf("package %s: %v", path, err)})
		}
	}
	named := make(map[string]bool)
	for _, b := range out.broken {
		if named[b.path] {
			continue
		}
		named[b.path] = true
		msg := b.message()
		fmt.Fprintf(p.stderr, "%s: %s\n", p.progname, msg)
		errs = append(errs, runError{message: msg})
	}
	for _, path := range out.skipped {
		fmt.Fprintf(p.stderr, "%s: warning: skipped package %s: too large to analyze (a file over 50 MB)\n", p.progname, path)
	}
	for _, f := range out.failures {
		msg := "analyzer failed: " + f
		fmt.Fprintf(p.stderr, "%s: %s\n", p.progname, msg)
		errs = append(errs, runError{message: msg})
	}
	return errs
}

// compileErrors returns the message of a package error without the "# path" line that go build puts
// above compile errors: the driver prints its own.
func compileErrors(msg string) string {
	msg = strings.TrimPrefix(msg, "\n")
	if strings.HasPrefix(msg, "# ") {
		if _, rest, ok := strings.Cut(msg, "\n"); ok {
			return rest
		}
	}
	return msg
}

// isTypeError reports whether err is a type error: an error of the loader's type-checking, or a compile
// error of go list -export.
func isTypeError(err error) bool {
	var perr packages.Error
	if !errors.As(err, &perr) {
		return true
	}
	return perr.Kind == packages.TypeError || strings.HasPrefix(strings.TrimPrefix(perr.Msg, "\n"), "# ")
}

// printText prints the findings on stderr as go vet does: "file:line:col: message", and each related
// position under it, its message indented, with the file relative to the working directory.
func (p *printer) printText(findings []finding) {
	var b strings.Builder
	line := func(start, end token.Position, message string) {
		fmt.Fprintf(&b, "%s: %s\n", p.posString(start), message)
		if p.opts.contextLines >= 0 {
			p.context(&b, start, end)
		}
	}
	for _, f := range findings {
		line(f.Position, f.End, f.Message)
		for _, rel := range f.Related {
			line(rel.Position, rel.End, "\t"+rel.Message)
		}
	}
	io.WriteString(p.stderr, b.String())
}

// context prints the lines from start to end with -c lines of context around them.
func (p *printer) context(b *strings.Builder, start, end token.Position) {
	lines, ok := p.files[start.Filename]
	if !ok {
		data, _ := os.ReadFile(start.Filename)
		lines = strings.Split(string(data), "\n")
		p.files[start.Filename] = lines
	}
	if !end.IsValid() || end.Filename != start.Filename {
		end = start
	}
	for i := start.Line - p.opts.contextLines; i <= end.Line+p.opts.contextLines; i++ {
		if 1 <= i && i <= len(lines) {
			fmt.Fprintf(b, "%d\t%s\n", i, lines[i-1])
		}
	}
}

// The JSON form of go vet -json: package ID → analyzer name → diagnostics, or an error.
type (
	jsonDiagnostic struct {
		Category       string             `json:"category,omitempty"`
		Posn           string             `json:"posn"`
		End            string             `json:"end"`
		Message        string             `json:"message"`
		SuggestedFixes []jsonSuggestedFix `json:"suggested_fixes,omitempty"`
		Related        []jsonRelated      `json:"related,omitempty"`
	}
	jsonSuggestedFix struct {
		Message string         `json:"message"`
		Edits   []jsonTextEdit `json:"edits"`
	}
	jsonTextEdit struct {
		Filename string `json:"filename"`
		Start    int    `json:"start"`
		End      int    `json:"end"`
		New      string `json:"new"`
	}
	jsonRelated struct {
		Posn    string `json:"posn"`
		End     string `json:"end"`
		Message string `json:"message"`
	}
	jsonError struct {
		Err string `json:"error"`
	}
)

// printJSON prints the findings on stdout as one JSON object, as go vet -json does; a package that was
// not analyzed has an error for each analyzer.
func (p *printer) printJSON(out *outcome) error {
	tree := make(map[string]map[string]any)
	add := func(id, name string, v any) {
		if tree[id] == nil {
			tree[id] = make(map[string]any)
		}
		tree[id][name] = v
	}
	orEnd := func(end, start token.Position) string {
		if end.IsValid() {
			return end.String()
		}
		return start.String()
	}
	// Findings are sorted by position; within a package, keep each analyzer's in that order, without
	// the duplicates of a package and its test variant, which have different IDs.
	lists := make(map[[2]string][]jsonDiagnostic)
	for _, f := range out.findings {
		d := jsonDiagnostic{Category: f.category, Posn: f.Position.String(), End: orEnd(f.End, f.Position), Message: f.Message}
		for _, fix := range f.SuggestedFixes {
			jf := jsonSuggestedFix{Message: fix.Message, Edits: []jsonTextEdit{}}
			for _, e := range fix.TextEdits {
				jf.Edits = append(jf.Edits, jsonTextEdit{e.Position.Filename, e.Position.Offset, cmp.Or(e.End, e.Position).Offset, string(e.NewText)})
			}
			d.SuggestedFixes = append(d.SuggestedFixes, jf)
		}
		for _, r := range f.Related {
			d.Related = append(d.Related, jsonRelated{r.Position.String(), orEnd(r.End, r.Position), r.Message})
		}
		k := [2]string{f.pkg, f.analyzer.Name}
		lists[k] = append(lists[k], d)
	}
	for k, list := range lists {
		add(k[0], k[1], list)
	}
	for _, b := range out.broken {
		for _, a := range p.opts.analyzers {
			add(b.id, a.Name, jsonError{b.message()})
		}
	}
	data, err := json.MarshalIndent(tree, "", "\t")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(p.stdout, "%s\n", data)
	return err
}

// writeSARIFFile writes the SARIF log to the -sarif file, or to stdout for "-".
func (p *printer) writeSARIFFile(out *outcome, errs []runError) error {
	if p.opts.sarifFile == "-" {
		return p.writeSARIF(p.stdout, out, errs)
	}
	var b bytes.Buffer
	if err := p.writeSARIF(&b, out, errs); err != nil {
		return err
	}
	if err := os.WriteFile(p.opts.sarifFile, b.Bytes(), 0o666); err != nil {
		return err
	}
	p.sarifData = b.Bytes()
	return nil
}

// writeSARIF writes the SARIF log of the run to w: a rule per selected analyzer, a result per finding,
// a notification per error.
func (p *printer) writeSARIF(w io.Writer, out *outcome, errs []runError) error {
	b := sarif.NewBuilder(sarif.ToolComponent{
		Name:           "conclint",
		Version:        version(),
		InformationURI: InformationURI,
	}, p.opts.analyzers, p.cwd, nil)
	for _, f := range out.findings {
		b.AddDiagnostic(f.analyzer, sarifDiagnostic(f))
	}
	for _, e := range errs {
		b.Notify(e.message, e.pos)
	}
	return b.Write(w, len(errs) == 0)
}

func sarifDiagnostic(f finding) sarif.Diagnostic {
	d := sarif.Diagnostic{Start: f.Position, End: f.End, Category: f.category, Message: f.Message}
	for _, r := range f.Related {
		d.Related = append(d.Related, sarif.RelatedInformation{Start: r.Position, End: r.End, Message: r.Message})
	}
	for _, fix := range f.SuggestedFixes {
		sf := sarif.SuggestedFix{Message: fix.Message}
		for _, e := range fix.TextEdits {
			sf.Edits = append(sf.Edits, sarif.TextEdit{Start: e.Position, End: e.End, NewText: string(e.NewText)})
		}
		d.Fixes = append(d.Fixes, sf)
	}
	return d
}
