package goroutineerr

import (
	"go/token"
	"slices"
	"strings"
)

type fileLine struct {
	file string
	line int
}

// nolinted reports whether the line of pos carries a //nolint directive that silences goroutineerr: a bare
// //nolint, //nolint:all, or a //nolint: list that names errcheck (the linter whose job this overlaps) or
// goroutineerr. The author has judged that line; golangci-lint's machine-readable form is the only one
// accepted (no space after //).
func (c *checker) nolinted(pos token.Pos) bool {
	if c.nolint == nil {
		c.nolint = make(map[fileLine]bool)
		for _, f := range c.pass.Files {
			for _, group := range f.Comments {
				for _, cm := range group.List {
					if silencesUs(cm.Text) {
						p := c.pass.Fset.Position(cm.Pos())
						c.nolint[fileLine{p.Filename, p.Line}] = true
					}
				}
			}
		}
	}
	p := c.pass.Fset.Position(pos)
	return c.nolint[fileLine{p.Filename, p.Line}]
}

// silencesUs reports whether the comment text is a //nolint directive that covers goroutineerr.
func silencesUs(text string) bool {
	rest, ok := strings.CutPrefix(text, "//nolint")
	if !ok {
		return false
	}
	if rest == "" || rest[0] == ' ' || rest[0] == '\t' {
		return true // bare //nolint, maybe followed by an explanation
	}
	list, ok := strings.CutPrefix(rest, ":")
	if !ok {
		return false // //nolintfoo
	}
	if i := strings.IndexAny(list, " \t"); i >= 0 {
		list = list[:i] // the explanation after the list
	}
	names := strings.Split(list, ",")
	return slices.Contains(names, "errcheck") || slices.Contains(names, "goroutineerr") || slices.Contains(names, "all")
}
