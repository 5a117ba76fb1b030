// Package report delivers an analyzer's diagnostics: it drops those in generated files and outside the
// package's own files, applies //conclint:ignore directives, and reports directives that name the analyzer
// but silence nothing. It finds nothing itself.
package report

import (
	"fmt"
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
)

// A Reporter reports the diagnostics of one pass. Create it with New at the start of run and call Finish
// at the end.
type Reporter struct {
	pass      *analysis.Pass
	files     map[string]*ast.File // files of the package by name, generated ones excluded
	ignores   []*Directive         // well-formed directives that name this analyzer
	used      map[*Directive]bool
	generated map[string]bool
}

// New returns a Reporter for pass.
func New(pass *analysis.Pass) *Reporter {
	r := &Reporter{
		pass:      pass,
		files:     make(map[string]*ast.File),
		used:      make(map[*Directive]bool),
		generated: make(map[string]bool),
	}
	for _, f := range pass.Files {
		name := pass.Fset.File(f.FileStart).Name()
		if ast.IsGenerated(f) {
			r.generated[name] = true
			continue
		}
		r.files[name] = f
		for _, d := range Directives(pass.Fset, f) {
			if d.Problem() == "" && d.names(pass.Analyzer.Name) {
				r.ignores = append(r.ignores, d)
			}
		}
	}
	return r
}

// Report reports d unless it lies outside the package's non-generated files or a directive silences it.
func (r *Reporter) Report(d analysis.Diagnostic) {
	pos := r.pass.Fset.Position(d.Pos)
	if _, ok := r.files[pos.Filename]; !ok {
		return // generated, or not in this package (for example a position in a dependency)
	}
	if dir := r.ignoring(pos); dir != nil {
		r.used[dir] = true
		return
	}
	r.pass.Report(d)
}

// Reportf reports a diagnostic spanning rng with a formatted message.
func (r *Reporter) Reportf(rng analysis.Range, format string, args ...any) {
	r.Report(analysis.Diagnostic{Pos: rng.Pos(), End: rng.End(), Message: fmt.Sprintf(format, args...)})
}

// ignoring returns the directive that silences a diagnostic at pos: one on the same line or the line above.
func (r *Reporter) ignoring(pos token.Position) *Directive {
	for _, d := range r.ignores {
		if d.File == pos.Filename && (d.Line == pos.Line || d.Line == pos.Line-1) {
			return d
		}
	}
	return nil
}

// Finish reports each //conclint:ignore directive naming this analyzer that silenced nothing.
func (r *Reporter) Finish() {
	for _, d := range r.ignores {
		if !r.used[d] {
			r.pass.Report(analysis.Diagnostic{
				Pos:      d.Pos,
				End:      d.End,
				Category: "unused-ignore",
				Message:  fmt.Sprintf("//conclint:ignore names %s but silences no %s finding here; remove %s from it", r.pass.Analyzer.Name, r.pass.Analyzer.Name, r.pass.Analyzer.Name),
			})
		}
	}
}
