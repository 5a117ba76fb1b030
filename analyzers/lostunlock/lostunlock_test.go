package lostunlock_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/conclint/conclint/analyzers/lostunlock"
)

func Test(t *testing.T) {
	dir, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("returns", func(t *testing.T) {
		f := lostunlock.Analyzer.Flags.Lookup("returns")
		if err := f.Value.Set("true"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Value.Set(f.DefValue) })
		analysistest.Run(t, dir, lostunlock.Analyzer, "lostunlock/a", "lostunlock/dep")
	})
	t.Run("default", func(t *testing.T) {
		analysistest.Run(t, dir, lostunlock.Analyzer, "lostunlock/defaults")
	})
}
