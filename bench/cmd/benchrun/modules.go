package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// A module is one line of corpus.txt, resolved against the build list.
type module struct {
	Name     string   // short name: findings/<Name>.txt, -modules=<Name>
	Path     string   // module path, or "std"
	Patterns []string // package patterns
	Exclude  []string // packages left out of the patterns: an import path, or a path ending in "/..."
	Version  string   // version selected by go.mod, or the Go version for std
	Dir      string   // root directory of the module's source: findings are relative to it
}

func (m *module) isStd() bool { return m.Path == "std" }

// readCorpus parses corpus.txt: "<name> <module path> [<pattern> ...] [-<package pattern> ...]" per line,
// # comments. A pattern that starts with "-" leaves out the packages it matches.
func readCorpus(file string) ([]*module, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var mods []*module
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		switch {
		case len(fields) == 0:
			continue
		case len(fields) == 1:
			return nil, fmt.Errorf("%s:%d: want \"<name> <module path> [<pattern> ...]\"", file, n)
		case slices.ContainsFunc(mods, func(m *module) bool { return m.Name == fields[0] }):
			return nil, fmt.Errorf("%s:%d: duplicate name %s", file, n, fields[0])
		}
		m := &module{Name: fields[0], Path: fields[1]}
		for _, f := range fields[2:] {
			if ex, ok := strings.CutPrefix(f, "-"); ok {
				m.Exclude = append(m.Exclude, ex)
			} else {
				m.Patterns = append(m.Patterns, f)
			}
		}
		if len(m.Patterns) == 0 {
			m.Patterns = []string{m.Path + "/..."}
			if m.isStd() {
				m.Patterns = []string{"std"}
			}
		}
		mods = append(mods, m)
	}
	return mods, sc.Err()
}

// selectModules returns the modules named in the comma-separated list, or all of them if it is empty.
func selectModules(mods []*module, list string) ([]*module, error) {
	if list == "" {
		return mods, nil
	}
	var sel []*module
	for name := range strings.SplitSeq(list, ",") {
		i := slices.IndexFunc(mods, func(m *module) bool { return m.Name == name })
		if i < 0 {
			return nil, fmt.Errorf("-modules: no module named %q in corpus.txt", name)
		}
		sel = append(sel, mods[i])
	}
	return sel, nil
}

// resolveVersions fills in Version and Dir from the build list (go list -m) and the go command's GOROOT. A
// corpus module missing from go.mod is an error that says to run -sync.
func resolveVersions(mods []*module, env *goEnv) error {
	args := []string{"list", "-m", "-e", "-json"}
	for _, m := range mods {
		if m.isStd() {
			m.Version, m.Dir = env.GOVERSION, filepath.Join(env.GOROOT, "src")
			continue
		}
		args = append(args, m.Path)
	}
	if len(args) == 4 {
		return nil // std only
	}
	out, err := goOutput(args...)
	if err != nil {
		return err
	}
	type listed struct {
		Path, Version, Dir string
		Error              *struct{ Err string }
	}
	all, err := decodeStream[listed](strings.NewReader(out))
	if err != nil {
		return fmt.Errorf("go list -m: %v", err)
	}
	byPath := map[string]listed{}
	for _, l := range all {
		byPath[l.Path] = l
	}
	for _, m := range mods {
		if m.isStd() {
			continue
		}
		l, ok := byPath[m.Path]
		if !ok || l.Error != nil || l.Version == "" || l.Dir == "" {
			return fmt.Errorf("corpus module %s is not in go.mod or not downloaded: run ./run -sync", m.Path)
		}
		m.Version, m.Dir = l.Version, l.Dir
	}
	return nil
}

// A listedPackage is one entry of "go list -e -test -json".
type listedPackage struct {
	ImportPath string
	ForTest    string
	Name       string
	Error      *struct{ Err string }
	DepsErrors []*struct{ Err string }
	Module     *struct{ Path string }
}

// An exclusion is a package of the corpus left out of the run because it, or its test, does not load.
type exclusion struct {
	Package string `json:"package"`
	Reason  string `json:"reason"`
}

