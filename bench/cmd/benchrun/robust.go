package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"slices"
	"strings"
	"time"
)

// robust is -robust, the slice CI runs: cmd/conclint (own and bundled analyzers) on a few packages must not
// crash, must print the same output twice, must report the same findings under go vet -vettool, and must
// fail clearly on a package that does not type-check. It prints one line per check.
func robust(opts options) error {
	start := time.Now()
	env, err := readGoEnv()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "benchrun")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin, err := buildBinaries(tmp, true, false)
	if err != nil {
		return err
	}
	slice := &module{Name: "robust", Path: "the -robust-pkgs slice", Patterns: strings.Split(opts.robustPkgs, ",")}
	pkgs, excluded, err := listPackages(slice)
	if err != nil {
		return err
	}
	if len(excluded) > 0 {
		return fmt.Errorf("%s does not load: %s", excluded[0].Package, excluded[0].Reason)
	}
	rel := relativizer("", env.GOROOT, env.GOMODCACHE)
	// -replay=false: the second run analyzes (its packages from the result cache) rather than printing the
	// first run's output again, which would make "the same output on two runs" hold by construction.
	conclint := func(m *module, pkgs []string) invocation {
		inv := driverInvocation(bin.conclint)(m, pkgs)
		inv.argv = slices.Insert(inv.argv, 1, "-replay=false")
		return inv
	}
	checks := []*check{
		{name: "no crash and no analyzer error"},
		{name: "the same output on two runs"},
		{name: "the same findings under go vet -vettool"},
		{name: "a clear error on a package that does not type-check"},
	}
	crash, twice, vettool, typeErr := checks[0], checks[1], checks[2], checks[3]
	var outputs []*toolOutput
	var stdouts [][]byte
	for i := range 2 {
		log.Printf("conclint on %d packages (run %d of 2)", len(pkgs), i+1)
		r, err := run(conclint(slice, pkgs))
		if err != nil {
			return err
		}
		out, err := readDriver(r, rel)
		if err != nil {
			return err
		}
		crash.failures = append(crash.failures, out.Failures...)
		if isCrash(out) {
			crash.failures = append(crash.failures, isolateCrash(conclint, slice, pkgs))
			break
		}
		outputs, stdouts = append(outputs, out), append(stdouts, r.Stdout)
	}
	if len(stdouts) == 2 {
		twice.failures = compareRuns(stdouts[0], stdouts[1])
		log.Printf("go vet -vettool=conclint on %d packages", len(pkgs))
		if vettool.failures, err = checkVettool(bin.conclint, pkgs, outputs[0].Analysis.Findings, rel); err != nil {
			return err
		}
	} else {
		twice.failures = []string{"not run: conclint crashed"}
		vettool.failures = twice.failures
	}
	log.Printf("the type-error fixture")
	typeErr.failures = checkTypeError(bin.conclint)

	findings := "?"
	if len(outputs) > 0 {
		findings = fmt.Sprint(outputs[0].Count)
	}
	fmt.Printf("conclint on %d packages (%s, tests included): %s findings, checked in %s\n",
		len(pkgs), opts.robustPkgs, findings, time.Since(start).Round(time.Second))
	failed := 0
	for _, c := range checks {
		if len(c.failures) == 0 {
			fmt.Printf("ok    %s\n", c.name)
			continue
		}
		failed++
		fmt.Printf("FAIL  %s\n", c.name)
		for _, f := range c.failures {
			fmt.Printf("      %s\n", strings.ReplaceAll(f, "\n", "\n      "))
		}
	}
	fmt.Printf("robustness: %d passed, %d failed\n", len(checks)-failed, failed)
	if failed > 0 {
		return fmt.Errorf("%d robustness checks failed", failed)
	}
	return nil
}

// A check is one of the robustness properties, and how it failed.
type check struct {
	name     string
	failures []string
}

// isCrash reports whether the run crashed, as opposed to reporting an analyzer's error.
func isCrash(out *toolOutput) bool {
	return out.Analysis == nil && slices.ContainsFunc(out.Failures, func(f string) bool { return strings.HasPrefix(f, "crashed") })
}

