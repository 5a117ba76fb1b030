package sharedcounter_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/conclint/conclint/analyzers/sharedcounter"
)

func Test(t *testing.T) {
	dir, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("default", func(t *testing.T) {
		analysistest.Run(t, dir, sharedcounter.Analyzer, "sharedcounter/a")
	})
	t.Run("fields", func(t *testing.T) {
		f := sharedcounter.Analyzer.Flags.Lookup("fields")
		if err := f.Value.Set("true"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Value.Set(f.DefValue) })
		analysistest.Run(t, dir, sharedcounter.Analyzer, "sharedcounter/fields")
	})
	t.Run("guarded", func(t *testing.T) {
		f := sharedcounter.Analyzer.Flags.Lookup("guarded")
		if err := f.Value.Set("true"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Value.Set(f.DefValue) })
		analysistest.Run(t, dir, sharedcounter.Analyzer, "sharedcounter/guarded")
	})
}
