package ignoredirective

import (
	_ "embed"
	"fmt"
	"go/ast"

	"golang.org/x/tools/go/analysis"

	"github.com/conclint/conclint/internal/analyzerdoc"
	"github.com/conclint/conclint/internal/report"
)

//go:embed doc.go
var doc string

// Analyzer checks //conclint:ignore directives.
var Analyzer = &analysis.Analyzer{
	Name: "ignoredirective",
	Doc:  analyzerdoc.MustExtract(doc, "ignoredirective"),
	URL:  "https://github.com/conclint/conclint/blob/main/docs/analyzers/ignoredirective.md",
	Run:  run,
}

func run(pass *analysis.Pass) (any, error) {
	for _, f := range pass.Files {
		if ast.IsGenerated(f) {
			continue // directives in generated files are not the user's to fix
		}
		for _, d := range report.Directives(pass.Fset, f) {
			checkDirective(pass, d)
		}
	}
	return nil, nil
}

// checkDirective reports what is wrong with d: its form first, then each name conclint cannot silence.
func checkDirective(pass *analysis.Pass, d *report.Directive) {
	if problem := d.Problem(); problem != "" {
		pass.Report(analysis.Diagnostic{Pos: d.Pos, End: d.End, Category: "malformed", Message: problem})
		return
	}
	for _, name := range d.Names {
		var msg string
		switch {
		case report.IsOwn(name):
			continue
		case report.IsBundled(name):
			msg = fmt.Sprintf("//conclint:ignore cannot silence %s: it is a bundled upstream pass; disable it with -%s=false", name, name)
		default:
			msg = fmt.Sprintf("//conclint:ignore names unknown analyzer %q", name)
			if near := nearest(name, report.OwnNames()); near != "" {
				msg += fmt.Sprintf("; did you mean %s?", near)
			}
		}
		pass.Report(analysis.Diagnostic{Pos: d.Pos, End: d.End, Category: "unknown-analyzer", Message: msg})
	}
}

// nearest returns the candidate within edit distance 2 of name, or "".
func nearest(name string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := distance(name, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
