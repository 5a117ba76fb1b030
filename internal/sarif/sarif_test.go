package sarif_test

import (
	"bytes"
	"encoding/json"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/conclint/conclint/internal/sarif"
	"github.com/conclint/conclint/internal/sarif/schema"
)

// src is the file the test diagnostics point into. Line 3 has a two-byte rune (one UTF-16 unit) and a
// four-byte one (two UTF-16 units) before the reported call.
const src = "package p\n\nvar s = \"é😀\"; func f() { g() }\n"

var fake = &analysis.Analyzer{
	Name: "fake",
	Doc:  "report calls to g\n\nThe long story.",
	URL:  "https://example.com/fake",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}

var plain = &analysis.Analyzer{
	Name: "plain",
	Doc:  "report nothing",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}

// setup writes src into DIR/p/p.go and returns DIR, a FileSet with the file, and a function that
// returns the position of the first occurrence of a text in src.
func setup(t *testing.T) (string, *token.FileSet, func(text string) token.Pos) {
	t.Helper()
	dir := t.TempDir()
	name := filepath.Join(dir, "p", "p.go")
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f := fset.AddFile(name, -1, len(src))
	f.SetLinesForContent([]byte(src))
	at := func(text string) token.Pos {
		i := strings.Index(src, text)
		if i < 0 {
			t.Fatalf("%q not in src", text)
		}
		return f.Pos(i)
	}
	return dir, fset, at
}

func TestBuilder(t *testing.T) {
	dir, fset, at := setup(t)
	b := sarif.NewBuilder(sarif.ToolComponent{Name: "conclint", Version: "v1.2.3", InformationURI: "https://example.com"},
		[]*analysis.Analyzer{plain, fake}, dir, nil)
	d := analysis.Diagnostic{
		Pos:      at("g()"),
		End:      at("g()") + 3,
		Category: "call",
		Message:  "call to g",
		Related:  []analysis.RelatedInformation{{Pos: at("func f"), Message: "in f"}},
		SuggestedFixes: []analysis.SuggestedFix{{
			Message: "Call h instead",
			TextEdits: []analysis.TextEdit{
				{Pos: at("g()"), End: at("g()") + 1, NewText: []byte("h")},
				{Pos: at("g()") + 2, NewText: []byte("0")}, // an insertion
			},
		}},
	}
	b.Add(fake, fset, d)
	b.Add(fake, fset, d) // the same diagnostic of a test variant of the package: dropped
	b.Add(plain, fset, analysis.Diagnostic{Pos: at("var"), Message: "no end"})

	var buf bytes.Buffer
	if err := b.Write(&buf, true); err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(buf.Bytes()); err != nil {
		t.Errorf("the log does not conform to the SARIF schema:\n%v\n%s", err, buf.Bytes())
	}
	var log sarif.Log
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || log.Schema != sarif.SchemaURI || len(log.Runs) != 1 {
		t.Fatalf("version %q, schema %q, %d runs", log.Version, log.Schema, len(log.Runs))
	}
	run := log.Runs[0]
	driver := run.Tool.Driver
	if driver.Name != "conclint" || driver.Version != "v1.2.3" || driver.InformationURI != "https://example.com" {
		t.Errorf("driver %+v", driver)
	}
	if len(driver.Rules) != 2 {
		t.Fatalf("%d rules, want 2", len(driver.Rules))
	}
	r := driver.Rules[1]
	if r.ID != "fake" || r.HelpURI != fake.URL || r.ShortDescription.Text != "report calls to g" || r.FullDescription.Text != fake.Doc {
		t.Errorf("rule %+v", r)
	}
	if driver.Rules[0].HelpURI != "" {
		t.Errorf("rule plain has helpUri %q, but the analyzer has no URL", driver.Rules[0].HelpURI)
	}
	if got := run.OriginalURIBaseIDs[sarif.SrcRoot].URI; !strings.HasPrefix(got, "file:///") || !strings.HasSuffix(got, "/") {
		t.Errorf("%s is %q, want a file URI ending in /", sarif.SrcRoot, got)
	}
	if len(run.Invocations) != 1 || !run.Invocations[0].ExecutionSuccessful {
		t.Errorf("invocations %+v, want one, successful", run.Invocations)
	}
	if len(run.Results) != 2 {
		t.Fatalf("%d results, want 2 (one per distinct diagnostic)", len(run.Results))
	}

	// Results are sorted by position: plain's, on "var", comes first.
	p := run.Results[0]
	if p.RuleID != "plain" || p.RuleIndex != 0 || p.Level != "warning" {
		t.Errorf("result %+v", p)
	}
	if reg := p.Locations[0].PhysicalLocation.Region; *reg != (sarif.Region{StartLine: 3, StartColumn: 1}) {
		t.Errorf("region of a diagnostic without End = %+v, want line 3 column 1 only", *reg)
	}

	f := run.Results[1]
	if f.RuleID != "fake" || f.RuleIndex != 1 || f.Message.Text != "call to g" || f.Properties["category"] != "call" {
		t.Errorf("result %+v", f)
	}
	file := sarif.ArtifactLocation{URI: "p/p.go", URIBaseID: sarif.SrcRoot}
	// "g()" is at byte column 30 of `var s = "é😀"; func f() { g() }`: 27 in UTF-16 units, 1 less for é
	// and 2 less for 😀.
	want := sarif.PhysicalLocation{ArtifactLocation: file, Region: &sarif.Region{StartLine: 3, StartColumn: 27, EndLine: 3, EndColumn: 30}}
	if got := f.Locations[0].PhysicalLocation; !reflect.DeepEqual(got, want) {
		t.Errorf("location %+v %+v, want %+v %+v", got, got.Region, want, want.Region)
	}
	if len(f.RelatedLocations) != 1 || f.RelatedLocations[0].Message.Text != "in f" || *f.RelatedLocations[0].ID != 1 ||
		f.RelatedLocations[0].PhysicalLocation.Region.StartColumn != 16 {
		t.Errorf("related locations %+v", f.RelatedLocations)
	}
	wantFix := sarif.Fix{
		Description: sarif.Message{Text: "Call h instead"},
		ArtifactChanges: []sarif.ArtifactChange{{
			ArtifactLocation: file,
			Replacements: []sarif.Replacement{
				{DeletedRegion: sarif.Region{StartLine: 3, StartColumn: 27, EndLine: 3, EndColumn: 28}, InsertedContent: &sarif.ArtifactBody{Text: "h"}},
				{DeletedRegion: sarif.Region{StartLine: 3, StartColumn: 29, EndLine: 3, EndColumn: 29}, InsertedContent: &sarif.ArtifactBody{Text: "0"}},
			},
		}},
	}
	if len(f.Fixes) != 1 || !reflect.DeepEqual(f.Fixes[0], wantFix) {
		t.Errorf("fixes %+v, want %+v", f.Fixes, wantFix)
	}
}

