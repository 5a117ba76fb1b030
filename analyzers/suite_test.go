package analyzers_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/tools/go/analysis"

	"github.com/conclint/conclint/analyzers"
	"github.com/conclint/conclint/internal/analyzerdoc"
	"github.com/conclint/conclint/internal/report"
)

func TestValidate(t *testing.T) {
	if err := analysis.Validate(analyzers.Suite()); err != nil {
		t.Fatal(err)
	}
}

// TestNames keeps the names that //conclint:ignore accepts equal to the registry.
func TestNames(t *testing.T) {
	if got, want := report.OwnNames(), names(analyzers.Own()); !slices.Equal(got, want) {
		t.Errorf("internal/report ownNames = %v, analyzers.Own() = %v", got, want)
	}
	if got, want := report.BundledNames(), names(analyzers.Bundled()); !slices.Equal(got, want) {
		t.Errorf("internal/report bundledNames = %v, analyzers.Bundled() = %v", got, want)
	}
}

func names(list []*analysis.Analyzer) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.Name)
	}
	slices.Sort(out)
	return out
}

// TestOwn checks the house rules for each of conclint's own analyzers: name, title, doc.go section, URL,
// docs page with a current generated block, and a fixture directory with reported and silent cases.
func TestOwn(t *testing.T) {
	for _, a := range analyzers.Own() {
		t.Run(a.Name, func(t *testing.T) {
			if a.Name != strings.ToLower(a.Name) || strings.ContainsFunc(a.Name, func(r rune) bool { return !unicode.IsLetter(r) }) {
				t.Errorf("name %q is not one lowercase word", a.Name)
			}
			checkTitle(t, a)
			checkDocGo(t, a)
			if want := "https://github.com/conclint/conclint/blob/main/docs/analyzers/" + a.Name + ".md"; a.URL != want {
				t.Errorf("URL = %q, want %q", a.URL, want)
			}
			checkDocsPage(t, a)
			checkFixtures(t, a)
		})
	}
}

func checkTitle(t *testing.T, a *analysis.Analyzer) {
	title := analyzerdoc.Title(a.Doc)
	switch {
	case strings.HasPrefix(title, a.Name+":"):
		t.Errorf("Doc must not begin with %q: the driver prints the name itself", a.Name+":")
	case title == "" || strings.Contains(title, "\n"):
		t.Errorf("Doc's first paragraph must be a one-line title, got %q", title)
	case len(title) > 60:
		t.Errorf("title %q is longer than 60 characters", title)
	case strings.HasSuffix(title, "."):
		t.Errorf("title %q ends with a period", title)
	case unicode.IsUpper([]rune(title)[0]):
		t.Errorf("title %q must begin in lower case", title)
	}
}

func checkDocGo(t *testing.T, a *analysis.Analyzer) {
	src, err := os.ReadFile(filepath.Join(a.Name, "doc.go"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := analyzerdoc.Extract(string(src), a.Name)
	if err != nil {
		t.Fatalf("doc.go: %v", err)
	}
	if doc != a.Doc {
		t.Errorf("Doc is not the %q section of doc.go", "# Analyzer "+a.Name)
	}
}

func checkDocsPage(t *testing.T, a *analysis.Analyzer) {
	page, err := os.ReadFile(filepath.Join("..", "docs", "analyzers", a.Name+".md"))
	if err != nil {
		t.Fatalf("docs page: %v", err)
	}
	if got := analyzerdoc.Generated(string(page)); got != analyzerdoc.Render(a) {
		t.Errorf("docs/analyzers/%s.md: docs out of date: run go generate ./...", a.Name)
	}
}

func checkFixtures(t *testing.T, a *analysis.Analyzer) {
	var want, ok int
	root := filepath.Join("testdata", "src", a.Name)
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		want += strings.Count(string(src), "want `") + strings.Count(string(src), `want "`)
		ok += strings.Count(string(src), "// ok: ")
		return nil
	})
	if err != nil {
		t.Fatalf("fixtures: %v", err)
	}
	if want == 0 || ok == 0 {
		t.Errorf("%s: need at least one // want case and one // ok: case, found %d and %d", root, want, ok)
	}
}
