package plugin_test

import (
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/conclint/conclint/analyzers"
	"github.com/conclint/conclint/analyzers/lockblock"
	_ "github.com/conclint/conclint/plugin" // registers the plugins
)

// build returns the analyzer of name's registered plugin configured with settings, as golangci-lint
// builds it.
func build(t *testing.T, name string, settings any) (*analysis.Analyzer, error) {
	t.Helper()
	newPlugin, err := register.GetPlugin(name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(settings)
	if err != nil {
		return nil, err
	}
	if got := p.GetLoadMode(); got != register.LoadModeTypesInfo {
		t.Errorf("%s: load mode %q, want %q", name, got, register.LoadModeTypesInfo)
	}
	list, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("%s: BuildAnalyzers returned %d analyzers, want 1 (one plugin per analyzer)", name, len(list))
	}
	return list[0], nil
}

// flagValues returns the values of a's flags by name.
func flagValues(a *analysis.Analyzer) map[string]string {
	m := make(map[string]string)
	a.Flags.VisitAll(func(f *flag.Flag) { m[f.Name] = f.Value.String() })
	return m
}

// Each of conclint's own analyzers is a plugin of its own name whose analyzer is a copy of it, with the
// same flags at their defaults; the bundled passes are not plugins (golangci-lint has govet and
// staticcheck).
func TestRegistered(t *testing.T) {
	for _, a := range analyzers.Own() {
		c, err := build(t, a.Name, nil)
		if err != nil {
			t.Fatalf("%s: %v", a.Name, err)
		}
		if c == a {
			t.Errorf("%s: the plugin returns the analyzer of package analyzers, not a copy", a.Name)
		}
		if c.Name != a.Name || c.Doc != a.Doc || c.URL != a.URL || len(c.Requires) != len(a.Requires) {
			t.Errorf("%s: the copy differs from the analyzer: %q %q", a.Name, c.Name, c.URL)
		}
		a.Flags.VisitAll(func(f *flag.Flag) {
			cf := c.Flags.Lookup(f.Name)
			switch {
			case cf == nil:
				t.Errorf("%s: the copy has no flag %s", a.Name, f.Name)
			case cf.Value.String() != f.DefValue || cf.DefValue != f.DefValue || cf.Usage != f.Usage:
				t.Errorf("%s: flag %s of the copy is %s (default %s), want the default %s", a.Name, f.Name, cf.Value, cf.DefValue, f.DefValue)
			case cf.Value == f.Value:
				t.Errorf("%s: flag %s of the copy shares its value with the analyzer", a.Name, f.Name)
			}
		})
		if err := analysis.Validate([]*analysis.Analyzer{c}); err != nil {
			t.Errorf("%s: %v", a.Name, err)
		}
	}
	for _, a := range analyzers.Bundled() {
		if _, err := register.GetPlugin(a.Name); err == nil {
			t.Errorf("bundled pass %s is registered as a plugin", a.Name)
		}
	}
}

// Settings set the copy's flags, whatever the case of the keys, and leave the analyzer of package
// analyzers alone.
func TestSettings(t *testing.T) {
	before := flagValues(lockblock.Analyzer)
	c, err := build(t, "lockblock", map[string]any{"buffered": true, "IO": false, "Sleep": "false"})
	if err != nil {
		t.Fatal(err)
	}
	got := flagValues(c)
	for name, want := range map[string]string{"buffered": "true", "io": "false", "sleep": "false", "calls": "false"} {
		if got[name] != want {
			t.Errorf("flag %s = %s, want %s", name, got[name], want)
		}
	}
	after := flagValues(lockblock.Analyzer)
	for name, v := range before {
		if after[name] != v {
			t.Errorf("settings changed lockblock.Analyzer's flag %s from %s to %s", name, v, after[name])
		}
	}
	// A second plugin instance starts from the defaults again.
	c2, err := build(t, "lockblock", nil)
	if err != nil {
		t.Fatal(err)
	}
	if v := flagValues(c2)["buffered"]; v != "false" {
		t.Errorf("a new plugin has buffered=%s, want the default false", v)
	}
}

// Bad settings are errors that name the analyzer and say what is valid.
func TestBadSettings(t *testing.T) {
	for _, tc := range []struct {
		name     string
		settings any
		want     string
	}{
		{"lockblock", map[string]any{"bufferd": true}, `lockblock: unknown setting "bufferd"; valid settings: buffered, calls, channel, io, serializing, sleep, tests, wait`},
		{"ignoredirective", map[string]any{"tests": true}, `ignoredirective: unknown setting "tests"; ignoredirective has no settings`},
		{"lockblock", map[string]any{"io": "maybe"}, `lockblock: setting io: parse error`},
		{"lockblock", map[string]any{"io": []any{true}}, `lockblock: setting io: want a boolean, number or string, not []interface {}`},
		{"lockblock", []any{"io"}, `lockblock: settings must be a mapping`},
	} {
		_, err := build(t, tc.name, tc.settings)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("settings %v: error %v, want %q", tc.settings, err, tc.want)
		}
	}
}

// The copy reads its own flags when it runs: with "sleep: false", lockblock's plugin reports the send
// under the lock in testdata/src/settings but not the sleep. It reports without related positions,
// which golangci-lint would turn into issues of their own.
func TestSettingsReachTheAnalyzer(t *testing.T) {
	c, err := build(t, "lockblock", map[string]any{"sleep": false, "channel": true})
	if err != nil {
		t.Fatal(err)
	}
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range analysistest.Run(t, dir, c, "settings") {
		for _, d := range r.Action.Diagnostics {
			if len(d.Related) > 0 {
				t.Errorf("%s: diagnostic %q has related positions", r.Action, d.Message)
			}
		}
	}
}
