package driver

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"honnef.co/go/tools/lintcmd/runner"
)

// Which command lines go to the multichecker: go vet's protocol, -fix, -diff and the debugging flags.
func TestMulticheckerRun(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"./..."}, false},
		{[]string{"-json", "./..."}, false},
		{[]string{"-lockblock.calls", "-f", "sarif", "./..."}, false},
		{[]string{"-fix", "./..."}, true},
		{[]string{"--diff", "-fix", "./..."}, true},
		{[]string{"-V=full"}, true},
		{[]string{"-flags"}, true},
		{[]string{"-json", "/tmp/go-build/vet.cfg"}, true},
		{[]string{"./...", "-fix"}, false}, // a flag after the packages is an error of the runner's command
		{[]string{"--", "-fix"}, false},
	} {
		if got := multicheckerRun(tc.args); got != tc.want {
			t.Errorf("multicheckerRun(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}

// //lint:ignore silences the named analyzers, by glob and without regard to case, on the line of the node
// it is attached to; //lint:file-ignore in the whole file; a directive without a reason does nothing.
func TestIgnores(t *testing.T) {
	dir := func(cmd, file string, line int, args ...string) runner.SerializedDirective {
		return runner.SerializedDirective{Command: cmd, Arguments: args, NodePosition: token.Position{Filename: file, Line: line}}
	}
	ig := parseIgnores([]runner.SerializedDirective{
		dir("ignore", "a.go", 10, "lockblock,SA2*", "the reason"),
		dir("ignore", "a.go", 20, "chanleak"), // no reason
		dir("file-ignore", "b.go", 1, "orphangoroutine", "generated"),
	})
	for _, tc := range []struct {
		name string
		file string
		line int
		want bool
	}{
		{"lockblock", "a.go", 10, true},
		{"LockBlock", "a.go", 10, true},
		{"SA2001", "a.go", 10, true},
		{"SA1012", "a.go", 10, false},
		{"lockblock", "a.go", 11, false},
		{"chanleak", "a.go", 20, false},
		{"orphangoroutine", "b.go", 99, true},
		{"orphangoroutine", "a.go", 10, false},
	} {
		if got := ig.match(tc.name, token.Position{Filename: tc.file, Line: tc.line}); got != tc.want {
			t.Errorf("match(%s, %s:%d) = %v, want %v", tc.name, tc.file, tc.line, got, tc.want)
		}
	}
}

// tagged reports the diagnostics of an analyzer with its name in the category, and its error as a
// diagnostic of its own.
func TestTagged(t *testing.T) {
	a := &analysis.Analyzer{Name: "demo", Doc: "demo", Run: func(pass *analysis.Pass) (any, error) {
		pass.Report(analysis.Diagnostic{Message: "plain"})
		pass.Report(analysis.Diagnostic{Message: "kind", Category: "sub-kind"})
		return "result", errTest
	}}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", "package p\n", 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	pass := &analysis.Pass{
		Analyzer: tagged(a, newReleaser([]*analysis.Analyzer{a}), nil),
		Fset:     fset,
		Files:    []*ast.File{f},
		Report:   func(d analysis.Diagnostic) { got = append(got, d.Category+" "+d.Message) },
	}
	res, err := pass.Analyzer.Run(pass)
	if res != "result" || err != errTest {
		t.Errorf("Run returned %v, %v", res, err)
	}
	if want := "demo/ plain|demo/sub-kind kind|demo/" + errorTag + " test error"; strings.Join(got, "|") != want {
		t.Errorf("reported %q, want %q", strings.Join(got, "|"), want)
	}
}

type testError struct{}

func (testError) Error() string { return "test error" }

var errTest = testError{}

// An undefined flag gets a suggestion when a flag is close, or the note that no analyzer has that name.
func TestClosest(t *testing.T) {
	names := []string{"lockblock", "lockblock.calls", "chanleak", "SA2001"}
	for in, want := range map[string]string{"lockblok": "lockblock", "lockblock.cals": "lockblock.calls", "sa2001": "SA2001", "nothing": ""} {
		if got := closest(in, names); got != want {
			t.Errorf("closest(%q) = %q, want %q", in, got, want)
		}
	}
}

// A finding reported in a package and in its test variant is kept once, under the package's own ID,
// whichever variant the runner finished first: -json output is the same on every run.
func TestSortFindingsKeepsThePackage(t *testing.T) {
	a := &analysis.Analyzer{Name: "lockblock"}
	d := runner.Diagnostic{Position: token.Position{Filename: "x.go", Line: 3, Column: 2}, Message: "m"}
	for _, order := range [][]string{{"p", "p [p.test]"}, {"p [p.test]", "p"}} {
		list := []finding{{pkg: order[0], analyzer: a, Diagnostic: d}, {pkg: order[1], analyzer: a, Diagnostic: d}}
		got := sortFindings(list)
		if len(got) != 1 || got[0].pkg != "p" {
			t.Errorf("sortFindings(%v) kept %v, want one finding of p", order, got)
		}
	}
}
