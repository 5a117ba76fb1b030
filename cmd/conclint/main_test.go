package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// These tests build the conclint binary once and run it the way users do, on the example in
// testdata/example and on small modules written to temporary directories.

var (
	bin  string // the conclint binary built by TestMain
	root string // the repository root, where the tests run the binary by default
)

// examplePkg is the import path of the example, as the -json output keys it.
const examplePkg = "github.com/conclint/conclint/testdata/example"

// mistyped is the start of ignoredirective's message about the mistyped directive in the example's
// directive.go; the message goes on with a "did you mean" hint.
const mistyped = `//conclint:ignore names unknown analyzer "lockblok"`

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

// buildAndRun builds the binary into a temporary directory, locates the repository root and runs the
// tests. It returns the exit code.
func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "conclint-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	// The runs of the tests share a result cache of their own, not the user's.
	if err := os.Setenv("CONCLINT_CACHE", filepath.Join(dir, "cache")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	bin = filepath.Join(dir, "conclint")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		return 1
	}
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		fmt.Fprintf(os.Stderr, "go env GOMOD: %v\n", err)
		return 1
	}
	root = filepath.Dir(strings.TrimSpace(string(gomod)))
	return m.Run()
}

// result is what a command printed and its exit code.
type result struct {
	stdout, stderr string
	code           int
}

// output returns everything the command printed, stdout first.
func (r result) output() string { return r.stdout + r.stderr }

// command runs name with args in dir and returns what it printed and its exit code. It fails the test if
// the command cannot be started.
func command(t *testing.T, dir, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	r := result{stdout: stdout.String(), stderr: stderr.String(), code: cmd.ProcessState.ExitCode()}
	if strings.Contains(r.output(), "panic:") {
		t.Errorf("%s %s panicked:\n%s", name, strings.Join(args, " "), r.output())
	}
	return r
}

// directiveLine returns the line and column of the first occurrence of text in the example's directive.go.
func directiveLine(t *testing.T, text string) (line, col int) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "testdata", "example", "directive.go"))
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(data), "\n") {
		if c := strings.Index(l, text); c >= 0 {
			return i + 1, c + 1
		}
	}
	t.Fatalf("testdata/example/directive.go does not contain %q", text)
	return 0, 0
}

// mistypedPos returns "directive.go:LINE:COL", the position of the mistyped directive in the example.
func mistypedPos(t *testing.T) string {
	t.Helper()
	line, col := directiveLine(t, "//conclint:ignore lockblok ")
	return fmt.Sprintf("directive.go:%d:%d", line, col)
}

// writeModule writes a module named path into a new temporary directory, with go.mod and the given
// files, and returns the directory.
func writeModule(t *testing.T, path string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = "module " + path + "\n\ngo 1.26\n"
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// The standalone driver prints each finding on stderr and exits 3.
func TestStandalone(t *testing.T) {
	t.Parallel()
	r := command(t, root, bin, "./testdata/example/...")
	if want := mistypedPos(t) + ": " + mistyped; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr does not contain %q:\n%s", want, r.stderr)
	}
	if r.code != 3 {
		t.Errorf("exit code %d, want 3 (findings)\n%s", r.code, r.output())
	}
}

// Under go vet, the binary is the vet tool; go vet prints the same findings and exits 1.
func TestVetTool(t *testing.T) {
	t.Parallel()
	r := command(t, root, "go", "vet", "-vettool="+bin, "./testdata/example/...")
	if want := mistypedPos(t) + ": " + mistyped; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr does not contain %q:\n%s", want, r.stderr)
	}
	if r.code == 0 {
		t.Errorf("exit code 0, want non-zero (findings)\n%s", r.output())
	}
}

// jsonDiag is one diagnostic of the -json output.
type jsonDiag struct {
	Posn     string `json:"posn"`
	Category string `json:"category"`
	Message  string `json:"message"`
}

