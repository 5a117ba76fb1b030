package driver

import (
	"bytes"
	"encoding/json"
	"flag"
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/conclint/conclint/internal/sarif"
	"github.com/conclint/conclint/internal/sarif/schema"
)

func TestWantsSARIF(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"./..."}, false},
		{[]string{"-sarif=out.sarif", "./..."}, true},
		{[]string{"-sarif", "out.sarif", "./..."}, true},
		{[]string{"--sarif=out.sarif", "./..."}, true},
		{[]string{"-c", "2", "-sarif", "-", "./..."}, true},
		{[]string{"./...", "-sarif=x"}, true}, // RunSARIF then says it must come first
		{[]string{"-sarifx", "./..."}, false},
		{[]string{"--", "-sarif=x"}, false},
		{[]string{"-lockblock.sarif=1"}, false},
	} {
		if got := wantsSARIF(tc.args); got != tc.want {
			t.Errorf("wantsSARIF(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}

func TestParsePos(t *testing.T) {
	for s, want := range map[string]token.Position{
		"/a/b.go:3:23": {Filename: "/a/b.go", Line: 3, Column: 23},
		"c:/a/b.go:3":  {Filename: "c:/a/b.go", Line: 3},
		"-":            {},
		"":             {},
	} {
		if got := parsePos(s); got != want {
			t.Errorf("parsePos(%q) = %+v, want %+v", s, got, want)
		}
	}
}

// callPrintln reports each call to println, with a fix that replaces it by print unless its flag fix
// is false.
var callPrintln = &analysis.Analyzer{
	Name:  "callprintln",
	Doc:   "report calls to println",
	URL:   "https://example.com/callprintln",
	Flags: *callPrintlnFlags(),
	Run: func(pass *analysis.Pass) (any, error) {
		fix := pass.Analyzer.Flags.Lookup("fix").Value.(flag.Getter).Get().(bool)
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "println" {
					d := analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Message: "call to println"}
					if fix {
						d.SuggestedFixes = []analysis.SuggestedFix{{Message: "Call print",
							TextEdits: []analysis.TextEdit{{Pos: id.Pos(), End: id.End(), NewText: []byte("print")}}}}
					}
					pass.Report(d)
				}
				return true
			})
		}
		return nil, nil
	},
}

func callPrintlnFlags() *flag.FlagSet {
	fs := flag.NewFlagSet("callprintln", flag.ExitOnError)
	fs.Bool("fix", true, "offer a fix")
	return fs
}

// silent reports nothing.
var silent = &analysis.Analyzer{Name: "silent", Doc: "report nothing", Run: func(*analysis.Pass) (any, error) { return nil, nil }}

// module writes a module with files into a temporary directory and makes it the current directory.
func module(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = "module example.com/m\n\ngo 1.26\n"
	for name, content := range files {
		name = filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return dir
}

// runSARIF runs RunSARIF with args and returns its exit code, stdout, stderr and the log it wrote to
// out.sarif in the current directory (nil if none).
func runSARIF(t *testing.T, args ...string) (int, string, string, *sarif.Log) {
	t.Helper()
	f := callPrintln.Flags.Lookup("fix")
	t.Cleanup(func() { f.Value.Set(f.DefValue) })
	var stdout, stderr bytes.Buffer
	code := RunSARIF("conclint", args, []*analysis.Analyzer{callPrintln, silent}, &stdout, &stderr)
	data, err := os.ReadFile("out.sarif")
	if err != nil {
		return code, stdout.String(), stderr.String(), nil
	}
	if err := schema.Validate(data); err != nil {
		t.Errorf("out.sarif does not conform to the SARIF schema: %v\n%s", err, data)
	}
	var log sarif.Log
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	os.Remove("out.sarif")
	return code, stdout.String(), stderr.String(), &log
}

func ruleIDs(log *sarif.Log) []string {
	var ids []string
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		ids = append(ids, r.ID)
	}
	return ids
}

