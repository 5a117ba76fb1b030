package main

// Tests of conclint's own command line: help, -explain, -version, output formats, bad flags, the result
// cache, //lint:ignore, and packages that do not type-check next to packages that do.

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/conclint/conclint/analyzers"
	"github.com/conclint/conclint/internal/sarif/schema"
)

// commandEnv is command with extra environment variables.
func commandEnv(t *testing.T, env []string, dir, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	r := result{stdout: stdout.String(), stderr: stderr.String(), code: cmd.ProcessState.ExitCode()}
	if strings.Contains(r.output(), "panic:") {
		t.Errorf("%s %s panicked:\n%s", name, strings.Join(args, " "), r.output())
	}
	return r
}

// The help lists every analyzer with its title, the main flags, and where the documentation is.
func TestHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-h"}, {"help"}} {
		r := command(t, root, bin, args...)
		if r.code != 0 {
			t.Errorf("conclint %s: exit code %d, want 0", args[0], r.code)
		}
		out := r.output()
		for _, a := range analyzers.Suite() {
			title, _, _ := strings.Cut(a.Doc, "\n\n")
			title = strings.Join(strings.Fields(title), " ")
			if !strings.Contains(out, a.Name+" ") || !strings.Contains(out, title) {
				t.Errorf("conclint %s does not list %s with its title %q", args[0], a.Name, title)
			}
		}
		for _, want := range []string{"concurrency mistakes", "-explain NAME", "-f format", "-json", "-sarif", "-version", "CONCLINT_CACHE", "https://github.com/conclint/conclint", "go vet -vettool"} {
			if !strings.Contains(out, want) {
				t.Errorf("conclint %s does not mention %q:\n%s", args[0], want, out)
			}
		}
	}
}

// -explain prints an analyzer's docs page, or the Doc of a bundled pass, with its URL; an unknown name is
// a usage error with a suggestion.
func TestExplain(t *testing.T) {
	t.Parallel()
	page, err := os.ReadFile(filepath.Join(root, "docs", "analyzers", "lockblock.md"))
	if err != nil {
		t.Fatal(err)
	}
	r := command(t, root, bin, "-explain", "lockblock")
	if r.code != 0 {
		t.Errorf("-explain lockblock: exit code %d\n%s", r.code, r.output())
	}
	for line := range strings.Lines(string(page)) {
		if strings.HasPrefix(line, "<!--") || strings.TrimSpace(line) == "" {
			continue
		}
		if !strings.Contains(r.stdout, line) {
			t.Errorf("-explain lockblock lacks the docs page's line %q", line)
			break
		}
	}
	if !strings.Contains(r.stdout, "https://github.com/conclint/conclint/blob/main/docs/analyzers/lockblock.md") {
		t.Errorf("-explain lockblock does not give the page's URL:\n%s", r.stdout)
	}

	r = command(t, root, bin, "help", "SA2001")
	if r.code != 0 || !strings.Contains(r.stdout, "Empty critical section") || !strings.Contains(r.stdout, "https://staticcheck.dev/docs/checks/#SA2001") {
		t.Errorf("help SA2001: exit code %d, want the Doc and URL of SA2001:\n%s", r.code, r.output())
	}

	r = command(t, root, bin, "-explain", "lockblok")
	if r.code != 2 || !strings.Contains(r.stderr, `unknown analyzer "lockblok"; did you mean lockblock?`) {
		t.Errorf("-explain lockblok: exit code %d, want 2 and a suggestion:\n%s", r.code, r.output())
	}
}

// -version prints conclint's version and the Go version it was built with.
func TestVersion(t *testing.T) {
	t.Parallel()
	r := command(t, root, bin, "-version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "conclint ") || !strings.Contains(r.stdout, runtime.Version()) {
		t.Errorf("-version: exit code %d, output %q", r.code, r.output())
	}
}

// Bad flags are usage errors, exit code 2, with one clear line.
func TestBadFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-lockblok", "./..."}, "flag provided but not defined: -lockblok; did you mean -lockblock?"},
		{[]string{"-lockblock.cals", "./..."}, "did you mean -lockblock.calls?"},
		{[]string{"-nosuch.flag", "./..."}, `there is no analyzer "nosuch"`},
		{[]string{"-f", "xml", "./..."}, "unknown output format -f xml"},
		{[]string{"-sarif=x.sarif", "-json", "./..."}, "-sarif cannot be combined with -f json"},
		{[]string{"./...", "-json"}, "flag -json after the packages"},
	} {
		r := command(t, root, bin, tc.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") > 0 {
			t.Errorf("conclint %s: exit code %d, want 2 and one line with %q:\n%s", strings.Join(tc.args, " "), r.code, tc.want, r.stderr)
		}
	}
}

