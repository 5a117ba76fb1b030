package locksummary_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/conclint/conclint/internal/locksummary"
)

func TestFacts(t *testing.T) {
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, locksummary.Analyzer, "facts/...")
}

func TestString(t *testing.T) {
	s := &locksummary.Summary{
		Acquires: []locksummary.Acquire{{Lock: locksummary.Lock{Param: 0, Path: ".mu"}, At: "persist.go:31", Via: []string{"s.persist"}}},
		Holds:    []locksummary.Lock{{Param: 1, Path: ".state.mu", Read: true}},
		Releases: []locksummary.Lock{{Param: -1, Class: "example.com/p.mu"}},
	}
	if got, want := s.String(), "acquires(p0.mu) holds(p1.state.mu:R) releases(example.com/p.mu)"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	if got, want := s.Acquires[0].Chain("s.flush"), "s.flush → s.persist"; got != want {
		t.Errorf("Chain = %q, want %q", got, want)
	}
}
