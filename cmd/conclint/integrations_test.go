package main

// Tests of the ways to run conclint that docs/integrations.md describes: the exit code of each mode,
// SARIF output, and the same findings standalone and under go vet.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/conclint/conclint/analyzers"
	"github.com/conclint/conclint/internal/sarif"
	"github.com/conclint/conclint/internal/sarif/schema"
)

// Modules for the exit code tests: without findings, with a lockblock finding, and one that does not
// type-check.
var (
	cleanModule = map[string]string{
		"clean.go": "package clean\n\nfunc F() int { return 1 }\n",
	}
	findingModule = map[string]string{
		"finding.go": `package finding

import (
	"sync"
	"time"
)

var mu sync.Mutex

func F() {
	mu.Lock()
	defer mu.Unlock()
	time.Sleep(time.Second)
}

var n int

// Inc is mu's fast path, which waits while F sleeps.
func Inc() {
	mu.Lock()
	n++
	mu.Unlock()
}
`,
	}
	badModule = map[string]string{
		"bad.go": "package bad\n\nfunc F() int { return \"x\" }\n",
	}
)

// Each mode exits with the code that docs/integrations.md gives: standalone 0 clean, 3 findings, 1
// error; -json 0 unless an error; -sarif as standalone; go vet 1 on findings or errors, and with
// -json 0 on findings.
func TestExitCodes(t *testing.T) {
	t.Parallel()
	dirs := map[string]string{
		"clean":   writeModule(t, "example.com/clean", cleanModule),
		"finding": writeModule(t, "example.com/finding", findingModule),
		"bad":     writeModule(t, "example.com/bad", badModule),
	}
	for _, tc := range []struct {
		mode                string
		args                []string // with "BIN" for the binary
		clean, finding, bad int
	}{
		{"standalone", []string{"BIN", "./..."}, 0, 3, 1},
		{"-json", []string{"BIN", "-json", "./..."}, 0, 0, 1},
		{"-sarif", []string{"BIN", "-sarif=out.sarif", "./..."}, 0, 3, 1},
		{"go vet", []string{"go", "vet", "-vettool=BIN", "./..."}, 0, 1, 1},
		{"go vet -json", []string{"go", "vet", "-vettool=BIN", "-json", "./..."}, 0, 0, 1},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			for module, want := range map[string]int{"clean": tc.clean, "finding": tc.finding, "bad": tc.bad} {
				args := slices.Clone(tc.args)
				for i := range args {
					args[i] = strings.ReplaceAll(args[i], "BIN", bin)
				}
				r := command(t, dirs[module], args[0], args[1:]...)
				if r.code != want {
					t.Errorf("%s on the %s module: exit code %d, want %d\n%s", strings.Join(tc.args, " "), module, r.code, want, r.output())
				}
			}
		})
	}
}

// A finding as the tests compare them across modes.
type finding struct {
	analyzer, file string // file relative to the repository root, with slashes
	line           int
	message        string
	fixes          int
}

func (f finding) String() string {
	return fmt.Sprintf("%s:%d: %s (%s, %d fixes)", f.file, f.line, f.message, f.analyzer, f.fixes)
}

