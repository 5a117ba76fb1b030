// Package analyzerdoc extracts an analyzer's Doc from the "# Analyzer <name>" section of its package comment
// and renders the generated block of its docs page. It reports nothing.
package analyzerdoc

import (
	"flag"
	"fmt"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Extract returns the Doc of analyzer name from content, the source of its doc.go. The package comment must
// have a "# Analyzer <name>" section whose first line is "<name>: <title>". The result is the title, a blank
// line, and the rest of the section, as analysis.Analyzer.Doc expects (the driver prints the name itself).
func Extract(content, name string) (string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", content, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return "", err
	}
	if f.Doc == nil {
		return "", fmt.Errorf("doc.go has no package comment")
	}
	text := "\n" + f.Doc.Text()
	heading := "\n# Analyzer " + name + "\n"
	start := strings.Index(text, heading)
	if start < 0 {
		return "", fmt.Errorf("package comment has no %q section", strings.TrimSpace(heading))
	}
	section := text[start+len(heading):]
	if end := strings.Index(section, "\n# "); end >= 0 {
		section = section[:end]
	}
	section = strings.TrimSpace(section)
	title, rest, _ := strings.Cut(section, "\n")
	prefix := name + ": "
	if !strings.HasPrefix(title, prefix) {
		return "", fmt.Errorf("section %q must begin with %q", strings.TrimSpace(heading), prefix+"<title>")
	}
	title = strings.TrimSpace(strings.TrimPrefix(title, prefix))
	rest = strings.TrimSpace(rest)
	if rest == "" {
		return title, nil
	}
	return title + "\n\n" + rest, nil
}

// MustExtract is Extract that panics on error; analyzers call it to initialise their Doc.
func MustExtract(content, name string) string {
	doc, err := Extract(content, name)
	if err != nil {
		panic(fmt.Sprintf("analyzer %s: %v", name, err))
	}
	return doc
}

// Title returns the first paragraph of an analyzer's Doc.
func Title(doc string) string {
	title, _, _ := strings.Cut(doc, "\n\n")
	return title
}

// Markers delimit the generated block of a docs page.
const (
	BeginMarker = "<!-- BEGIN generated: DO NOT EDIT -->"
	EndMarker   = "<!-- END generated -->"
)

// Render returns the generated block of a's docs page, markers included: the title, the Doc rendered as
// Markdown, and a table of a's flags.
func Render(a *analysis.Analyzer) string {
	var b strings.Builder
	b.WriteString(BeginMarker + "\n")
	fmt.Fprintf(&b, "# %s\n\n", a.Name)
	title, rest, _ := strings.Cut(a.Doc, "\n\n")
	fmt.Fprintf(&b, "**%s**\n\n", title)
	if rest != "" {
		var p comment.Parser
		pr := comment.Printer{HeadingLevel: 2}
		b.Write(pr.Markdown(p.Parse(rest)))
		b.WriteString("\n")
	}
	var flags []string
	a.Flags.VisitAll(func(f *flag.Flag) { flags = append(flags, f.Name) })
	sort.Strings(flags)
	if len(flags) > 0 {
		b.WriteString("| flag | default | meaning |\n| --- | --- | --- |\n")
		for _, name := range flags {
			f := a.Flags.Lookup(name)
			fmt.Fprintf(&b, "| `-%s.%s` | `%s` | %s |\n", a.Name, f.Name, f.DefValue, f.Usage)
		}
		b.WriteString("\n")
	}
	b.WriteString(EndMarker + "\n")
	return b.String()
}

// Replace returns page with its generated block replaced by block. It fails if page has no markers.
func Replace(page, block string) (string, error) {
	start, end, ok := span(page)
	if !ok {
		return "", fmt.Errorf("no %q ... %q block", BeginMarker, EndMarker)
	}
	return page[:start] + block + page[end:], nil
}

// Generated returns the generated block of page, markers included, or "" if it has none.
func Generated(page string) string {
	start, end, ok := span(page)
	if !ok {
		return ""
	}
	return page[start:end]
}

// span locates the generated block of page, markers and the newline after the end marker included.
func span(page string) (start, end int, ok bool) {
	start = strings.Index(page, BeginMarker)
	end = strings.Index(page, EndMarker)
	if start < 0 || end < start {
		return 0, 0, false
	}
	end += len(EndMarker)
	if end < len(page) && page[end] == '\n' {
		end++
	}
	return start, end, true
}
