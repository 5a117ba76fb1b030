package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADME runs the README's first command and compares what it prints with the output the README shows,
// so that the README cannot drift from what conclint reports on the example.
func TestREADME(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	const example = "testdata/example/" // the output's file names are relative to the clone
	var want []string
	for _, line := range strings.Split(string(readme), "\n") {
		line = strings.TrimPrefix(line, "   ")
		if strings.HasPrefix(line, example) {
			want = append(want, line)
		}
	}
	if len(want) == 0 {
		t.Fatal("README.md shows no output of conclint on the example")
	}
	r := command(t, root, bin, "./testdata/example/...")
	got := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("README.md shows:\n%s\n\nconclint prints:\n%s", strings.Join(want, "\n"), strings.Join(got, "\n"))
	}
	if r.code != 3 {
		t.Errorf("exit code %d, want 3", r.code)
	}
}