// -f sarif prints a SARIF log on stdout that conforms to the schema, and exits 0 with findings.
func TestFormatSARIF(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, "example.com/finding", copyFiles(findingModule))
	r := command(t, dir, bin, "-f", "sarif", "./...")
	if r.code != 0 {
		t.Errorf("exit code %d, want 0\n%s", r.code, r.output())
	}
	if err := schema.Validate([]byte(r.stdout)); err != nil {
		t.Fatalf("-f sarif output does not conform to the schema: %v\n%s", err, r.stdout)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID     string         `json:"ruleId"`
				Properties map[string]any `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 || len(log.Runs[0].Results) != 1 || log.Runs[0].Results[0].RuleID != "lockblock" || log.Runs[0].Results[0].Properties["category"] != "sleep" {
		t.Errorf("want one lockblock result of category sleep:\n%s", r.stdout)
	}
}

// copyFiles returns a copy of a module's files, which writeModule modifies.
func copyFiles(files map[string]string) map[string]string {
	c := make(map[string]string, len(files))
	for k, v := range files {
		c[k] = v
	}
	return c
}

// cacheEntries returns the number of files in the cache directory.
func cacheEntries(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Base(path) != "trim.txt" {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// lockblockOnly selects the analyzer the cache tests need: each of their runs with a new cache analyzes
// the standard library packages that the module imports, for facts, and fewer analyzers make that faster.
const lockblockOnly = "-lockblock"

// The result cache: the first run fills the cache directory that CONCLINT_CACHE names; an unchanged
// re-run writes nothing new and prints the same (with -replay=false, so that the runner's cache of
// packages serves it rather than the replay of the run, which replay_test.go tests); a changed file is analyzed again and gives its new
// finding; other analyzer flags do not reuse the results of the old ones; -clean-cache deletes it.
func TestCache(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, "example.com/finding", copyFiles(findingModule))
	cache := filepath.Join(t.TempDir(), "cache")
	env := []string{"CONCLINT_CACHE=" + cache}

	first := commandEnv(t, env, dir, bin, lockblockOnly, "./...")
	if first.code != 3 || !strings.Contains(first.stderr, "finding.go:13:2: time.Sleep called while mu is held") {
		t.Fatalf("first run: exit code %d, want 3 and the finding:\n%s", first.code, first.output())
	}
	if _, err := os.Stat(filepath.Join(cache, "README")); err != nil {
		t.Errorf("the cache directory has no README: %v", err)
	}
	entries := cacheEntries(t, cache)
	if entries < 3 {
		t.Fatalf("%d files in the cache after the first run", entries)
	}

	second := commandEnv(t, env, dir, bin, lockblockOnly, "-replay=false", "./...")
	if second != first {
		t.Errorf("the unchanged re-run prints something else:\nfirst:\n%s\nsecond:\n%s", first.output(), second.output())
	}
	if n := cacheEntries(t, cache); n != entries {
		t.Errorf("the unchanged re-run wrote to the cache: %d files, then %d", entries, n)
	}

	// Another finding in the changed file: the package is analyzed again.
	src := findingModule["finding.go"] + "\nfunc G() {\n\tmu.Lock()\n\ttime.Sleep(time.Second)\n\tmu.Unlock()\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "finding.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	third := commandEnv(t, env, dir, bin, lockblockOnly, "./...")
	if third.code != 3 || strings.Count(third.stderr, "time.Sleep called while mu is held") != 2 {
		t.Errorf("after the change: exit code %d, want 3 and both findings:\n%s", third.code, third.output())
	}
	if n := cacheEntries(t, cache); n <= entries {
		t.Errorf("the run on the changed package wrote nothing to the cache")
	}

	// The flags of the analyzers are part of the key: the cached findings do not come back.
	if r := commandEnv(t, env, dir, bin, lockblockOnly, "-lockblock.sleep=false", "./..."); r.code != 0 || r.stderr != "" {
		t.Errorf("-lockblock.sleep=false: exit code %d, want 0 and nothing printed:\n%s", r.code, r.output())
	}

	r := commandEnv(t, env, dir, bin, "-clean-cache")
	if _, err := os.Stat(cache); r.code != 0 || !os.IsNotExist(err) {
		t.Errorf("-clean-cache: exit code %d, cache directory: %v\n%s", r.code, err, r.output())
	}
}

// A corrupt cache, or a cache directory that cannot be used, is deleted with a message, and the run
// goes on with the same findings.
func TestCorruptCache(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, "example.com/finding", copyFiles(findingModule))
	cache := filepath.Join(t.TempDir(), "cache")
	env := []string{"CONCLINT_CACHE=" + cache}
	want := commandEnv(t, env, dir, bin, lockblockOnly, "./...")
	if want.code != 3 {
		t.Fatalf("exit code %d, want 3\n%s", want.code, want.output())
	}

	// Every output file of the cache (names ending in -d) overwritten with garbage of the same size.
	corruptCache(t, cache)
	r := commandEnv(t, env, dir, bin, lockblockOnly, "./...")
	if r.code != 3 || !strings.Contains(r.stderr, want.stderr) || !strings.Contains(r.stderr, "is corrupt") || !strings.Contains(r.stderr, "deleted it") {
		t.Errorf("corrupt cache: exit code %d, want 3, a message and the findings:\n%s", r.code, r.output())
	}

	// A file where the cache directory should be.
	if err := os.RemoveAll(cache); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cache, []byte("not a directory"), 0o666); err != nil {
		t.Fatal(err)
	}
	r = commandEnv(t, env, dir, bin, lockblockOnly, "./...")
	if r.code != 3 || !strings.Contains(r.stderr, want.stderr) || !strings.Contains(r.stderr, "cannot use the result cache") {
		t.Errorf("cache directory is a file: exit code %d, want 3, a message and the findings:\n%s", r.code, r.output())
	}

	// A cache directory that can be neither made nor deleted, under a file: a temporary cache instead.
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("not a directory"), 0o666); err != nil {
		t.Fatal(err)
	}
	r = commandEnv(t, []string{"CONCLINT_CACHE=" + filepath.Join(file, "cache")}, dir, bin, lockblockOnly, "./...")
	if r.code != 3 || !strings.Contains(r.stderr, want.stderr) || !strings.Contains(r.stderr, "using a temporary one") {
		t.Errorf("cache directory under a file: exit code %d, want 3, a message and the findings:\n%s", r.code, r.output())
	}

	if r := commandEnv(t, []string{"CONCLINT_CACHE=relative/dir"}, dir, bin, lockblockOnly, "./..."); r.code != 1 || !strings.Contains(r.stderr, "CONCLINT_CACHE=relative/dir is not an absolute path") {
		t.Errorf("relative CONCLINT_CACHE: exit code %d, want 1 and a message:\n%s", r.code, r.output())
	}
}

// //lint:ignore, staticcheck's directive, silences an analyzer on the next line as //conclint:ignore does.
func TestLintIgnore(t *testing.T) {
	t.Parallel()
	files := copyFiles(findingModule)
	files["finding.go"] = strings.Replace(files["finding.go"], "\ttime.Sleep(time.Second)", "\t//lint:ignore lockblock the pause is the point\n\ttime.Sleep(time.Second)", 1)
	dir := writeModule(t, "example.com/finding", files)
	if r := command(t, dir, bin, "./..."); r.code != 0 || r.stderr != "" {
		t.Errorf("exit code %d, want 0 and nothing printed:\n%s", r.code, r.output())
	}
}

// A package that does not type-check is named, after its errors, and so is the package that imports
// it; the other packages are still analyzed, and their findings printed; the exit code is 1.
func TestTypeErrorAmongOthers(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, "example.com/mixed", map[string]string{
		"bad.go": "package bad\n\nfunc F() int { return \"x\" }\n",
	})
	for name, src := range map[string]string{
		"user/user.go":       "package user\n\nimport \"example.com/mixed\"\n\nvar X = bad.F()\n",
		"finding/finding.go": findingModule["finding.go"],
	} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := command(t, dir, bin, "./...")
	want := []string{
		"# example.com/mixed\n",
		`bad.go:3:23: cannot use "x" (untyped string constant) as int value in return statement`,
		"conclint: example.com/mixed does not type-check: not analyzed\n",
		"conclint: example.com/mixed/user not analyzed: its dependency example.com/mixed has errors\n",
		filepath.Join("finding", "finding.go") + ":13:2: time.Sleep called while mu is held",
	}
	last := -1
	for _, w := range want {
		i := strings.Index(r.stderr, w)
		if i < 0 {
			t.Errorf("stderr does not contain %q:\n%s", w, r.stderr)
		} else if i < last {
			t.Errorf("stderr has %q out of order:\n%s", w, r.stderr)
		}
		last = max(last, i)
	}
	if r.code != 1 {
		t.Errorf("exit code %d, want 1\n%s", r.code, r.output())
	}
}

// corruptCache overwrites every output file of the result cache in dir (names ending in -d) with garbage of
// the same size.
func corruptCache(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "-d") {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(path, []byte(strings.Repeat("\xff", int(info.Size()))), 0o666)
	})
	if err != nil {
		t.Fatal(err)
	}
}
