package main

import (
	"slices"
	"strings"
	"testing"
)

func TestParseAnalysisJSON(t *testing.T) {
	// Two trees, as go vet -json prints them, with the finding of p repeated by its test variant, and an
	// analyzer's error.
	out := `# example.com/m/p
{
	"example.com/m/p": {
		"lockblock": [{"posn": "/mod/m@v1/p/p.go:12:3", "end": "/mod/m@v1/p/p.go:12:9", "message": "send on ch may block while mu is held",
			"related": [{"posn": "/mod/m@v1/p/p.go:10:2", "message": "mu locked here"}]}]
	}
}
# example.com/m/p [example.com/m/p.test]
{
	"example.com/m/p [example.com/m/p.test]": {
		"lockblock": [{"posn": "/mod/m@v1/p/p.go:12:3", "end": "/mod/m@v1/p/p.go:12:9", "message": "send on ch may block while mu is held",
			"related": [{"posn": "/mod/m@v1/p/p.go:10:2", "message": "mu locked here"}]},
			{"posn": "/mod/m@v1/p/p_test.go:4:1", "end": "-", "message": "in a test"}],
		"ignoredirective": {"error": "boom"}
	}
}
`
	got, err := parseAnalysisJSON([]byte(out), relativizer("/mod/m@v1", "/goroot", "/mod"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, f := range got.Findings {
		lines = append(lines, f.snapshot())
	}
	want := []string{
		"p/p.go:12:3: lockblock: send on ch may block while mu is held\n\tp/p.go:10:2: mu locked here",
		"p/p_test.go:4:1: lockblock: in a test",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if wantErr := "example.com/m/p [example.com/m/p.test]: ignoredirective: boom"; !slices.Equal(got.Errors, []string{wantErr}) {
		t.Errorf("errors = %q, want %q", got.Errors, wantErr)
	}
}

func TestParsePosn(t *testing.T) {
	rel := relativizer("/gomod/m@v1", "/goroot", "/gomod")
	for posn, want := range map[string]position{
		"/gomod/m@v1/a/b.go:3:4":      {"a/b.go", 3, 4},
		"/gomod/other@v2/c.go:5:6":    {"$GOMODCACHE/other@v2/c.go", 5, 6},
		"/goroot/src/sync/mutex.go:7": {"$GOROOT/src/sync/mutex.go", 7, 0},
		"/elsewhere/x.go:1:2":         {"/elsewhere/x.go", 1, 2},
		"-":                           {"-", 0, 0},
	} {
		if got := parsePosn(posn, rel); got != want {
			t.Errorf("parsePosn(%q) = %+v, want %+v", posn, got, want)
		}
	}
}

func TestCompareRuns(t *testing.T) {
	a := `{"p": {"x": [{"posn": "a.go:1:1", "message": "m"}]}, "q": {"x": []}}`
	b := `{"p": {"x": [{"posn": "a.go:1:1", "message": "n"}]}, "q": {"x": []}}`
	if diffs := compareRuns([]byte(a), []byte(a)); diffs != nil {
		t.Errorf("identical runs: %q", diffs)
	}
	if diffs, want := compareRuns([]byte(a), []byte(b)), []string{"p: x: output differs between two runs"}; !slices.Equal(diffs, want) {
		t.Errorf("different runs: %q, want %q", diffs, want)
	}
}