// isolateCrash names a package that the driver crashes on: it halves the packages while one half alone
// still crashes. The crash itself is already reported; this says where.
func isolateCrash(invoke func(*module, []string) invocation, m *module, pkgs []string) string {
	crashes := func(pkgs []string) bool {
		r, err := run(invoke(m, pkgs))
		return err == nil && failure(r, false) != ""
	}
	log.Printf("%s: isolating the package that crashes", m.Name)
	for len(pkgs) > 1 {
		half, rest := pkgs[:len(pkgs)/2], pkgs[len(pkgs)/2:]
		switch {
		case crashes(half):
			pkgs = half
		case crashes(rest):
			pkgs = rest
		default:
			return fmt.Sprintf("crashes on these %d packages together, on neither half alone: %s", len(pkgs), strings.Join(pkgs, " "))
		}
	}
	return "crashes on package " + pkgs[0]
}

// compareRuns compares the -json output of two runs of a driver, byte for byte, and names the packages
// whose output differs.
func compareRuns(a, b []byte) []string {
	if bytes.Equal(a, b) {
		return nil
	}
	var ta, tb jsonTree
	if json.Unmarshal(a, &ta) != nil || json.Unmarshal(b, &tb) != nil {
		return []string{"the two outputs differ"}
	}
	var diffs []string
	for pkg := range union(ta, tb) {
		for analyzer := range union(ta[pkg], tb[pkg]) {
			if !bytes.Equal(ta[pkg][analyzer], tb[pkg][analyzer]) {
				diffs = append(diffs, fmt.Sprintf("%s: %s: output differs between two runs", pkg, analyzer))
			}
		}
	}
	if len(diffs) == 0 {
		return []string{"the two outputs differ in their layout only"}
	}
	slices.Sort(diffs)
	return diffs
}

// union returns the keys of two maps.
func union[V any](a, b map[string]V) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}

// checkVettool runs cmd/conclint under go vet -vettool on the packages and compares its findings with the
// standalone ones: the same set, each finding named with its file.
func checkVettool(conclint string, pkgs []string, standalone []*finding, rel func(string) string) ([]string, error) {
	r, err := run(invocation{argv: append([]string{"go", "vet", "-vettool=" + conclint, "-json"}, pkgs...)})
	if err != nil {
		return nil, err
	}
	out, err := readVet(r, rel)
	if err != nil {
		return nil, err
	}
	if out.Analysis == nil {
		return out.Failures, nil
	}
	return append(out.Failures, compareFindings("standalone", standalone, "under go vet", out.Analysis.Findings)...), nil
}

// compareFindings returns a line for each finding of one run missing from the other: the two runs, named
// a and b, must report the same set.
func compareFindings(aName string, a []*finding, bName string, b []*finding) []string {
	inB := map[string]bool{}
	for _, f := range b {
		inB[f.snapshot()] = true
	}
	var diffs []string
	for _, f := range a {
		if !inB[f.snapshot()] {
			diffs = append(diffs, "reported "+aName+" only: "+f.String())
		}
		delete(inB, f.snapshot())
	}
	for _, f := range b {
		if inB[f.snapshot()] {
			diffs = append(diffs, "reported "+bName+" only: "+f.String())
		}
	}
	return diffs
}

// mergeFindings returns the findings of two runs in one sorted list.
func mergeFindings(a, b []*finding) []*finding {
	all := slices.Concat(a, b)
	slices.SortFunc(all, (*finding).compare)
	return all
}

// typeErrorPkg is a package that does not type-check; typeErrorText is in the error the type checker gives.
const (
	typeErrorPkg  = "./testdata/typeerror"
	typeErrorFile = "typeerror.go:"
	typeErrorText = "cannot use"
)

// checkTypeError checks that conclint, standalone and under go vet, fails on a package that does not
// type-check with an error that names its file and the type error, and without crashing.
func checkTypeError(conclint string) []string {
	var failures []string
	for _, inv := range []invocation{
		{argv: []string{conclint, typeErrorPkg}},
		{argv: []string{"go", "vet", "-vettool=" + conclint, typeErrorPkg}},
	} {
		r, err := run(inv)
		switch {
		case err != nil:
			failures = append(failures, err.Error())
		case failure(r, false) != "":
			failures = append(failures, fmt.Sprintf("%s: %s", inv, failure(r, false)))
		case r.Exit == 0:
			failures = append(failures, fmt.Sprintf("%s: exit status 0 on a package that does not type-check", inv))
		case !bytes.Contains(r.Stderr, []byte(typeErrorFile)) || !bytes.Contains(r.Stderr, []byte(typeErrorText)):
			failures = append(failures, fmt.Sprintf("%s: the error does not name %s and the type error:\n%s", inv, typeErrorFile, excerpt(r.Stderr)))
		}
	}
	return failures
}

// prefixed returns the messages, each prefixed with what was checked.
func prefixed(what string, msgs []string) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = what + ": " + m
	}
	return out
}
