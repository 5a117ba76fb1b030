package report

import (
	"go/ast"
	"go/token"
	"strings"
)

// Prefix starts every conclint directive comment.
const Prefix = "//conclint:"

// A Directive is one //conclint:ignore comment.
type Directive struct {
	Pos    token.Pos // the comment
	End    token.Pos
	File   string // file name, for matching diagnostics
	Line   int    // line of the comment
	Verb   string // "ignore" for a well-formed directive
	Names  []string
	Reason string
}

// Problem returns what is malformed about d in the form of a diagnostic message, or "" if d is well formed.
// Unknown analyzer names are not checked here; see Unknown.
func (d *Directive) Problem() string {
	switch {
	case d.Verb != "ignore":
		return "unknown directive //conclint:" + d.Verb + "; the only directive is //conclint:ignore <analyzer>[,<analyzer>] <reason>"
	case len(d.Names) == 0:
		return "//conclint:ignore needs the names of the analyzers to silence and a reason"
	case d.Reason == "":
		return "//conclint:ignore " + strings.Join(d.Names, ",") + " has no reason; say why the finding is acceptable"
	}
	return ""
}

// names reports whether d names analyzer.
func (d *Directive) names(analyzer string) bool {
	for _, n := range d.Names {
		if n == analyzer {
			return true
		}
	}
	return false
}

// Directives returns the //conclint: directives in file, in source order.
func Directives(fset *token.FileSet, file *ast.File) []*Directive {
	var out []*Directive
	for _, group := range file.Comments {
		for _, c := range group.List {
			if !strings.HasPrefix(c.Text, Prefix) {
				continue
			}
			pos := fset.Position(c.Pos())
			d := &Directive{Pos: c.Pos(), End: c.End(), File: pos.Filename, Line: pos.Line}
			rest := strings.TrimPrefix(c.Text, Prefix)
			verb, rest, _ := strings.Cut(rest, " ")
			d.Verb = strings.TrimSpace(verb)
			rest = strings.TrimSpace(rest)
			names, reason, _ := strings.Cut(rest, " ")
			for _, n := range strings.Split(names, ",") {
				if n = strings.TrimSpace(n); n != "" {
					d.Names = append(d.Names, n)
				}
			}
			d.Reason = strings.TrimSpace(reason)
			out = append(out, d)
		}
	}
	return out
}
