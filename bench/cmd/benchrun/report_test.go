package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPrecision(t *testing.T) {
	for _, tc := range []struct {
		c    triageCounts
		want string
	}{
		{triageCounts{Findings: 4, Unread: 4}, "–"},
		{triageCounts{Findings: 4, Real: 1, Harmless: 2, Wrong: 1}, "25%"},
		{triageCounts{Findings: 5, Real: 2, Unread: 3}, "100%"},
		{triageCounts{Findings: 3, Harmless: 1, Wrong: 2}, "0%"},
	} {
		if got := precision(&tc.c); got != tc.want {
			t.Errorf("precision(%+v) = %q, want %q", tc.c, got, tc.want)
		}
	}
}

func TestPrecisionTable(t *testing.T) {
	rep := &report{
		Analyzers: []string{"lockblock", "chanleak"},
		Modules:   []*moduleReport{{Name: "a"}, {Name: "b"}},
		Triage: map[string]*triageCounts{
			"lockblock": {Findings: 5, Real: 1, Harmless: 2, Wrong: 1, Unread: 1, Disputed: 1},
			"gone":      {Findings: 1, Unread: 1},
		},
	}
	got := rep.precisionTable()
	for _, want := range []string{
		"| lockblock | 5 | 1 | 2 | 1 | 1 | 25% |\n",
		"| chanleak | 0 | 0 | 0 | 0 | 0 | – |\n",
		"| gone | 1 | 0 | 0 | 0 | 1 | – |\n",
		"| **total** | 6 | 1 | 2 | 1 | 2 | 25% |\n",
		"dispute 1 of those verdicts",
		"2 modules",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("precision table lacks %q:\n%s", want, got)
		}
	}
}

func TestUpdateReadme(t *testing.T) {
	file := filepath.Join(t.TempDir(), "README.md")
	os.WriteFile(file, []byte("# x\n\nbefore\n"+readmeBegin+"\nold table\n"+readmeEnd+"\nafter\n"), 0o666)
	if err := updateReadme(file, "new table\n"); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(file)
	if want := "# x\n\nbefore\n" + readmeBegin + "\nnew table\n" + readmeEnd + "\nafter\n"; string(got) != want {
		t.Errorf("README = %q, want %q", got, want)
	}
	os.WriteFile(file, []byte("no markers\n"), 0o666)
	if err := updateReadme(file, "new table\n"); err == nil {
		t.Error("a README without the markers: no error")
	}
	// The project's README has the block.
	data, err := os.ReadFile(filepath.Join("..", "..", readmeFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), readmeBegin) || !strings.Contains(string(data), readmeEnd) {
		t.Errorf("%s has no precision block for bench/run to write", readmeFile)
	}
}
