package chanleak_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/conclint/conclint/analyzers/chanleak"
)

func Test(t *testing.T) {
	dir, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("default", func(t *testing.T) {
		analysistest.RunWithSuggestedFixes(t, dir, chanleak.Analyzer, "chanleak/defaults", "chanleak/fields", "chanleak/integrationtests/proxy", "chanleak/cmd", "chanleak/fatal")
	})
	t.Run("buffered", func(t *testing.T) {
		f := chanleak.Analyzer.Flags.Lookup("buffered")
		if err := f.Value.Set("true"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Value.Set(f.DefValue) })
		analysistest.RunWithSuggestedFixes(t, dir, chanleak.Analyzer, "chanleak/a")
	})
	t.Run("tests", func(t *testing.T) {
		f := chanleak.Analyzer.Flags.Lookup("tests")
		if err := f.Value.Set("true"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Value.Set(f.DefValue) })
		analysistest.RunWithSuggestedFixes(t, dir, chanleak.Analyzer, "chanleak/tests")
	})
}
