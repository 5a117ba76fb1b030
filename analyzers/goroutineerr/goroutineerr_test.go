package goroutineerr_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/conclint/conclint/analyzers/goroutineerr"
)

func Test(t *testing.T) {
	dir, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("default", func(t *testing.T) {
		analysistest.RunWithSuggestedFixes(t, dir, goroutineerr.Analyzer, "goroutineerr/defaults")
	})
	t.Run("gostmt", func(t *testing.T) {
		setFlag(t, "gostmt", "true")
		analysistest.RunWithSuggestedFixes(t, dir, goroutineerr.Analyzer, "goroutineerr/a")
	})
	t.Run("flags", func(t *testing.T) {
		for _, name := range []string{"calls", "blank", "tests", "logged", "serve", "gostmt"} {
			setFlag(t, name, "true")
		}
		analysistest.RunWithSuggestedFixes(t, dir, goroutineerr.Analyzer, "goroutineerr/flags")
	})
}

// setFlag sets one of the analyzer's flags for the test and restores it afterwards.
func setFlag(t *testing.T, name, value string) {
	f := goroutineerr.Analyzer.Flags.Lookup(name)
	old := f.Value.String()
	if err := f.Value.Set(value); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Value.Set(old) })
}
