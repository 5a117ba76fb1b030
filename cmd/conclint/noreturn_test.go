package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The CLI computes ctrlflow's noReturn facts on dependencies with internal/noreturn instead of ctrlflow
// (see internal/driver/ctrlflow.go): the control-flow graphs of the analyzed packages must still know that
// a function of a dependency never returns. lostcancel reads them: a return after a call that never
// returns is unreachable, so it does not lose the cancel function.
func TestNoReturnFacts(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, "example.com/noreturn", map[string]string{
		"dep.go": `package noreturn

import "os"

// Die never returns: it exits, through a call.
func Die() { exit(1) }

func exit(code int) { os.Exit(code) }

// Live returns.
func Live() {}
`,
	})
	if err := os.Mkdir(filepath.Join(dir, "use"), 0o755); err != nil {
		t.Fatal(err)
	}
	use := `package use

import (
	"context"

	"example.com/noreturn"
)

func dies(ctx context.Context, n int) {
	_, cancel := context.WithCancel(ctx)
	if n > 0 {
		noreturn.Die()
		return // unreachable: Die never returns
	}
	cancel()
}

func lives(ctx context.Context, n int) {
	_, cancel := context.WithCancel(ctx)
	if n > 0 {
		noreturn.Live()
		return // reachable: cancel is lost
	}
	cancel()
}
`
	if err := os.WriteFile(filepath.Join(dir, "use", "use.go"), []byte(use), 0o644); err != nil {
		t.Fatal(err)
	}
	r := command(t, dir, bin, "-json", "./...")
	if r.code != 0 {
		t.Fatalf("exit code %d, want 0\n%s", r.code, r.output())
	}
	var tree map[string]map[string][]jsonDiag
	if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
		t.Fatalf("stdout is not a JSON object of packages and analyzers: %v\n%s", err, r.stdout)
	}
	var lines []string
	for _, d := range tree["example.com/noreturn/use"]["lostcancel"] {
		lines = append(lines, d.Posn[strings.LastIndex(d.Posn, "use.go:"):])
	}
	// lostcancel reports the cancel of lives (line 19) and its return (line 22); not those of dies (lines
	// 10 and 13).
	want := []string{"use.go:19:2", "use.go:22:3"}
	if !slices.Equal(lines, want) {
		t.Errorf("lostcancel reports %q, want %q (in lives; dies calls a function that never returns)\n%s", lines, want, r.stdout)
	}
}
