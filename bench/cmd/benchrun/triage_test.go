package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// triageFindings are the findings the triage tests judge.
var triageFindings = []*finding{
	{Pos: position{"a.go", 1, 2}, Analyzer: "lockblock", Message: "send on ch may block while mu is held"},
	{Pos: position{"a.go", 3, 4}, Analyzer: "lockblock", Message: "call to f — a dash in a message"},
	{Pos: position{"b.go", 5, 6}, Analyzer: "lockblock", Message: "sleep while mu is held"},
	{Pos: position{"c.go", 7, 8}, Analyzer: "goroutineerr", Message: "error of Serve is lost"},
	{Pos: position{"d.go", 9, 1}, Analyzer: "goroutineerr", Message: "error of Close is lost"},
	{Pos: position{"e.go", 2, 3}, Analyzer: "ignoredirective", Message: "//conclint:ignore needs a reason"},
}

// writeTriage creates a triage file as bench/run does, appends the entries, and reads it.
func writeTriage(t *testing.T, entries string) *triage {
	t.Helper()
	file := filepath.Join(t.TempDir(), "m.triage.md")
	if err := ensureTriageFile(file, &module{Name: "m", Path: "example.com/m"}); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(entries); err != nil {
		t.Fatal(err)
	}
	f.Close()
	got, err := readTriage(file, triageFindings)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestReadTriageVerdicts(t *testing.T) {
	got := writeTriage(t, `
- [real] a.go:1:2: lockblock: send on ch may block while mu is held — the receiver returns on timeout at x.go:40, leaving the sender stuck
- [harmless] a.go:3:4: lockblock: call to f — a dash in a message — f only takes mu to serialize writes to the file, nothing else waits for it (f.go:12)
- [wrong] c.go:7:8: goroutineerr: error of Serve is lost — the error is sent on errc and read by main at main.go:88
- [harmless] d.go:9:1: goroutineerr: error of Close is lost — the process exits right after, main.go:120
      dispute: Close flushes the WAL at wal.go:300, so the loss hides a failed flush
`)
	want := map[string]*triageCounts{
		"lockblock":       {Findings: 3, Real: 1, Harmless: 1, Unread: 1},
		"goroutineerr":    {Findings: 2, Harmless: 1, Wrong: 1, Disputed: 1},
		"ignoredirective": {Findings: 1, Unread: 1},
	}
	if !reflect.DeepEqual(got.ByAnalyzer, want) {
		t.Errorf("counts = %v, want %v", got.ByAnalyzer, want)
	}
	if len(got.Stale) != 0 || len(got.Problems) != 0 {
		t.Errorf("stale = %q, problems = %q, want none", got.Stale, got.Problems)
	}
}

func TestReadTriageProblems(t *testing.T) {
	got := writeTriage(t, `
- [noise] a.go:1:2: lockblock: send on ch may block while mu is held — an old verdict word, a.go:1
- [real] a.go:3:4: lockblock: call to f — a dash in a message
- [harmless] b.go:5:6: lockblock: sleep while mu is held — looks fine
- [wrong] c.go:7:8: goroutineerr: error of Serve is lost — checked at main.go:88
- [real] c.go:7:8: goroutineerr: error of Serve is lost — again, main.go:88
- [real] z.go:9:9: lockblock: gone — fixed upstream at z.go:9
  dispute: under a stale entry, z.go:9

      dispute: under nothing, a.go:1
- [harmless] d.go:9:1: goroutineerr: error of Close is lost — the process exits right after, main.go:120
      dispute: no file named here
    - [real] e.go:2:3: ignoredirective: //conclint:ignore needs a reason — indented, so ignored, e.go:2
`)
	want := map[string]*triageCounts{
		"lockblock":       {Findings: 3, Unread: 3},
		"goroutineerr":    {Findings: 2, Harmless: 1, Wrong: 1},
		"ignoredirective": {Findings: 1, Unread: 1},
	}
	if !reflect.DeepEqual(got.ByAnalyzer, want) {
		t.Errorf("counts = %v, want %v", got.ByAnalyzer, want)
	}
	if len(got.Stale) != 1 || !strings.HasSuffix(got.Stale[0], "z.go:9:9: lockblock: gone") {
		t.Errorf("stale = %q, want the z.go entry", got.Stale)
	}
	wantProblems := []string{
		"unknown verdict [noise]",
		"[real] without evidence",
		"[harmless] with evidence that names no file:line",
		"second entry for c.go:7:8",
		"a dispute must be right under the entry",
		"a dispute must be right under the entry",
		"a dispute needs evidence with file:line",
	}
	if len(got.Problems) != len(wantProblems) {
		t.Fatalf("problems = %q, want %d", got.Problems, len(wantProblems))
	}
	for i, w := range wantProblems {
		if !strings.Contains(got.Problems[i], w) {
			t.Errorf("problem %d = %q, want it to say %q", i, got.Problems[i], w)
		}
	}
}

func TestEnsureTriageFileKeepsExisting(t *testing.T) {
	file := filepath.Join(t.TempDir(), "m.triage.md")
	m := &module{Name: "m", Path: "example.com/m"}
	if err := ensureTriageFile(file, m); err != nil {
		t.Fatal(err)
	}
	// The header's own examples are indented: they are not entries.
	got, err := readTriage(file, triageFindings)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Stale)+len(got.Problems) != 0 || got.ByAnalyzer["lockblock"].Unread != 3 {
		t.Errorf("a new triage file: stale %q, problems %q, counts %v", got.Stale, got.Problems, got.ByAnalyzer)
	}
	if err := os.WriteFile(file, []byte("a reviewer's work\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := ensureTriageFile(file, m); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(file); string(after) != "a reviewer's work\n" {
		t.Error("ensureTriageFile rewrote an existing triage file")
	}
}
