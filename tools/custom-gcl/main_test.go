package main

// These tests build this module's golangci-lint binary, with conclint's plugins, and the conclint
// binary, and run them the way docs/integrations.md tells users to: golangci-lint with
// .golangci.example.yml on the example in testdata/example must report what conclint reports, each
// finding under its analyzer's name, with settings mapped onto flags, and //nolint:<analyzer> must
// silence a finding. They run in CI as "(cd tools/custom-gcl && go test ./...)", outside the main
// module's tests, because building golangci-lint takes minutes.

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
	"golang.org/x/mod/semver"
	"golang.org/x/tools/go/analysis"

	"github.com/conclint/conclint/analyzers"
)

var (
	gcl      string // the golangci-lint binary built by TestMain
	conclint string // the conclint binary built by TestMain
	efm      string // efm-langserver, a tool of this module, built by TestMain
	root     string // the root of the conclint repository
)

const (
	exampleConfig = ".golangci.example.yml"
	customConfig  = ".custom-gcl.example.yml"
	conclintMod   = "github.com/conclint/conclint"
)

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "custom-gcl-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	exe := ""
	if runtime.GOOS == "windows" {
		exe = ".exe"
	}
	gcl = filepath.Join(dir, "custom-gcl"+exe)
	conclint = filepath.Join(dir, "conclint"+exe)
	efm = filepath.Join(dir, "efm-langserver"+exe)
	for _, args := range [][]string{
		{"build", "-o", gcl, "."},
		{"build", "-o", conclint, conclintMod + "/cmd/conclint"},
		{"build", "-o", efm, "github.com/mattn/efm-langserver"},
	} {
		if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "go %s: %v\n%s", strings.Join(args, " "), err, out)
			return 1
		}
	}
	if root, err = filepath.Abs("../.."); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

// result is what a command printed and its exit code.
type result struct {
	stdout, stderr string
	code           int
}

// command runs name with args in dir, with env added to the environment.
func command(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	r := result{stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()}
	if strings.Contains(r.stdout+r.stderr, "panic:") {
		t.Errorf("%s %s panicked:\n%s%s", name, strings.Join(args, " "), r.stdout, r.stderr)
	}
	return r
}

// A finding is what the tests compare: an analyzer, a file relative to the directory of the run,
// a line and a column.
type finding struct {
	analyzer string
	file     string
	line     int
	column   int
}

func (f finding) String() string {
	return fmt.Sprintf("%s:%d:%d (%s)", f.file, f.line, f.column, f.analyzer)
}

// isOwn reports whether name is one of conclint's own analyzers.
func isOwn(name string) bool {
	return slices.ContainsFunc(analyzers.Own(), func(a *analysis.Analyzer) bool { return a.Name == name })
}

