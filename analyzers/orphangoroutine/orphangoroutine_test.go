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
		analysistest.Run(t, dir, orphangoroutine.Analyzer, "orphangoroutine/a", "orphangoroutine/dep", "orphangoroutine/cmd", "orphangoroutine/daemon", "orphangoroutine/blocks", "orphangoroutine/serve", "orphangoroutine/exits", "orphangoroutine/debugsrv", "orphangoroutine/joined", "orphangoroutine/server", "orphangoroutine/fatal", "orphangoroutine/watchdog", "orphangoroutine/sighandler", "orphangoroutine/zerolog")
	})
	t.Run("ctx", func(t *testing.T) {
		setFlag(t, "ctx")
		analysistest.Run(t, dir, orphangoroutine.Analyzer, "orphangoroutine/ctx")
	})
	t.Run("callers", func(t *testing.T) {
		setFlag(t, "callers")
		analysistest.Run(t, dir, orphangoroutine.Analyzer, "orphangoroutine/callers")
	})
	t.Run("tests", func(t *testing.T) {
		setFlag(t, "tests")
		analysistest.Run(t, dir, orphangoroutine.Analyzer, "orphangoroutine/tests")
	})
}

// setFlag switches a flag of the analyzer on for the test.
func setFlag(t *testing.T, name string) {
	f := orphangoroutine.Analyzer.Flags.Lookup(name)
	if err := f.Value.Set("true"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Value.Set(f.DefValue) })
}
