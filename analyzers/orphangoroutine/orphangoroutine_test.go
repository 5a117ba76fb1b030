package orphangoroutine_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/conclint/conclint/analyzers/orphangoroutine"
)

func Test(t *testing.T) {
	dir, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("default", func(t *testing.T) {
		analysistest.Run(t, dir, orphangoroutine.Analyzer, "orphangoroutine/a", "orphangoroutine/cmd", "orphangoroutine/server")
	})
	t.Run("ctx", func(t *testing.T) {
		f := orphangoroutine.Analyzer.Flags.Lookup("ctx")
		if err := f.Value.Set("true"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Value.Set(f.DefValue) })
		analysistest.Run(t, dir, orphangoroutine.Analyzer, "orphangoroutine/ctx")
	})
}
