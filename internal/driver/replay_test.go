package driver

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"honnef.co/go/tools/lintcmd/cache"
)

func TestUntrustedPattern(t *testing.T) {
	root := filepath.FromSlash("/m")
	cwd := filepath.FromSlash("/m/sub")
	for _, tc := range []struct {
		pattern string
		trusted bool
	}{
		{"./...", true},
		{".", true},
		{"./x", true},
		{"./x/...", true},
		{"../...", true},       // the module root, from a subdirectory
		{"../../...", false},   // above the module
		{"../../other", false}, // another directory
		{"/m/x/...", true},
		{"/elsewhere/...", false},
		{"example.com/m/...", true},
		{"net/http", true},
		{"all", false},
		{"std", false},
		{"cmd", false},
		{"...", false},
		{"x.go", false},
		{"./x.go", false},
		{"sub/x.go", true}, // no such file: an import path, as github.com/nats-io/nats.go is
		{"github.com/nats-io/nats.go", true},
		{"example.com/m@v1.0.0", false},
	} {
		why := untrustedPattern(tc.pattern, cwd, []string{root})
		if (why == "") != tc.trusted {
			t.Errorf("untrustedPattern(%q) = %q, want trusted %t", tc.pattern, why, tc.trusted)
		}
	}
}

// keyEnv makes the tests independent of the user's go environment: no go env file, no workspace.
func keyEnv(t *testing.T) {
	t.Setenv("GOENV", "off")
	t.Setenv("GOWORK", "")
	t.Setenv("GO111MODULE", "")
	t.Setenv("GOFLAGS", "")
}

// writeFiles writes files (slash-separated names relative to dir) into dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
}

// runKey returns the replay key of a run with args and patterns in the working directory, or fails.
func runKey(t *testing.T, patterns ...string) cache.ActionID {
	t.Helper()
	in, why := replayInputs("conclint", &options{args: patterns, patterns: patterns}, "")
	if in == nil {
		t.Fatalf("no replay: %s", why)
	}
	k, err := in.key()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// The key covers every file of the module and of the directories go.mod replaces modules with, by name and
// content, and the environment of the go command; it leaves out nested modules and version control
// directories.
func TestReplayKey(t *testing.T) {
	keyEnv(t)
	dir := t.TempDir()
	mod := filepath.Join(dir, "m")
	writeFiles(t, dir, map[string]string{
		"m/go.mod":                 "module example.com/m\n\ngo 1.26\n\nreplace example.com/r => ../r\n",
		"m/a.go":                   "package m\n",
		"m/sub/b.go":               "package sub\n",
		"m/testdata/x.txt":         "data\n",
		"m/asm.s":                  "// asm\n",
		"m/nested/go.mod":          "module example.com/nested\n",
		"m/nested/n.go":            "package nested\n",
		"m/.git/HEAD":              "ref: refs/heads/main\n",
		"r/go.mod":                 "module example.com/r\n",
		"r/r.go":                   "package r\n",
		"outside/unrelated.go":     "package outside\n",
		"m/sub/deeper/embedded.md": "text\n",
	})
	t.Chdir(mod)
	base := runKey(t, "./...")
	if again := runKey(t, "./..."); again != base {
		t.Fatal("two keys of unchanged inputs differ")
	}

	// check makes a change, checks that it changes the key or not, and undoes it.
	type change struct{ do, undo func() }
	check := func(what string, wantChange bool, c change) {
		t.Helper()
		c.do()
		if changed := runKey(t, "./...") != base; changed != wantChange {
			t.Errorf("%s: key changed %t, want %t", what, changed, wantChange)
		}
		c.undo()
		if runKey(t, "./...") != base {
			t.Fatalf("%s: undone, the key is not the first one", what)
		}
	}
	edit := func(name, content string) change {
		path := filepath.Join(dir, filepath.FromSlash(name))
		old, err := os.ReadFile(path)
		return change{func() { writeFiles(t, dir, map[string]string{name: content}) },
			func() {
				if err != nil {
					os.Remove(path)
					return
				}
				writeFiles(t, dir, map[string]string{name: string(old)})
			}}
	}
	remove := func(name string) change {
		path := filepath.Join(dir, filepath.FromSlash(name))
		old, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return change{func() { os.Remove(path) }, func() { writeFiles(t, dir, map[string]string{name: string(old)}) }}
	}
	setenv := func(name, value string) change {
		old, had := os.LookupEnv(name)
		return change{func() { os.Setenv(name, value) }, func() {
			if had {
				os.Setenv(name, old)
			} else {
				os.Unsetenv(name)
			}
		}}
	}
	emptyDir := filepath.Join(mod, "empty")

	check("a .go file edited", true, edit("m/a.go", "package m\n\nvar X int\n"))
	check("a .go file of the same size edited", true, edit("m/a.go", "package n\n"))
	check("a .go file added", true, edit("m/sub/c.go", "package sub\n"))
	check("a .go file removed", true, remove("m/sub/b.go"))
	check("an empty directory added", true, change{func() { os.Mkdir(emptyDir, 0o777) }, func() { os.Remove(emptyDir) }})
	check("go.mod changed", true, edit("m/go.mod", "module example.com/m\n\ngo 1.26\n\nreplace example.com/r => ../r\n// comment\n"))
	check("go.sum added", true, edit("m/go.sum", ""))
	check("an assembly file edited", true, edit("m/asm.s", "// other\n"))
	check("a testdata file edited", true, edit("m/testdata/x.txt", "other\n"))
	check("a file of the replacement directory edited", true, edit("r/r.go", "package r // edited\n"))
	check("a file of a nested module edited", false, edit("m/nested/n.go", "package nested // edited\n"))
	check("the nested module's go.mod removed", true, remove("m/nested/go.mod"))
	check("a file of .git edited", false, edit("m/.git/HEAD", "ref: refs/heads/other\n"))
	check("a file outside the module edited", false, edit("outside/unrelated.go", "package elsewhere\n"))
	check("GOFLAGS set", true, setenv("GOFLAGS", "-tags=x"))
	check("GOOS set", true, setenv("GOOS", "plan9"))
	check("CGO_CFLAGS set", true, setenv("CGO_CFLAGS", "-O0"))

	// The outputs of the run are not inputs: the result cache and the -sarif file, inside the module.
	opts := &options{args: []string{"./..."}, patterns: []string{"./..."}, sarifFile: "out.sarif"}
	in, why := replayInputs("conclint", opts, filepath.Join(mod, "cache"))
	if in == nil {
		t.Fatalf("no replay: %s", why)
	}
	before, err := in.key()
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, mod, map[string]string{"cache/README": "x\n", "cache/00/entry": "y\n", "out.sarif": "{}\n"})
	if after, err := in.key(); err != nil || after != before {
		t.Errorf("files written to the result cache and the -sarif file change the key (%v)", err)
	}
	os.RemoveAll(filepath.Join(mod, "cache"))
	os.Remove(filepath.Join(mod, "out.sarif"))

	if runKey(t, "./sub") == base {
		t.Error("other patterns, same key")
	}
	t.Chdir(filepath.Join(mod, "sub"))
	if runKey(t, "../...") == base {
		t.Error("another working directory, same key")
	}
}

