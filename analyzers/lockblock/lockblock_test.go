package lockblock_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/conclint/conclint/analyzers/lockblock"
)

func Test(t *testing.T) {
	dir, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("default", func(t *testing.T) {
		analysistest.Run(t, dir, lockblock.Analyzer, "lockblock/defaults")
	})
	t.Run("roles", func(t *testing.T) {
		setFlag(t, "io", "true")
		setFlag(t, "wait", "true")
		analysistest.Run(t, dir, lockblock.Analyzer, "lockblock/roles")
	})
	t.Run("serializing", func(t *testing.T) {
		setFlag(t, "serializing", "true")
		setFlag(t, "io", "true")
		setFlag(t, "wait", "true")
		analysistest.Run(t, dir, lockblock.Analyzer, "lockblock/serializing")
	})
	t.Run("all kinds", func(t *testing.T) {
		setFlag(t, "io", "true")
		setFlag(t, "wait", "true")
		setFlag(t, "channel", "true")
		setFlag(t, "calls", "true")
		analysistest.Run(t, dir, lockblock.Analyzer, "lockblock/a")
	})
	t.Run("flags", func(t *testing.T) {
		setFlag(t, "buffered", "true")
		setFlag(t, "channel", "true")
		setFlag(t, "sleep", "false")
		analysistest.Run(t, dir, lockblock.Analyzer, "lockblock/buffered")
	})
}

// setFlag sets one of the analyzer's flags for the test and restores it afterwards.
func setFlag(t *testing.T, name, value string) {
	f := lockblock.Analyzer.Flags.Lookup(name)
	old := f.Value.String()
	if err := f.Value.Set(value); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Value.Set(old) })
}