// A file outside the run's directory gets an absolute file URI, with no base.
func TestOutsideDir(t *testing.T) {
	_, fset, at := setup(t)
	b := sarif.NewBuilder(sarif.ToolComponent{Name: "conclint"}, []*analysis.Analyzer{fake}, t.TempDir(), nil)
	b.Add(fake, fset, analysis.Diagnostic{Pos: at("g()"), Message: "call to g"})
	loc := b.Log(true).Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation
	if !strings.HasPrefix(loc.URI, "file:///") || !strings.HasSuffix(loc.URI, "/p/p.go") || loc.URIBaseID != "" {
		t.Errorf("artifact location %+v, want an absolute file URI", loc)
	}
}

// Errors of the run are notifications of a failed invocation; the log still conforms.
func TestNotify(t *testing.T) {
	dir, fset, at := setup(t)
	b := sarif.NewBuilder(sarif.ToolComponent{Name: "conclint"}, []*analysis.Analyzer{fake}, dir, nil)
	b.Notify("package p: type error", fset.Position(at("g()")))
	b.Notify("./nosuch/... matched no packages", token.Position{})
	var buf bytes.Buffer
	if err := b.Write(&buf, false); err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(buf.Bytes()); err != nil {
		t.Errorf("the log does not conform to the SARIF schema:\n%v\n%s", err, buf.Bytes())
	}
	log := b.Log(false)
	inv := log.Runs[0].Invocations
	if len(inv) != 1 || inv[0].ExecutionSuccessful || len(inv[0].ToolExecutionNotifications) != 2 {
		t.Fatalf("invocations %+v", inv)
	}
	n := inv[0].ToolExecutionNotifications[0]
	if n.Level != "error" || n.Message.Text != "package p: type error" || n.Locations[0].PhysicalLocation.ArtifactLocation.URI != "p/p.go" {
		t.Errorf("notification %+v", n)
	}
	if log.Runs[0].Results == nil {
		t.Errorf("results is null; an empty run must say [] (no results), not null (not run)")
	}
}