// runGolangci runs the custom binary in dir with config on patterns, and returns the findings of
// conclint's analyzers (those of golangci-lint's own linters are dropped) and the SARIF log it wrote.
// Every finding is printed: no limit per linter or per text, and not one per line.
func runGolangci(t *testing.T, dir, config string, patterns ...string) ([]finding, sarifLog) {
	t.Helper()
	sarifFile := filepath.Join(t.TempDir(), "golangci.sarif")
	args := append([]string{"run", "--config", config,
		"--max-issues-per-linter=0", "--max-same-issues=0", "--uniq-by-line=false",
		"--output.json.path=stdout", "--output.sarif.path=" + sarifFile, "--show-stats=false",
		"--allow-parallel-runners", // the tests run in parallel, each with a cache of its own
	}, patterns...)
	r := command(t, dir, []string{"GOLANGCI_LINT_CACHE=" + t.TempDir()}, gcl, args...)
	if r.code != 0 && r.code != 1 {
		t.Fatalf("custom-gcl %s: exit code %d, want 1 (issues) or 0\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	var out struct {
		Issues []struct {
			FromLinter string
			Text       string
			Pos        struct {
				Filename     string
				Line, Column int
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("golangci-lint JSON output: %v\n%s\n%s", err, r.stdout, r.stderr)
	}
	var found []finding
	for _, is := range out.Issues {
		if strings.Contains(is.Text, "(related information)") {
			t.Errorf("related position reported as an issue of its own, which //nolint on the finding does not silence: %s:%d: %s", is.Pos.Filename, is.Pos.Line, is.Text)
		}
		if isOwn(is.FromLinter) {
			found = append(found, finding{is.FromLinter, filepath.ToSlash(is.Pos.Filename), is.Pos.Line, is.Pos.Column})
		}
	}
	data, err := os.ReadFile(sarifFile)
	if err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("golangci-lint SARIF output: %v\n%s", err, data)
	}
	return sorted(found), log
}

// sarifLog is the part of golangci-lint's SARIF output the tests look at.
type sarifLog struct {
	Runs []struct {
		Results []struct {
			RuleID    string `json:"ruleId"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine int `json:"startLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

// runConclint runs the conclint binary in dir with -json and flags on patterns, and returns the
// findings of conclint's own analyzers, with files relative to dir.
func runConclint(t *testing.T, dir string, flags []string, patterns ...string) []finding {
	t.Helper()
	args := append(append([]string{"-json"}, flags...), patterns...)
	r := command(t, dir, nil, conclint, args...)
	if r.code != 0 {
		t.Fatalf("conclint %s: exit code %d\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
		t.Fatalf("conclint -json: %v\n%s", err, r.stdout)
	}
	var found []finding
	for _, byAnalyzer := range tree {
		for name, raw := range byAnalyzer {
			if !isOwn(name) {
				continue
			}
			var diags []struct {
				Posn string `json:"posn"`
			}
			if err := json.Unmarshal(raw, &diags); err != nil {
				t.Fatalf("conclint -json: %s: %v\n%s", name, err, raw)
			}
			for _, d := range diags {
				found = append(found, parsePosn(t, dir, name, d.Posn))
			}
		}
	}
	return sorted(found)
}

// parsePosn parses "file:line:col" into a finding of analyzer, with file relative to dir.
func parsePosn(t *testing.T, dir, analyzer, posn string) finding {
	t.Helper()
	rest, col, ok1 := cutLast(posn)
	file, line, ok2 := cutLast(rest)
	if !ok1 || !ok2 {
		t.Fatalf("bad position %q", posn)
	}
	rel, err := filepath.Rel(dir, file)
	if err != nil {
		t.Fatal(err)
	}
	return finding{analyzer, filepath.ToSlash(rel), line, col}
}

// cutLast splits s at its last colon into a prefix and a number.
func cutLast(s string) (string, int, bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(s[i+1:])
	return s[:i], n, err == nil
}

// sorted sorts and deduplicates findings: the same finding may come from a package and its test variant.
func sorted(list []finding) []finding {
	slices.SortFunc(list, func(a, b finding) int { return strings.Compare(a.String(), b.String()) })
	return slices.Compact(list)
}

// config is the part of a golangci-lint configuration the tests read and write.
type config struct {
	Version string `yaml:"version"`
	Linters struct {
		Enable   []string `yaml:"enable"`
		Settings struct {
			Custom map[string]struct {
				Type     string         `yaml:"type"`
				Settings map[string]any `yaml:"settings"`
			} `yaml:"custom"`
		} `yaml:"settings"`
	} `yaml:"linters"`
}

// readConfig parses .golangci.example.yml.
func readConfig(t *testing.T) (config, map[string]any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, exampleConfig))
	if err != nil {
		t.Fatal(err)
	}
	var c config
	var raw map[string]any
	if err := yaml.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	return c, raw
}

// flagsOf returns the conclint flags equivalent to the settings of c, as "-lockblock.io=true".
func flagsOf(c config) []string {
	var flags []string
	for name, custom := range c.Linters.Settings.Custom {
		for key, value := range custom.Settings {
			flags = append(flags, fmt.Sprintf("-%s.%s=%v", name, key, value))
		}
	}
	slices.Sort(flags)
	return flags
}

// .golangci.example.yml enables each of conclint's own analyzers as a module plugin of its name, lists
// every flag of each as a setting, at its default, and nothing else: no bundled pass, whose linters
// golangci-lint has (govet, staticcheck).
func TestExampleConfig(t *testing.T) {
	c, _ := readConfig(t)
	if c.Version != "2" {
		t.Errorf("version %q, want \"2\"", c.Version)
	}
	for _, a := range analyzers.Own() {
		if !slices.Contains(c.Linters.Enable, a.Name) {
			t.Errorf("linters.enable does not list %s", a.Name)
		}
		custom, ok := c.Linters.Settings.Custom[a.Name]
		if !ok {
			t.Errorf("no linters.settings.custom.%s", a.Name)
			continue
		}
		if custom.Type != "module" {
			t.Errorf("linters.settings.custom.%s.type = %q, want module", a.Name, custom.Type)
		}
		a.Flags.VisitAll(func(f *flag.Flag) {
			v, ok := custom.Settings[f.Name]
			if !ok {
				t.Errorf("linters.settings.custom.%s.settings does not list %s (default %s)", a.Name, f.Name, f.DefValue)
			} else if fmt.Sprint(v) != f.DefValue {
				t.Errorf("linters.settings.custom.%s.settings.%s = %v, want the default %s", a.Name, f.Name, v, f.DefValue)
			}
		})
		for key := range custom.Settings {
			if a.Flags.Lookup(key) == nil {
				t.Errorf("linters.settings.custom.%s.settings.%s is not a flag of %s", a.Name, key, a.Name)
			}
		}
	}
	for name := range c.Linters.Settings.Custom {
		if !isOwn(name) {
			t.Errorf("linters.settings.custom.%s is not one of conclint's analyzers", name)
		}
	}
}

// conclint's requirements must not raise golangci-lint's: where both require a module (golang.org/x/tools,
// honnef.co/go/tools, ...), conclint's version must be at most golangci-lint's, or the custom binary
// would build golangci-lint with versions it was not released with. .custom-gcl.example.yml and the docs
// name the golangci-lint version this module pins.
func TestVersions(t *testing.T) {
	out, err := exec.Command("go", "mod", "graph").Output()
	if err != nil {
		t.Fatalf("go mod graph: %v", err)
	}
	requires := make(map[string]map[string]string) // module path → required path → version
	var pinned string
	for line := range strings.Lines(string(out)) {
		from, to, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok {
			continue
		}
		fromPath, fromVersion, _ := strings.Cut(from, "@")
		toPath, toVersion, _ := strings.Cut(to, "@")
		if requires[fromPath] == nil {
			requires[fromPath] = make(map[string]string)
		}
		if fromPath == golangciLint {
			pinned = fromVersion
		}
		requires[fromPath][toPath] = toVersion
	}
	if pinned == "" || len(requires[conclintMod]) == 0 {
		t.Fatalf("go mod graph has no edges from %s or %s:\n%s", golangciLint, conclintMod, out)
	}
	for path, ours := range requires[conclintMod] {
		if theirs, ok := requires[golangciLint][path]; ok && semver.Compare(ours, theirs) > 0 {
			t.Errorf("conclint requires %s %s, above golangci-lint %s's %s: lower it, or pin a golangci-lint that requires it", path, ours, pinned, theirs)
		}
	}
	for _, path := range []string{"golang.org/x/tools", "honnef.co/go/tools"} {
		if _, ok := requires[golangciLint][path]; !ok {
			t.Errorf("golangci-lint %s does not require %s; is the graph read right?", pinned, path)
		}
	}

	data, err := os.ReadFile(filepath.Join(root, customConfig))
	if err != nil {
		t.Fatal(err)
	}
	var custom struct {
		Version string `yaml:"version"`
		Plugins []struct {
			Module, Import string
		} `yaml:"plugins"`
	}
	if err := yaml.Unmarshal(data, &custom); err != nil {
		t.Fatal(err)
	}
	if custom.Version != pinned {
		t.Errorf("%s builds golangci-lint %s, but tools/custom-gcl pins and tests %s", customConfig, custom.Version, pinned)
	}
	if len(custom.Plugins) != 1 || custom.Plugins[0].Module != conclintMod || custom.Plugins[0].Import != conclintMod+"/plugin" {
		t.Errorf("%s plugins = %+v, want module %s, import %s/plugin", customConfig, custom.Plugins, conclintMod, conclintMod)
	}
	docs, err := os.ReadFile(filepath.Join(root, "docs", "integrations.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(docs), "golangci-lint "+pinned) {
		t.Errorf("docs/integrations.md does not name golangci-lint %s, the version tested", pinned)
	}
}

// golangci-lint with .golangci.example.yml reports on the example what conclint reports with the same
// settings as flags, each finding under its analyzer's name, in text and in SARIF, where each ruleId is
// an analyzer's name.
func TestExample(t *testing.T) {
	t.Parallel()
	c, _ := readConfig(t)
	const pattern = "./testdata/example/..."
	got, log := runGolangci(t, root, exampleConfig, pattern)
	want := runConclint(t, root, flagsOf(c), pattern)
	compare(t, got, want)

	reported := make(map[string]bool)
	for _, f := range got {
		reported[f.analyzer] = true
	}
	// The example makes the mistake of each analyzer.
	for _, a := range analyzers.Own() {
		if !reported[a.Name] {
			t.Errorf("no %s finding on the example, which makes each analyzer's mistake", a.Name)
		}
	}

	var sarif []finding
	for _, run := range log.Runs {
		for _, r := range run.Results {
			if len(r.Locations) == 0 {
				t.Errorf("SARIF result of %s has no location", r.RuleID)
				continue
			}
			loc := r.Locations[0].PhysicalLocation
			if isOwn(r.RuleID) {
				sarif = append(sarif, finding{r.RuleID, loc.ArtifactLocation.URI, loc.Region.StartLine, 0})
			}
		}
	}
	var wantSARIF []finding
	for _, f := range got {
		wantSARIF = append(wantSARIF, finding{f.analyzer, f.file, f.line, 0})
	}
	compare(t, sorted(sarif), sorted(wantSARIF))
}

// lineHas reports whether the line of f contains text.
func lineHas(t *testing.T, dir string, f finding, text string) bool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.file)))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	return f.line <= len(lines) && strings.Contains(lines[f.line-1], text)
}

// compare reports the differences between the findings of golangci-lint and those of conclint.
func compare(t *testing.T, got, want []finding) {
	t.Helper()
	for _, f := range want {
		if !slices.Contains(got, f) {
			t.Errorf("golangci-lint does not report %s", f)
		}
	}
	for _, f := range got {
		if !slices.Contains(want, f) {
			t.Errorf("golangci-lint reports %s, which conclint does not", f)
		}
	}
}

// nolintFile is added to a copy of the example: two sends under a lock, the first silenced with
// //nolint:lockblock, the second with a //nolint that names another linter.
const nolintFile = `package example

// PublishQuiet is PublishHolding with its finding silenced for golangci-lint.
func (c *Cache) PublishQuiet(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.updates <- key //nolint:lockblock // silenced: the test checks it
}

// PublishLoud is PublishHolding with a //nolint for another linter, which leaves lockblock's finding.
func (c *Cache) PublishLoud(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.updates <- key //nolint:chanleak // names another linter
}
`

// On a copy of the example with nolintFile added, //nolint:lockblock silences its finding and
// //nolint:chanleak does not; and a setting changed in the configuration (lockblock's sleep: false)
// changes golangci-lint's findings as the flag -lockblock.sleep=false changes conclint's.
func TestNolintAndSettings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, name := range []string{"go.mod", "go.sum"} {
		copyFile(t, filepath.Join(root, name), filepath.Join(dir, name))
	}
	example := filepath.Join(dir, "testdata", "example")
	if err := os.CopyFS(example, os.DirFS(filepath.Join(root, "testdata", "example"))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(example, "nolint.go"), []byte(nolintFile), 0o644); err != nil {
		t.Fatal(err)
	}
	c, raw := readConfig(t)
	custom := raw["linters"].(map[string]any)["settings"].(map[string]any)["custom"].(map[string]any)
	// sleep off; channel operations, calls and I/O, off by default, on.
	for name, value := range map[string]bool{"sleep": false, "channel": true, "calls": true, "io": true} {
		custom["lockblock"].(map[string]any)["settings"].(map[string]any)[name] = value
		c.Linters.Settings.Custom["lockblock"].Settings[name] = value
	}
	data, err := yaml.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, exampleConfig), data, 0o644); err != nil {
		t.Fatal(err)
	}

	const pattern = "./testdata/example/..."
	got, _ := runGolangci(t, dir, exampleConfig, pattern)
	all := runConclint(t, dir, flagsOf(c), pattern)
	quiet := func(f finding) bool {
		return f.file == "testdata/example/nolint.go" && lineHas(t, dir, f, "//nolint:lockblock")
	}
	loud := func(f finding) bool {
		return f.analyzer == "lockblock" && f.file == "testdata/example/nolint.go" && lineHas(t, dir, f, "//nolint:chanleak")
	}
	if !slices.ContainsFunc(all, quiet) || !slices.ContainsFunc(all, loud) {
		t.Fatalf("conclint does not report both sends of nolint.go, so the test shows nothing:\n%v", all)
	}
	want := slices.DeleteFunc(slices.Clone(all), quiet)
	compare(t, got, want)
	if slices.ContainsFunc(got, quiet) {
		t.Errorf("//nolint:lockblock does not silence lockblock")
	}
	if !slices.ContainsFunc(got, loud) {
		t.Errorf("//nolint:chanleak silences lockblock")
	}

	// calls: true took effect, and facts work under golangci-lint: the call to a function of package
	// store that blocks on the network is reported.
	if !slices.ContainsFunc(got, func(f finding) bool {
		return f.analyzer == "lockblock" && f.file == "testdata/example/lockblock.go" && lineHas(t, dir, f, "c.store.Save")
	}) {
		t.Errorf("lockblock does not report the call to c.store.Save, which blocks in package store")
	}

	// sleep: false took effect: the time.Sleep under the lock in lockblock.go, which the default
	// configuration reports, is not reported.
	if slices.ContainsFunc(got, func(f finding) bool {
		return f.analyzer == "lockblock" && f.file == "testdata/example/lockblock.go" && lineHas(t, dir, f, "time.Sleep")
	}) {
		t.Errorf("with sleep: false, lockblock still reports time.Sleep")
	}
}

// An unknown setting stops golangci-lint with an error that names it and lists the valid ones.
func TestUnknownSetting(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := `version: "2"
linters:
  default: none
  enable: [lockblock]
  settings:
    custom:
      lockblock:
        type: module
        settings:
          Bufferd: true
`
	if err := os.WriteFile(filepath.Join(dir, "golangci.yml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	r := command(t, root, []string{"GOLANGCI_LINT_CACHE=" + t.TempDir()}, gcl, "run", "--allow-parallel-runners", "--config", filepath.Join(dir, "golangci.yml"), "./testdata/example/...")
	if r.code != 3 {
		t.Errorf("exit code %d, want 3 (golangci-lint failed; 0 and 1 mean no issues and issues)", r.code)
	}
	// golangci-lint lower-cases the keys before the plugin sees them.
	if want := `lockblock: unknown setting "bufferd"; valid settings: buffered, calls, channel, io, serializing, sleep, tests, wait`; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr does not contain %q:\n%s", want, r.stderr)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