// With -json, the findings go to stdout as one JSON object keyed by package and analyzer, and the exit
// code is 0.
func TestJSON(t *testing.T) {
	t.Parallel()
	r := command(t, root, bin, "-json", "./testdata/example/...")
	if r.code != 0 {
		t.Errorf("exit code %d, want 0\n%s", r.code, r.output())
	}
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
		t.Fatalf("stdout is not a JSON object of packages and analyzers: %v\n%s", err, r.stdout)
	}
	diags := func(analyzer string) []jsonDiag {
		t.Helper()
		raw, ok := tree[examplePkg][analyzer]
		if !ok {
			t.Fatalf("no %s.%s entry in:\n%s", examplePkg, analyzer, r.stdout)
		}
		var list []jsonDiag
		if err := json.Unmarshal(raw, &list); err != nil {
			t.Fatalf("%s.%s is not a list of diagnostics: %v\n%s", examplePkg, analyzer, err, raw)
		}
		return list
	}

	pos := mistypedPos(t)
	found := false
	for _, d := range diags("ignoredirective") {
		if strings.HasSuffix(d.Posn, pos) && strings.HasPrefix(d.Message, mistyped) {
			found = true
			if d.Category != "unknown-analyzer" {
				t.Errorf("category %q, want unknown-analyzer", d.Category)
			}
		}
	}
	if !found {
		t.Errorf("no ignoredirective diagnostic at %s with message %q", pos, mistyped)
	}

	// The well-formed directive silences lockblock's finding on its own line; the mistyped one silences
	// nothing, so lockblock still reports the time.Sleep on the line below it.
	silenced, _ := directiveLine(t, "//conclint:ignore lockblock ")
	mistypedLine, _ := directiveLine(t, "//conclint:ignore lockblok ")
	var reported bool
	for _, d := range diags("lockblock") {
		switch {
		case strings.Contains(d.Posn, fmt.Sprintf("directive.go:%d:", silenced)):
			t.Errorf("lockblock reports %s, which a //conclint:ignore directive silences: %s", d.Posn, d.Message)
		case strings.Contains(d.Posn, fmt.Sprintf("directive.go:%d:", mistypedLine+1)):
			reported = true
		}
	}
	if !reported {
		t.Errorf("lockblock does not report directive.go:%d, under the mistyped directive", mistypedLine+1)
	}
}

// A pattern that matches no packages is an error, exit code 1, and the message says why.
func TestNoPackages(t *testing.T) {
	t.Parallel()
	t.Run("missing directory", func(t *testing.T) {
		t.Parallel()
		r := command(t, root, bin, "./nosuchdir/...")
		if want := "pattern ./nosuchdir/...: lstat ./nosuchdir/: no such file or directory"; !strings.Contains(r.stderr, want) {
			t.Errorf("stderr does not contain %q:\n%s", want, r.stderr)
		}
		if r.code != 1 {
			t.Errorf("exit code %d, want 1\n%s", r.code, r.output())
		}
	})
	t.Run("module without packages", func(t *testing.T) {
		t.Parallel()
		dir := writeModule(t, "example.com/empty", map[string]string{})
		r := command(t, dir, bin, "./...")
		if want := "./... matched no packages"; !strings.Contains(r.stderr, want) {
			t.Errorf("stderr does not contain %q:\n%s", want, r.stderr)
		}
		if r.code != 1 {
			t.Errorf("exit code %d, want 1\n%s", r.code, r.output())
		}
	})
}

// A package that does not type-check is an error, exit code 1, not a crash and not a finding; the
// output names the package and the type error.
func TestTypeError(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, "example.com/bad", map[string]string{
		"bad.go": "package bad\n\nfunc F() int { return \"x\" }\n",
	})
	r := command(t, dir, bin, "./...")
	for _, want := range []string{
		`bad.go:3:23: cannot use "x" (untyped string constant) as int value in return statement`,
		"conclint: example.com/bad does not type-check: not analyzed",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr does not contain %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "analysis skipped") || strings.Contains(r.stderr, "failed prerequisites") {
		t.Errorf("stderr lists the analyzers skipped on the broken package:\n%s", r.stderr)
	}
	if r.code != 1 {
		t.Errorf("exit code %d, want 1\n%s", r.code, r.output())
	}
}