// listPackages expands the module's patterns, tests included, into the packages every tool is run on. A
// package whose own files or test files do not load (a build constraint excludes every file, a test-only
// dependency that the corpus modules do not require) is left out and reported, never analyzed halfway.
func listPackages(m *module) (pkgs []string, excluded []exclusion, err error) {
	out, err := goOutput(append([]string{"list", "-e", "-test", "-json=ImportPath,ForTest,Name,Error,DepsErrors,Module"}, m.Patterns...)...)
	if err != nil {
		return nil, nil, err
	}
	listed, err := decodeStream[listedPackage](strings.NewReader(out))
	if err != nil {
		return nil, nil, fmt.Errorf("go list: %v", err)
	}
	primary := map[string]bool{} // the packages named by the patterns, without test variants and test mains
	for _, p := range listed {
		if p.ForTest == "" && !strings.Contains(p.ImportPath, " ") {
			primary[p.ImportPath] = true
		}
	}
	owner := func(p listedPackage) string { // the primary package a listed entry belongs to
		if p.ForTest != "" {
			return p.ForTest
		}
		if base, ok := strings.CutSuffix(p.ImportPath, ".test"); ok && p.Name == "main" && primary[base] {
			return base // the generated test main of base
		}
		return p.ImportPath
	}
	var left []string // another module's packages, and those that corpus.txt leaves out
	for _, p := range listed {
		if owner(p) != p.ImportPath {
			delete(primary, p.ImportPath) // a test main
		}
		if p.Module != nil && !m.owns(p.Module.Path) || m.excludes(p.ImportPath) {
			left = append(left, p.ImportPath)
		}
	}
	for _, path := range left {
		delete(primary, path)
	}
	reasons := map[string]string{}
	for _, p := range listed {
		if msg := p.loadError(); msg != "" && reasons[owner(p)] == "" {
			reasons[owner(p)] = msg
		}
	}
	for path := range primary {
		if reasons[path] != "" {
			excluded = append(excluded, exclusion{path, reasons[path]})
		} else {
			pkgs = append(pkgs, path)
		}
	}
	slices.Sort(pkgs)
	slices.SortFunc(excluded, func(a, b exclusion) int { return strings.Compare(a.Package, b.Package) })
	if len(pkgs) == 0 {
		return nil, excluded, fmt.Errorf("%s: no package of %s loads", m.Name, strings.Join(m.Patterns, " "))
	}
	return pkgs, excluded, nil
}

// excludes reports whether corpus.txt leaves the package out of the module.
func (m *module) excludes(pkg string) bool {
	for _, ex := range m.Exclude {
		if base, ok := strings.CutSuffix(ex, "/..."); ok && (pkg == base || strings.HasPrefix(pkg, base+"/")) || pkg == ex {
			return true
		}
	}
	return false
}

// owns reports whether a package the patterns match is analyzed as part of the module: all of them, but
// those of another module nested under the module's path ("golang.zx2c4.com/wireguard/..." also matches
// the packages of the module golang.zx2c4.com/wireguard/windows, which the corpus does not analyze).
func (m *module) owns(pkgModule string) bool {
	return pkgModule == m.Path || !strings.HasPrefix(pkgModule, m.Path+"/")
}

// loadError returns the first line of the package's own error or its first dependency error, or "".
func (p *listedPackage) loadError() string {
	msg := ""
	if p.Error != nil {
		msg = p.Error.Err
	} else if len(p.DepsErrors) > 0 {
		msg = p.DepsErrors[0].Err
	}
	first, _, _ := strings.Cut(msg, "\n")
	return strings.TrimSpace(first)
}

// decodeStream decodes a stream of JSON values, as go list -json and staticcheck -f json print them.
func decodeStream[T any](r io.Reader) ([]T, error) {
	var all []T
	dec := json.NewDecoder(r)
	for {
		var v T
		if err := dec.Decode(&v); err == io.EOF {
			return all, nil
		} else if err != nil {
			return nil, err
		}
		all = append(all, v)
	}
}
