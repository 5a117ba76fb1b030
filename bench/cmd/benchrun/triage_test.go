package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestReadTriage(t *testing.T) {
	findings := []*finding{
		{Pos: position{"a.go", 1, 2}, Analyzer: "lockblock", Message: "send on ch may block while mu is held"},
		{Pos: position{"a.go", 3, 4}, Analyzer: "lockblock", Message: "call to f — a dash in a message"},
		{Pos: position{"b.go", 5, 6}, Analyzer: "lockblock", Message: "sleep while mu is held"},
		{Pos: position{"c.go", 7, 8}, Analyzer: "ignoredirective", Message: "//conclint:ignore needs a reason"},
	}
	m := &module{Name: "m", Path: "example.com/m"}
	file := filepath.Join(t.TempDir(), "m.triage.md")
	if err := ensureTriageFile(file, m); err != nil {
		t.Fatal(err)
	}
	entries := `
- [real] a.go:1:2: lockblock: send on ch may block while mu is held — the receiver can exit first
- [noise] a.go:3:4: lockblock: call to f — a dash in a message — f never blocks: ch is buffered
- [noise] b.go:5:6: lockblock: sleep while mu is held
- [undecided] b.go:5:6: lockblock: sleep while mu is held — again
- [real] z.go:9:9: lockblock: gone — fixed upstream
  - [real] c.go:7:8: ignoredirective: //conclint:ignore needs a reason — not at the start of a line
`
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(entries)
	f.Close()

	got, err := readTriage(file, findings)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*triageCounts{
		"lockblock":       {Findings: 3, Real: 1, Noise: 2},
		"ignoredirective": {Findings: 1, Unread: 1},
	}
	if !reflect.DeepEqual(got.ByAnalyzer, want) {
		t.Errorf("counts = %v, want %v", got.ByAnalyzer, want)
	}
	if len(got.Stale) != 1 || !strings.HasSuffix(got.Stale[0], "z.go:9:9: lockblock: gone") {
		t.Errorf("stale = %q, want the z.go entry", got.Stale)
	}
	if len(got.Problems) != 2 || !strings.Contains(got.Problems[0], "noise without a reason") || !strings.Contains(got.Problems[1], "second entry") {
		t.Errorf("problems = %q, want a noise without reason and a second entry", got.Problems)
	}

	// The file is a person's: creating it again leaves it alone.
	before, _ := os.ReadFile(file)
	if err := ensureTriageFile(file, m); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(file); string(after) != string(before) {
		t.Error("ensureTriageFile rewrote an existing triage file")
	}
}
