package blocking_test

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/conclint/conclint/internal/blocking"
)

func TestFacts(t *testing.T) {
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, blocking.Analyzer, "facts/...")
}

func TestChain(t *testing.T) {
	mb := &blocking.MayBlock{Kind: "io", Op: "net.Conn.Write", Via: []string{"w.Write"}}
	if got, want := mb.Chain("s.flush"), "s.flush → w.Write → net.Conn.Write"; got != want {
		t.Errorf("Chain = %q, want %q", got, want)
	}
	if got := mb.String(); !strings.HasPrefix(got, "mayBlock(") {
		t.Errorf("String = %q", got)
	}
}
