package main

// Tests of the replay: an unchanged re-run prints the previous run's output again without analyzing, and
// any change of its inputs makes it analyze.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// replayDebug makes conclint say on stderr whether it replayed a run ("replay: hit ...").
const replayDebug = "CONCLINT_DEBUG=replay"

// withoutDebug returns r without the lines of the replay's debugging output.
func withoutDebug(r result) result {
	var keep []string
	for _, line := range strings.SplitAfter(r.stderr, "\n") {
		if !strings.Contains(line, ": replay: ") {
			keep = append(keep, line)
		}
	}
	r.stderr = strings.Join(keep, "")
	return r
}

// replayed reports whether the run was served by the replay.
func replayed(r result) bool { return strings.Contains(r.stderr, ": replay: hit ") }

// sleepFunc returns a function named name that sleeps while mu is held: a lockblock finding with
// findingModule's Inc.
func sleepFunc(name string) string {
	return "\nfunc " + name + "() {\n\tmu.Lock()\n\ttime.Sleep(time.Second)\n\tmu.Unlock()\n}\n"
}

const sleepFinding = "time.Sleep called while mu is held"

func TestReplay(t *testing.T) {
	t.Parallel()
	files := copyFiles(findingModule)
	files["extra.go"] = "package finding\n\nimport \"time\"\n" + sleepFunc("Extra")
	dir := writeModule(t, "example.com/finding", files)
	// The cache inside the module, as CI setups that keep it with the workspace have it: it is an output
	// of the run, not an input.
	env := []string{"CONCLINT_CACHE=" + filepath.Join(dir, "cache"), replayDebug}
	run := func(args ...string) result {
		t.Helper()
		return commandEnv(t, env, dir, bin, append([]string{lockblockOnly}, args...)...)
	}
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// analyzed runs conclint, checks that it analyzed (no replay) and found n findings, and that the
	// re-run right after is a replay with the same output.
	analyzed := func(what string, n int, args ...string) {
		t.Helper()
		first := run(append(args, "./...")...)
		wantCode := 3
		if n == 0 {
			wantCode = 0
		}
		if replayed(first) || first.code != wantCode || strings.Count(first.stderr, sleepFinding) != n {
			t.Fatalf("%s: exit code %d, want %d, %d findings and no replay:\n%s", what, first.code, wantCode, n, first.output())
		}
		second := run(append(args, "./...")...)
		if !replayed(second) {
			t.Fatalf("%s: the unchanged re-run is not replayed:\n%s", what, second.output())
		}
		if withoutDebug(second) != withoutDebug(first) {
			t.Errorf("%s: the replay prints something else:\nfirst:\n%s\nreplay:\n%s", what, first.output(), second.output())
		}
	}

	analyzed("first run", 2)
	write("finding.go", findingModule["finding.go"]+sleepFunc("G"))
	analyzed("a .go file edited", 3)
	write("new.go", "package finding\n\nimport \"time\"\n"+sleepFunc("New"))
	analyzed("a .go file added", 4)
	if err := os.Remove(filepath.Join(dir, "extra.go")); err != nil {
		t.Fatal(err)
	}
	analyzed("a .go file removed", 3)
	write("go.mod", "module example.com/finding\n\ngo 1.26\n\n// edited\n")
	analyzed("go.mod changed", 3)
	analyzed("an analyzer flag changed", 0, "-lockblock.sleep=false")
	analyzed("the output format changed", 0, "-json")

	// -replay=false analyzes, and does not take the stored output.
	if r := run("-replay=false", "./..."); replayed(r) || r.code != 3 || strings.Count(r.stderr, sleepFinding) != 3 {
		t.Errorf("-replay=false: exit code %d, want 3, the findings and no replay:\n%s", r.code, r.output())
	}

	// The -sarif file is written again by the replay.
	sarif := filepath.Join(t.TempDir(), "log.sarif")
	analyzed("-sarif", 3, "-sarif", sarif)
	want, err := os.ReadFile(sarif)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(sarif); err != nil {
		t.Fatal(err)
	}
	if r := run("-sarif", sarif, "./..."); !replayed(r) {
		t.Errorf("-sarif: the unchanged re-run is not replayed:\n%s", r.output())
	}
	if got, err := os.ReadFile(sarif); err != nil || string(got) != string(want) {
		t.Errorf("-sarif: the replay wrote another log (%v):\n%s\nwant:\n%s", err, got, want)
	}
}

// A run that ends in an error is not stored: its re-run analyzes again.
func TestReplayNotAfterError(t *testing.T) {
	t.Parallel()
	files := copyFiles(findingModule)
	files["bad.go"] = badModule["bad.go"]
	files["bad.go"] = strings.Replace(files["bad.go"], "package bad", "package finding", 1)
	dir := writeModule(t, "example.com/finding", files)
	env := []string{"CONCLINT_CACHE=" + filepath.Join(t.TempDir(), "cache"), replayDebug}
	for i := range 2 {
		r := commandEnv(t, env, dir, bin, lockblockOnly, "./...")
		if r.code != 1 || replayed(r) || !strings.Contains(r.stderr, "replay: not stored: exit code 1") {
			t.Errorf("run %d: exit code %d, want 1, no replay and nothing stored:\n%s", i+1, r.code, r.output())
		}
	}
	// A pattern that matches nothing is an error too.
	for i := range 2 {
		r := commandEnv(t, env, dir, bin, lockblockOnly, "./nothing/...")
		if r.code != 1 || replayed(r) {
			t.Errorf("pattern matching nothing, run %d: exit code %d, want 1 and no replay:\n%s", i+1, r.code, r.output())
		}
	}
}

// A corrupt stored output is ignored: the run analyzes, and stores it again.
func TestReplayCorrupt(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, "example.com/finding", copyFiles(findingModule))
	cache := filepath.Join(t.TempDir(), "cache")
	env := []string{"CONCLINT_CACHE=" + cache, replayDebug}
	want := commandEnv(t, env, dir, bin, lockblockOnly, "./...")
	if want.code != 3 || !strings.Contains(want.stderr, "replay: stored") {
		t.Fatalf("exit code %d, want 3 and the output stored:\n%s", want.code, want.output())
	}
	// Every output file of the cache (names ending in -d), the stored output among them, overwritten with
	// garbage of the same size.
	corruptCache(t, cache)
	r := commandEnv(t, env, dir, bin, lockblockOnly, "./...")
	if r.code != 3 || replayed(r) || !strings.Contains(r.stderr, sleepFinding) || !strings.Contains(r.stderr, "replay: stored") {
		t.Errorf("corrupt entry: exit code %d, want 3, the finding, no replay and the output stored again:\n%s", r.code, r.output())
	}
	if r := commandEnv(t, env, dir, bin, lockblockOnly, "./..."); !replayed(r) || withoutDebug(r).stderr != withoutDebug(want).stderr {
		t.Errorf("after the corrupt entry was replaced: want a replay of the findings:\n%s", r.output())
	}
}