// jsonFindings runs conclint -json with args and returns its findings.
func jsonFindings(t *testing.T, args ...string) []finding {
	t.Helper()
	r := command(t, root, bin, append([]string{"-json"}, args...)...)
	if r.code != 0 {
		t.Fatalf("conclint -json: exit code %d\n%s", r.code, r.output())
	}
	var tree map[string]map[string][]struct {
		Posn           string            `json:"posn"`
		Message        string            `json:"message"`
		SuggestedFixes []json.RawMessage `json:"suggested_fixes"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
		t.Fatalf("conclint -json: %v\n%s", err, r.stdout)
	}
	var list []finding
	for _, byAnalyzer := range tree {
		for name, diags := range byAnalyzer {
			for _, d := range diags {
				file, line := splitPosn(t, d.Posn)
				list = append(list, finding{name, file, line, d.Message, len(d.SuggestedFixes)})
			}
		}
	}
	return sortFindings(list)
}

// splitPosn returns the file, relative to the root, and the line of "file:line:col".
func splitPosn(t *testing.T, posn string) (string, int) {
	t.Helper()
	rest := posn[:strings.LastIndexByte(posn, ':')]
	i := strings.LastIndexByte(rest, ':')
	line, err := strconv.Atoi(rest[i+1:])
	if err != nil {
		t.Fatalf("bad position %q", posn)
	}
	file := rest[:i]
	if rel, err := filepath.Rel(root, file); err == nil && filepath.IsAbs(file) {
		file = rel
	}
	return filepath.ToSlash(file), line
}

func sortFindings(list []finding) []finding {
	slices.SortFunc(list, func(a, b finding) int { return strings.Compare(a.String(), b.String()) })
	return slices.Compact(list)
}

// readSARIF reads a SARIF log, checks it against the schema and returns it.
func readSARIF(t *testing.T, name string) *sarif.Log {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(data); err != nil {
		t.Errorf("%s does not conform to the SARIF 2.1.0 schema:\n%v", name, err)
	}
	var log sarif.Log
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	return &log
}

// With -sarif, conclint prints its findings as without it, exits 3, and writes a SARIF 2.1.0 log that
// conforms to the schema, with a rule per analyzer (with its docs URL) and a result per finding, the
// same findings as -json reports, with their suggested fixes.
func TestSARIF(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "conclint.sarif")
	r := command(t, root, bin, "-sarif="+out, "./testdata/example/...")
	if r.code != 3 {
		t.Errorf("exit code %d, want 3 (findings)\n%s", r.code, r.output())
	}
	if want := mistypedPos(t) + ": " + mistyped; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr does not contain %q:\n%s", want, r.stderr)
	}
	log := readSARIF(t, out)
	run := log.Runs[0]
	if d := run.Tool.Driver; d.Name != "conclint" || d.InformationURI == "" {
		t.Errorf("tool driver %q %q", d.Name, d.InformationURI)
	}
	rules := make(map[string]sarif.ReportingDescriptor)
	for _, rule := range run.Tool.Driver.Rules {
		rules[rule.ID] = rule
	}
	for _, a := range analyzers.Suite() {
		rule, ok := rules[a.Name]
		switch {
		case !ok:
			t.Errorf("no rule %s", a.Name)
		case rule.HelpURI != a.URL || rule.FullDescription == nil || rule.FullDescription.Text != a.Doc:
			t.Errorf("rule %s has helpUri %q, want %q, and a full description from its Doc", a.Name, rule.HelpURI, a.URL)
		}
	}
	if len(rules) != len(analyzers.Suite()) {
		t.Errorf("%d rules for %d analyzers", len(rules), len(analyzers.Suite()))
	}

	var got []finding
	for _, res := range run.Results {
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URIBaseID != sarif.SrcRoot || loc.Region == nil || loc.Region.StartColumn == 0 || loc.Region.EndLine == 0 {
			t.Errorf("result %s: location %+v, want a file relative to %s and a region with start and end", res.RuleID, loc, sarif.SrcRoot)
		}
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s has ruleIndex %d, the index of %s", res.RuleID, res.RuleIndex, run.Tool.Driver.Rules[res.RuleIndex].ID)
		}
		got = append(got, finding{res.RuleID, loc.ArtifactLocation.URI, loc.Region.StartLine, res.Message.Text, len(res.Fixes)})
	}
	got = sortFindings(got)
	want := jsonFindings(t, "./testdata/example/...")
	if !slices.Equal(got, want) {
		t.Errorf("SARIF results differ from the -json output:\n got %v\nwant %v", got, want)
	}
	if !slices.ContainsFunc(got, func(f finding) bool { return f.fixes > 0 }) {
		t.Errorf("no result has a fix; the example has a finding with a suggested fix")
	}
	if run.Invocations[0].ExecutionSuccessful != true {
		t.Errorf("execution not successful")
	}
}

// -sarif honours the analyzer selection and the analyzers' flags, as the other modes do.
func TestSARIFFlags(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "conclint.sarif")
	r := command(t, root, bin, "-sarif="+out, "-lockblock", "-lockblock.sleep=false", "./testdata/example/...")
	if r.code != 3 {
		t.Errorf("exit code %d, want 3\n%s", r.code, r.output())
	}
	log := readSARIF(t, out)
	if rules := log.Runs[0].Tool.Driver.Rules; len(rules) != 1 || rules[0].ID != "lockblock" {
		t.Errorf("rules %+v, want lockblock alone", rules)
	}
	var got []finding
	for _, res := range log.Runs[0].Results {
		loc := res.Locations[0].PhysicalLocation
		got = append(got, finding{res.RuleID, loc.ArtifactLocation.URI, loc.Region.StartLine, res.Message.Text, len(res.Fixes)})
	}
	if want := jsonFindings(t, "-lockblock", "-lockblock.sleep=false", "./testdata/example/..."); !slices.Equal(sortFindings(got), want) {
		t.Errorf("SARIF results differ from the -json output:\n got %v\nwant %v", got, want)
	}
	for _, f := range got {
		if strings.HasPrefix(f.message, "time.Sleep") {
			t.Errorf("-lockblock.sleep=false, but %s", f)
		}
	}
}

// Errors with -sarif: a pattern that matches nothing, and a package that does not type-check, are
// reported on stderr, recorded in the log as notifications of a failed run, and exit 1.
func TestSARIFErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		dir     string
		pattern string
		stderr  []string
	}{
		{"missing directory", root, "./nosuchdir/...", []string{"pattern ./nosuchdir/...: lstat ./nosuchdir/: no such file or directory"}},
		{"module without packages", writeModule(t, "example.com/empty", map[string]string{}), "./...", []string{"conclint: ./... matched no packages"}},
		{"type error", writeModule(t, "example.com/bad", badModule), "./...", []string{
			"# example.com/bad\n",
			`bad.go:3:23: cannot use "x" (untyped string constant) as int value in return statement`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "conclint.sarif")
			r := command(t, tc.dir, bin, "-sarif="+out, tc.pattern)
			if r.code != 1 {
				t.Errorf("exit code %d, want 1\n%s", r.code, r.output())
			}
			for _, want := range tc.stderr {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr does not contain %q:\n%s", want, r.stderr)
				}
			}
			inv := readSARIF(t, out).Runs[0].Invocations
			if len(inv) != 1 || inv[0].ExecutionSuccessful || len(inv[0].ToolExecutionNotifications) == 0 {
				t.Errorf("invocations %+v, want one, failed, with notifications", inv)
			}
		})
	}
}

// go vet rejects -sarif, which is for the standalone driver, with one message; "conclint help" lists it.
func TestSARIFFlagPlaces(t *testing.T) {
	t.Parallel()
	r := command(t, root, "go", "vet", "-vettool="+bin, "-sarif=x.sarif", "./testdata/example/store")
	if r.code == 0 || strings.Count(r.stderr, "-sarif") != 1 || !strings.Contains(r.stderr, "flag provided but not defined: -sarif") {
		t.Errorf("go vet -sarif: exit code %d, want an error naming -sarif once:\n%s", r.code, r.stderr)
	}
	if r := command(t, root, bin, "help"); !strings.Contains(r.output(), "-sarif file") {
		t.Errorf("conclint help does not list -sarif:\n%s", r.output())
	}
}

// The standalone driver and go vet report the same findings on the example, related positions
// included, and among them the interprocedural one: a call to a function of package store that
// blocks on the network, known to lockblock through a fact that crosses the package boundary (in
// memory standalone, through the build cache under go vet).
func TestVetSameAsStandalone(t *testing.T) {
	t.Parallel()
	const pattern = "./testdata/example/..."
	// -lockblock.calls and -lockblock.io turn on the interprocedural finding, off by default.
	standalone := command(t, root, bin, "-lockblock.calls", "-lockblock.io", pattern)
	vet := command(t, root, "go", "vet", "-vettool="+bin, "-lockblock.calls", "-lockblock.io", pattern)
	if standalone.code != 3 || vet.code != 1 {
		t.Errorf("exit codes %d standalone, %d under go vet; want 3 and 1", standalone.code, vet.code)
	}
	lines := func(out string) []string {
		var list []string
		for line := range strings.Lines(out) {
			line = strings.TrimRight(line, "\n")
			if line == "" || strings.HasPrefix(line, "#") {
				continue // go vet's package headers
			}
			list = append(list, strings.TrimPrefix(line, root+string(filepath.Separator)))
		}
		slices.Sort(list)
		return slices.Compact(list)
	}
	got, want := lines(vet.stderr), lines(standalone.stderr)
	if !slices.Equal(got, want) {
		t.Errorf("go vet and the standalone driver differ:\ngo vet:\n%s\nstandalone:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	const chain = "call to c.store.Save may block (c.store.Save → net.Conn.Write) while c.mu is held"
	for name, list := range map[string][]string{"go vet": got, "standalone": want} {
		if !slices.ContainsFunc(list, func(l string) bool {
			return strings.HasPrefix(l, filepath.Join("testdata", "example", "lockblock.go")+":") && strings.Contains(l, chain)
		}) {
			t.Errorf("%s does not report %q in lockblock.go", name, chain)
		}
	}
}