func TestRunSARIF(t *testing.T) {
	module(t, map[string]string{
		"a/a.go":      "package a\n\nfunc F() { println(\"x\") }\n",
		"b/b.go":      "package b\n\nfunc G() {}\n",
		"a/a_test.go": "package a\n\nimport \"testing\"\n\nfunc TestF(t *testing.T) { F() }\n",
	})

	// Findings: printed as text, written as SARIF with the fix, exit code 3. a.go is in package a and
	// in its test variant: one result.
	code, _, stderr, log := runSARIF(t, "-sarif=out.sarif", "./...")
	if code != exitFindings {
		t.Errorf("exit code %d, want %d\n%s", code, exitFindings, stderr)
	}
	if want := filepath.Join("a", "a.go") + ":3:12: call to println"; !strings.Contains(stderr, want) {
		t.Errorf("stderr does not contain %q:\n%s", want, stderr)
	}
	if log == nil {
		t.Fatal("no out.sarif")
	}
	run := log.Runs[0]
	if got := strings.Join(ruleIDs(log), ","); got != "callprintln,silent" {
		t.Errorf("rules %s, want callprintln,silent", got)
	}
	if len(run.Results) != 1 {
		t.Fatalf("%d results, want 1:\n%+v", len(run.Results), run.Results)
	}
	r := run.Results[0]
	loc := r.Locations[0].PhysicalLocation
	if r.RuleID != "callprintln" || loc.ArtifactLocation.URI != "a/a.go" || loc.ArtifactLocation.URIBaseID != sarif.SrcRoot ||
		*loc.Region != (sarif.Region{StartLine: 3, StartColumn: 12, EndLine: 3, EndColumn: 24}) {
		t.Errorf("result %+v at %+v", r, loc.Region)
	}
	if len(r.Fixes) != 1 || r.Fixes[0].ArtifactChanges[0].Replacements[0].InsertedContent.Text != "print" {
		t.Errorf("fixes %+v", r.Fixes)
	}
	if !run.Invocations[0].ExecutionSuccessful {
		t.Errorf("execution not successful")
	}

	// An analyzer flag: no fix.
	_, _, _, log = runSARIF(t, "-sarif=out.sarif", "-callprintln.fix=false", "./...")
	if fixes := log.Runs[0].Results[0].Fixes; len(fixes) != 0 {
		t.Errorf("-callprintln.fix=false: fixes %+v", fixes)
	}

	// -NAME=false leaves the analyzer out; -NAME runs only the analyzers named.
	code, _, _, log = runSARIF(t, "-sarif=out.sarif", "-callprintln=false", "./...")
	if code != exitClean || len(log.Runs[0].Results) != 0 || strings.Join(ruleIDs(log), ",") != "silent" {
		t.Errorf("-callprintln=false: exit code %d, rules %v, results %+v", code, ruleIDs(log), log.Runs[0].Results)
	}
	_, _, _, log = runSARIF(t, "-sarif=out.sarif", "-silent", "./...")
	if strings.Join(ruleIDs(log), ",") != "silent" {
		t.Errorf("-silent: rules %v", ruleIDs(log))
	}

	// "-sarif -" writes to stdout.
	_, stdout, _, _ := runSARIF(t, "-sarif", "-", "./b")
	if err := schema.Validate([]byte(stdout)); err != nil {
		t.Errorf("stdout of -sarif -: %v\n%s", err, stdout)
	}
}

func TestRunSARIFErrors(t *testing.T) {
	module(t, map[string]string{
		"bad/bad.go": "package bad\n\nfunc F() int { return \"x\" }\n",
		"ok/ok.go":   "package ok\n\nfunc F() { println() }\n",
	})
	for _, tc := range []struct {
		args   []string
		code   int
		stderr []string
		log    bool // whether out.sarif is written
	}{
		{[]string{"-sarif=out.sarif", "./bad", "./ok"}, exitError, []string{"# example.com/m/bad\n", `bad.go:3:23: cannot use "x"`, "call to println"}, true},
		{[]string{"-sarif=out.sarif", "./nosuch/..."}, exitError, []string{"-: pattern ./nosuch/...: lstat ./nosuch/: no such file or directory"}, true},
		{[]string{"-sarif=out.sarif", "./ok", "-json"}, exitError, nil, true}, // -json after the packages is a pattern
		{[]string{"-sarif=out.sarif", "-json", "./ok"}, exitUsage, []string{"-sarif cannot be combined with -json"}, false},
		{[]string{"-sarif=out.sarif", "-fix", "./ok"}, exitUsage, []string{"-sarif cannot be combined with -fix"}, false},
		{[]string{"./ok", "-sarif=out.sarif"}, exitUsage, []string{"-sarif must come before the packages"}, false},
		{[]string{"-sarif=", "./ok"}, exitUsage, []string{"-sarif needs a file name"}, false},
		{[]string{"-sarif=out.sarif", "-nosuchflag", "./ok"}, exitUsage, []string{"flag provided but not defined: -nosuchflag"}, false},
		{[]string{"-sarif=out.sarif"}, exitError, []string{"Usage: conclint -sarif=FILE"}, false},
		{[]string{"-sarif=out.sarif", "vet.cfg"}, exitError, []string{"-sarif does not work under go vet"}, false},
	} {
		code, _, stderr, log := runSARIF(t, tc.args...)
		if code != tc.code {
			t.Errorf("%q: exit code %d, want %d\n%s", tc.args, code, tc.code, stderr)
		}
		for _, want := range tc.stderr {
			if !strings.Contains(stderr, want) {
				t.Errorf("%q: stderr does not contain %q:\n%s", tc.args, want, stderr)
			}
		}
		if (log != nil) != tc.log {
			t.Errorf("%q: wrote out.sarif: %v, want %v", tc.args, log != nil, tc.log)
		}
		if log != nil && code == exitError {
			inv := log.Runs[0].Invocations[0]
			if inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) == 0 {
				t.Errorf("%q: the log of a failed run says %+v", tc.args, inv)
			}
		}
	}
}

// TestPlainRun checks which command lines the driver runs itself and which it leaves to the multichecker
// (go vet's, and those with flags only the multichecker implements).
func TestPlainRun(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"./..."}, true},
		{[]string{"-lockblock", "-lockblock.io=false", "-test=false", "./..."}, true},
		{[]string{"-c=2", "./..."}, true},
		{[]string{"-json", "./..."}, false},
		{[]string{"-fix", "./..."}, false},
		{[]string{"--diff", "./..."}, false},
		{[]string{"-V=full"}, false},
		{[]string{"-flags"}, false},
		{[]string{"help"}, false},
		{[]string{"-unsafeptr=false", "/tmp/vet.cfg"}, false},
		{nil, false},
	} {
		if got := plainRun(tc.args); got != tc.want {
			t.Errorf("plainRun(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}
