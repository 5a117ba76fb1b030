package lockorder_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/conclint/conclint/analyzers/lockorder"
)

func Test(t *testing.T) {
	dir, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("default", func(t *testing.T) {
		analysistest.Run(t, dir, lockorder.Analyzer, "lockorder/defaults")
	})
	t.Run("cycles", func(t *testing.T) {
		f := lockorder.Analyzer.Flags.Lookup("cycles")
		if err := f.Value.Set("true"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Value.Set(f.DefValue) })
		analysistest.Run(t, dir, lockorder.Analyzer, "lockorder/a", "lockorder/dep")
	})
}
