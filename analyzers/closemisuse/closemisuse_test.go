package closemisuse_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/conclint/conclint/analyzers/closemisuse"
)

func Test(t *testing.T) {
	dir, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("default", func(t *testing.T) {
		analysistest.Run(t, dir, closemisuse.Analyzer, "closemisuse/a", "closemisuse/fieldsend")
	})
	t.Run("stop", func(t *testing.T) {
		f := closemisuse.Analyzer.Flags.Lookup("stop")
		if err := f.Value.Set("true"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Value.Set(f.DefValue) })
		analysistest.Run(t, dir, closemisuse.Analyzer, "closemisuse/stop")
	})
	t.Run("tests", func(t *testing.T) {
		f := closemisuse.Analyzer.Flags.Lookup("tests")
		if err := f.Value.Set("true"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Value.Set(f.DefValue) })
		analysistest.Run(t, dir, closemisuse.Analyzer, "closemisuse/tests")
	})
}