// The replay is off where the key cannot be trusted to cover the inputs.
func TestReplayOff(t *testing.T) {
	keyEnv(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"m/go.mod":   "module example.com/m\n\ngo 1.26\n",
		"m/a.go":     "package m\n",
		"nomod/a.go": "package nomod\n",
	})
	off := func(what, cwd string, patterns ...string) {
		t.Helper()
		t.Chdir(filepath.Join(dir, cwd))
		if in, _ := replayInputs("conclint", &options{args: patterns, patterns: patterns}, ""); in != nil {
			t.Errorf("%s: replay on", what)
		}
	}
	off("not in a module", "nomod", "./...")
	off("a pattern outside the module", "m", "../nomod")
	off("a meta pattern", "m", "all")
	t.Setenv("GO111MODULE", "off")
	off("GO111MODULE=off", "m", "./...")
	t.Setenv("GO111MODULE", "")
	t.Setenv("GOFLAGS", "-modfile=other.mod")
	off("-modfile in GOFLAGS", "m", "./...")
	t.Setenv("GOFLAGS", "")
	t.Setenv("GOWORK", "relative/go.work")
	off("a relative GOWORK", "m", "./...")
}

// In a workspace, the key covers go.work, go.work.sum, every module it uses, and the directories that
// go.work or those modules' go.mod replace modules with; GOWORK=off leaves the workspace.
func TestReplayWorkspace(t *testing.T) {
	keyEnv(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"w/go.work":    "go 1.26\n\nuse (\n\t./a\n\t./b\n)\n\nreplace example.com/r => ../r\n",
		"w/a/go.mod":   "module example.com/a\n\ngo 1.26\n",
		"w/a/a.go":     "package a\n",
		"w/b/go.mod":   "module example.com/b\n\ngo 1.26\n\nreplace example.com/s => ../../s\n",
		"w/b/b.go":     "package b\n",
		"w/c/go.mod":   "module example.com/c\n",
		"w/c/c.go":     "package c\n",
		"r/go.mod":     "module example.com/r\n",
		"r/r.go":       "package r\n",
		"s/go.mod":     "module example.com/s\n",
		"s/s.go":       "package s\n",
		"elsewhere.go": "package elsewhere\n",
	})
	t.Chdir(filepath.Join(dir, "w", "a"))
	patterns := []string{"./...", "../b/..."}
	key := func() cache.ActionID { return runKey(t, patterns...) }
	base := key()
	for _, c := range []struct {
		file, content string
		change        bool
	}{
		{"w/b/b.go", "package b // edited\n", true},
		{"w/go.work", "go 1.26\n\nuse (\n\t./a\n\t./b\n)\n\nreplace example.com/r => ../r\n// edited\n", true},
		{"w/go.work.sum", "", true},
		{"r/r.go", "package r // edited\n", true},
		{"s/s.go", "package s // edited\n", true},
		{"w/c/c.go", "package c // edited\n", false}, // a module the workspace does not use
		{"elsewhere.go", "package elsewhere // edited\n", false},
	} {
		path := filepath.Join(dir, filepath.FromSlash(c.file))
		old, err := os.ReadFile(path)
		writeFiles(t, dir, map[string]string{c.file: c.content})
		if changed := key() != base; changed != c.change {
			t.Errorf("%s edited: key changed %t, want %t", c.file, changed, c.change)
		}
		if err != nil {
			os.Remove(path)
		} else {
			writeFiles(t, dir, map[string]string{c.file: string(old)})
		}
	}

	// A pattern in a module the workspace does not use: off.
	if in, _ := replayInputs("conclint", &options{patterns: []string{"../c/..."}}, ""); in != nil {
		t.Error("a pattern outside the workspace's modules: replay on")
	}

	// GOWORK names the workspace, from the environment or from the go env file.
	t.Chdir(filepath.Join(dir, "s"))
	inWorkspace := func(what string) {
		t.Helper()
		in, why := replayInputs("conclint", &options{patterns: []string{"example.com/a"}}, "")
		if in == nil {
			t.Fatalf("%s: no replay: %s", what, why)
		}
		if !slices.Contains(in.roots, filepath.Join(dir, "w", "b")) {
			t.Errorf("%s: the workspace's modules are not among the roots: %q", what, in.roots)
		}
	}
	t.Setenv("GOWORK", filepath.Join(dir, "w", "go.work"))
	inWorkspace("GOWORK")
	t.Setenv("GOWORK", "")
	writeFiles(t, dir, map[string]string{"goenv": "GOWORK=" + filepath.Join(dir, "w", "go.work") + "\n"})
	t.Setenv("GOENV", filepath.Join(dir, "goenv"))
	inWorkspace("GOWORK in the go env file")
	t.Setenv("GOENV", "off")

	// GOWORK=off: the module of the working directory alone.
	t.Setenv("GOWORK", "off")
	t.Chdir(filepath.Join(dir, "w", "a"))
	in, why := replayInputs("conclint", &options{patterns: []string{"./..."}}, "")
	if in == nil {
		t.Fatalf("GOWORK=off: no replay: %s", why)
	}
	if want := []string{filepath.Join(dir, "w", "a")}; !slices.Equal(in.roots, want) || len(in.files) != 0 {
		t.Errorf("GOWORK=off: roots %q, files %q, want roots %q and no files", in.roots, in.files, want)
	}
}

// A symbolic link to a directory in the module makes the key fail: the files behind it are not walked.
func TestReplayKeySymlinkDir(t *testing.T) {
	keyEnv(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"m/go.mod": "module example.com/m\n", "other/x.go": "package x\n"})
	if err := os.Symlink(filepath.Join(dir, "other"), filepath.Join(dir, "m", "x")); err != nil {
		t.Skipf("no symbolic links: %v", err)
	}
	t.Chdir(filepath.Join(dir, "m"))
	in, why := replayInputs("conclint", &options{patterns: []string{"./..."}}, "")
	if in == nil {
		t.Fatalf("no replay: %s", why)
	}
	if _, err := in.key(); err == nil || !strings.Contains(err.Error(), "symbolic link to a directory") {
		t.Errorf("key: %v, want an error about the link", err)
	}
}
