package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestReadCorpus(t *testing.T) {
	file := filepath.Join(t.TempDir(), "corpus.txt")
	os.WriteFile(file, []byte("# comment\nstd std\n\nants github.com/panjf2000/ants/v2 # trailing comment\nnet golang.org/x/net golang.org/x/net/http2 golang.org/x/net/context\n"+
		"nats github.com/nats-io/nats.go -github.com/nats-io/nats.go/test/... -github.com/nats-io/nats.go/bench\n"), 0o666)
	mods, err := readCorpus(file)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range mods {
		got = append(got, m.Name+" "+m.Path+" "+strings.Join(m.Patterns, ","))
	}
	want := []string{"std std std", "ants github.com/panjf2000/ants/v2 github.com/panjf2000/ants/v2/...",
		"net golang.org/x/net golang.org/x/net/http2,golang.org/x/net/context", "nats github.com/nats-io/nats.go github.com/nats-io/nats.go/..."}
	if !slices.Equal(got, want) {
		t.Errorf("readCorpus = %q, want %q", got, want)
	}
	nats := mods[3]
	for pkg, want := range map[string]bool{
		"github.com/nats-io/nats.go/test":        true,
		"github.com/nats-io/nats.go/test/helper": true,
		"github.com/nats-io/nats.go/bench":       true,
		"github.com/nats-io/nats.go/benchmark":   false,
		"github.com/nats-io/nats.go/testing":     false,
		"github.com/nats-io/nats.go":             false,
	} {
		if got := nats.excludes(pkg); got != want {
			t.Errorf("nats.excludes(%s) = %v, want %v", pkg, got, want)
		}
	}
	sel, err := selectModules(mods, "net,std")
	if err != nil || len(sel) != 2 || sel[0].Name != "net" || sel[1].Name != "std" {
		t.Errorf("selectModules(net,std) = %v, %v", sel, err)
	}
	if _, err := selectModules(mods, "nope"); err == nil {
		t.Error("selectModules(nope): no error")
	}
}

func TestListPackages(t *testing.T) {
	const dir = "github.com/conclint/conclint/bench/cmd/benchrun/testdata/listing/"
	pkgs, excluded, err := listPackages(&module{Name: "listing", Path: "github.com/conclint/conclint/bench", Patterns: []string{"./testdata/listing/..."}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{dir + "ok"}; !slices.Equal(pkgs, want) {
		t.Errorf("packages = %q, want %q", pkgs, want)
	}
	if len(excluded) != 1 || excluded[0].Package != dir+"badtest" || !strings.Contains(excluded[0].Reason, "example.invalid/missing") {
		t.Errorf("excluded = %q, want badtest, for its test's import", excluded)
	}
	// A package that corpus.txt leaves out is neither analyzed nor listed as not loading.
	pkgs, excluded, err = listPackages(&module{Name: "listing", Path: "github.com/conclint/conclint/bench",
		Patterns: []string{"./testdata/listing/..."}, Exclude: []string{dir + "badtest"}})
	if err != nil || !slices.Equal(pkgs, []string{dir + "ok"}) || len(excluded) != 0 {
		t.Errorf("with badtest left out: packages = %q, excluded = %q, %v; want ok only", pkgs, excluded, err)
	}
}

// A pattern may match packages of another module nested under the module's path
// (golang.zx2c4.com/wireguard/... matches golang.zx2c4.com/wireguard/windows/...): only the module's own
// packages are analyzed.
func TestListPackagesOwnModuleOnly(t *testing.T) {
	// The packages of testdata/listing belong to github.com/conclint/conclint/bench, a module nested under
	// github.com/conclint/conclint.
	_, _, err := listPackages(&module{Name: "parent", Path: "github.com/conclint/conclint", Patterns: []string{"./testdata/listing/..."}})
	if err == nil || !strings.Contains(err.Error(), "no package") {
		t.Errorf("listPackages of packages that belong to a nested module: err = %v, want no package", err)
	}
	// A slice of packages of several modules, as -robust lists, is not a module: nothing is left out.
	pkgs, _, err := listPackages(&module{Name: "slice", Path: "a slice", Patterns: []string{"./testdata/listing/...", "sync"}})
	if err != nil || len(pkgs) != 2 {
		t.Errorf("listPackages of a slice = %q, %v, want ok and sync", pkgs, err)
	}
}

func TestSelectTools(t *testing.T) {
	only, err := selectTools("staticcheck,cli-cold,cli-warm")
	if err != nil || len(only) != 3 || !only[keyCLIWarm] || only[keyOwn] {
		t.Errorf("selectTools(staticcheck,cli-cold,cli-warm) = %v, %v", only, err)
	}
	if only, err := selectTools(""); only != nil || err != nil {
		t.Errorf(`selectTools("") = %v, %v; want all tools`, only, err)
	}
	for _, bad := range []string{"staticheck", "cli-warm", "vet,"} {
		if _, err := selectTools(bad); err == nil {
			t.Errorf("selectTools(%q): no error", bad)
		}
	}
}
