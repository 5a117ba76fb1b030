// Package plugin registers conclint's own analyzers as golangci-lint module plugins, one plugin per
// analyzer and named after it, so that golangci-lint attributes each finding to its analyzer and
// //nolint:<analyzer> silences it. A custom golangci-lint binary built with this package blank-imported
// (see tools/custom-gcl and .custom-gcl.example.yml) runs them when .golangci.yml enables them:
//
//	linters:
//	  enable: [lockblock]
//	  settings:
//	    custom:
//	      lockblock:
//	        type: module
//	        settings:
//	          buffered: true
//
// The bundled upstream passes are not registered: golangci-lint runs govet and staticcheck itself.
//
// The settings of a plugin are the flags of its analyzer, under the same names: "buffered: true" in
// .golangci.yml is -lockblock.buffered=true on the command line. Each plugin works on its own copy of
// its analyzer, with its own flag values, so settings never change the analyzers of package analyzers.
//
// The copies report their diagnostics without related positions. golangci-lint would turn each related
// position ("c.mu locked here") into an issue of its own, on another line, which a //nolint on the
// finding's line does not silence. The messages stand without them, and those that need a position name
// it ("locked at cache.go:10").
package plugin

import (
	"errors"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/conclint/conclint/analyzers"
)

func init() {
	for _, a := range analyzers.Own() {
		register.Plugin(a.Name, func(settings any) (register.LinterPlugin, error) {
			return New(a, settings)
		})
	}
}

// Plugin is the golangci-lint module plugin of one analyzer.
type Plugin struct {
	analyzer *analysis.Analyzer // a copy, with flags set from the settings
}

// New returns the plugin of a configured with settings, the value of linters.settings.custom.NAME.settings
// in .golangci.yml: nil, or a mapping from flag names of a to values. Keys match flag names without
// regard to case (golangci-lint lower-cases every key); an unknown key is an error that lists the valid
// ones.
func New(a *analysis.Analyzer, settings any) (*Plugin, error) {
	c, err := copyAnalyzer(a)
	if err != nil {
		return nil, err
	}
	if settings == nil {
		return &Plugin{analyzer: c}, nil
	}
	m, ok := settings.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: settings must be a mapping of setting names to values, not %T", a.Name, settings)
	}
	byLower := make(map[string]*flag.Flag)
	c.Flags.VisitAll(func(f *flag.Flag) { byLower[strings.ToLower(f.Name)] = f })
	for _, key := range slices.Sorted(maps.Keys(m)) {
		f, ok := byLower[strings.ToLower(key)]
		if !ok {
			return nil, fmt.Errorf("%s: unknown setting %q; %s", a.Name, key, validSettings(c))
		}
		value, err := settingString(m[key])
		if err == nil {
			err = f.Value.Set(value)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: setting %s: %v", a.Name, key, err)
		}
	}
	return &Plugin{analyzer: c}, nil
}

// BuildAnalyzers returns the plugin's analyzer.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return []*analysis.Analyzer{p.analyzer}, nil
}

// GetLoadMode returns register.LoadModeTypesInfo: the analyzers need types, and facts about dependencies.
func (p *Plugin) GetLoadMode() string { return register.LoadModeTypesInfo }

// validSettings lists the settings of a for an error message.
func validSettings(a *analysis.Analyzer) string {
	var names []string
	a.Flags.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if len(names) == 0 {
		return a.Name + " has no settings"
	}
	return "valid settings: " + strings.Join(names, ", ")
}

// settingString returns a setting's value as a flag value.
func settingString(v any) (string, error) {
	switch v := v.(type) {
	case bool:
		return strconv.FormatBool(v), nil
	case string:
		return v, nil
	case int, int64, uint64, float64:
		return fmt.Sprint(v), nil
	}
	return "", fmt.Errorf("want a boolean, number or string, not %T", v)
}

// copyAnalyzer returns a copy of a with a FlagSet of its own: the same flags, at their defaults, with
// values that are not shared with a. The analyzers read their flags from pass.Analyzer, so the copy runs
// with its own values; it shares Requires, so the engines run once for all plugins. Its Run drops the
// related positions of the diagnostics (see the package documentation).
func copyAnalyzer(a *analysis.Analyzer) (*analysis.Analyzer, error) {
	c := *a
	c.Run = func(pass *analysis.Pass) (any, error) {
		report := pass.Report
		pass.Report = func(d analysis.Diagnostic) {
			d.Related = nil
			report(d)
		}
		return a.Run(pass)
	}
	c.Flags = flag.FlagSet{}
	c.Flags.Init(a.Name, flag.ContinueOnError)
	var err error
	a.Flags.VisitAll(func(f *flag.Flag) {
		v, e := newValue(f)
		if e != nil {
			err = errors.Join(err, fmt.Errorf("%s: flag %s: %v", a.Name, f.Name, e))
			return
		}
		c.Flags.Var(v, f.Name, f.Usage)
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// newValue returns a new value of f's type, set to f's default.
func newValue(f *flag.Flag) (flag.Value, error) {
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return nil, fmt.Errorf("value of type %T has no Get method", f.Value)
	}
	fs := flag.NewFlagSet("", flag.ContinueOnError)
	switch g.Get().(type) {
	case bool:
		fs.Bool("v", false, "")
	case int:
		fs.Int("v", 0, "")
	case int64:
		fs.Int64("v", 0, "")
	case uint:
		fs.Uint("v", 0, "")
	case uint64:
		fs.Uint64("v", 0, "")
	case float64:
		fs.Float64("v", 0, "")
	case string:
		fs.String("v", "", "")
	case time.Duration:
		fs.Duration("v", 0, "")
	default:
		return nil, fmt.Errorf("unsupported type %T", g.Get())
	}
	v := fs.Lookup("v").Value
	if err := v.Set(f.DefValue); err != nil {
		return nil, err
	}
	return v, nil
}