// fixed maps each example file that a suggested fix rewrites to a snippet that the fix adds once more to
// the file (the correct form beside the mistake may already contain it). Every file not in it must come
// back from -fix byte for byte.
var fixed = map[string]string{
	// chanleak: the goroutine's single send on ch, abandoned after the timeout, gets room in the buffer.
	"chanleak.go": "ch := make(chan fetchResult, 1)\n\tgo func() {",
	// wgmisuse: the goroutine's Done, which its early return skips, is deferred at its start instead.
	"wgmisuse.go": "go func() {\n\t\t\tdefer wg.Done()\n\t\t\tif _, err := f.Fetch(ctx, k); err != nil {\n\t\t\t\treturn\n",
}

// With -fix, the driver applies the suggested fixes instead of printing findings, and exits 0 even when
// findings without a fix remain.
func TestFix(t *testing.T) {
	t.Parallel()
	t.Run("example", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		for _, name := range []string{"go.mod", "go.sum"} {
			data, err := os.ReadFile(filepath.Join(root, name))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		src := filepath.Join(root, "testdata", "example")
		dst := filepath.Join(dir, "testdata", "example")
		if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
			t.Fatal(err)
		}

		r := command(t, dir, bin, "-fix", "./testdata/example/...")
		if r.code != 0 {
			t.Errorf("exit code %d, want 0\n%s", r.code, r.output())
		}

		before, after := readTree(t, src), readTree(t, dst)
		for name, content := range after {
			if _, ok := before[name]; !ok {
				t.Errorf("-fix created %s", name)
				continue
			}
			if snippet, ok := fixed[name]; ok {
				if got, want := strings.Count(content, snippet), strings.Count(before[name], snippet)+1; got != want {
					t.Errorf("fixed %s contains %q %d times, want %d:\n%s", name, snippet, got, want, content)
				}
			} else if content != before[name] {
				t.Errorf("-fix changed %s, which has no suggested fix:\n%s", name, content)
			}
		}
		for name := range before {
			if _, ok := after[name]; !ok {
				t.Errorf("-fix removed %s", name)
			}
		}
	})

	// SA1012, a bundled pass, offers two fixes for a nil context; the driver applies the first and names
	// the other on stderr. This shows that fixes reach the files through the binary.
	t.Run("bundled fix", func(t *testing.T) {
		t.Parallel()
		dir := writeModule(t, "example.com/nilctx", map[string]string{
			"nilctx.go": "package nilctx\n\nimport \"context\"\n\nfunc use(ctx context.Context) {}\n\nfunc F() { use(nil) }\n",
		})
		r := command(t, dir, bin, "-fix", "./...")
		if r.code != 0 {
			t.Errorf("exit code %d, want 0\n%s", r.code, r.output())
		}
		data, err := os.ReadFile(filepath.Join(dir, "nilctx.go"))
		if err != nil {
			t.Fatal(err)
		}
		if want := "func F() { use(context.TODO()) }"; !strings.Contains(string(data), want) {
			t.Errorf("fixed nilctx.go does not contain %q:\n%s", want, data)
		}
		if want := `ignoring alternative fix "Use context.Background"`; !strings.Contains(r.stderr, want) {
			t.Errorf("stderr does not contain %q:\n%s", want, r.stderr)
		}
	})
}

// readTree returns the contents of the files under dir, by slash-separated path relative to dir.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := make(map[string]string)
	err := fs.WalkDir(os.DirFS(dir), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(path)))
		files[path] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
