package main

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// A position is a file:line:col with the file relative to the root of the module analyzed.
type position struct {
	File      string
	Line, Col int
}

func (p position) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

func (p position) compare(q position) int {
	return cmp.Or(strings.Compare(p.File, q.File), cmp.Compare(p.Line, q.Line), cmp.Compare(p.Col, q.Col))
}

// A finding is one diagnostic, as the snapshot files and the triage files write it.
type finding struct {
	Pos      position
	Analyzer string
	Message  string
	Related  []related
}

type related struct {
	Pos     position
	Message string
}

// String is the finding's line in findings/<module>.txt, and its key in the triage file.
func (f *finding) String() string { return fmt.Sprintf("%s: %s: %s", f.Pos, f.Analyzer, f.Message) }

func (f *finding) compare(g *finding) int {
	return cmp.Or(f.Pos.compare(g.Pos), strings.Compare(f.Analyzer, g.Analyzer), strings.Compare(f.Message, g.Message),
		strings.Compare(f.snapshot(), g.snapshot()))
}

// An analysisOutput is what an analysis driver printed with -json: its findings, sorted and without the
// duplicates that test variants of a package produce, and the errors of analyzers on packages.
type analysisOutput struct {
	Findings []*finding
	Errors   []string // "<package>: <analyzer>: <error>"
}

// jsonTree is the -json output of the checker and of unitchecker: package ID → analyzer → either a list of
// diagnostics or an {"error": ...} object.
type jsonTree map[string]map[string]json.RawMessage

type jsonDiagnostic struct {
	Posn    string `json:"posn"`
	Message string `json:"message"`
	Related []struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	} `json:"related"`
}

// parseAnalysisJSON reads the JSON trees printed by "conclint -json" (one tree) or by "go vet -json" (one
// tree per package, each after a "# package" line), with paths made relative by rel.
func parseAnalysisJSON(data []byte, rel func(string) string) (*analysisOutput, error) {
	var jsonOnly bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		if !bytes.HasPrefix(sc.Bytes(), []byte("#")) {
			jsonOnly.Write(sc.Bytes())
			jsonOnly.WriteByte('\n')
		}
	}
	trees, err := decodeStream[jsonTree](&jsonOnly)
	if err != nil {
		return nil, fmt.Errorf("bad -json output: %v", err)
	}
	out := &analysisOutput{}
	seen := map[string]bool{}
	for _, tree := range trees {
		for pkg, byAnalyzer := range tree {
			for analyzer, raw := range byAnalyzer {
				var diags []jsonDiagnostic
				if err := json.Unmarshal(raw, &diags); err != nil {
					var failed struct{ Error string }
					if json.Unmarshal(raw, &failed) != nil {
						return nil, fmt.Errorf("bad -json output for %s %s: %s", pkg, analyzer, raw)
					}
					out.Errors = append(out.Errors, fmt.Sprintf("%s: %s: %s", pkg, analyzer, failed.Error))
					continue
				}
				for _, d := range diags {
					f := &finding{Pos: parsePosn(d.Posn, rel), Analyzer: analyzer, Message: d.Message}
					for _, r := range d.Related {
						f.Related = append(f.Related, related{parsePosn(r.Posn, rel), r.Message})
					}
					if key := f.snapshot(); !seen[key] {
						seen[key] = true
						out.Findings = append(out.Findings, f)
					}
				}
			}
		}
	}
	slices.SortFunc(out.Findings, (*finding).compare)
	slices.Sort(out.Errors)
	return out, nil
}

// parsePosn parses token.Position.String(): "file:line:col", "file:line" or "-".
func parsePosn(posn string, rel func(string) string) position {
	var nums []int
	for range 2 {
		i := strings.LastIndexByte(posn, ':')
		if i < 0 {
			break
		}
		n, err := strconv.Atoi(posn[i+1:])
		if err != nil {
			break
		}
		nums = append([]int{n}, nums...)
		posn = posn[:i]
	}
	p := position{File: rel(posn)}
	if len(nums) == 1 {
		nums = append(nums, 0) // line only
	}
	if len(nums) == 2 {
		p.Line, p.Col = nums[0], nums[1]
	}
	return p
}

// relativizer returns a function that makes a file name relative to the module root dir. Files elsewhere
// (there should be none) keep an absolute name, with $GOROOT or $GOMODCACHE for the machine-specific part.
func relativizer(dir, goroot, gomodcache string) func(string) string {
	prefixes := []struct{ dir, name string }{{dir, ""}, {gomodcache, "$GOMODCACHE/"}, {goroot, "$GOROOT/"}}
	return func(file string) string {
		for _, p := range prefixes {
			if rest, ok := strings.CutPrefix(file, p.dir+string(filepath.Separator)); ok && p.dir != "" {
				return p.name + filepath.ToSlash(rest)
			}
		}
		return file
	}
}

// snapshot is the finding as written in findings/<module>.txt: its line, then its related positions
// indented under it.
func (f *finding) snapshot() string {
	var b strings.Builder
	b.WriteString(f.String())
	for _, r := range f.Related {
		fmt.Fprintf(&b, "\n\t%s: %s", r.Pos, r.Message)
	}
	return b.String()
}

// writeSnapshot writes findings/<name>.txt for the module, which the lead commits so that a change in
// what conclint reports on the corpus shows in review.
func writeSnapshot(dir string, m *module, findings []*finding) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Findings of conclint's own analyzers on %s %s, written by bench/run: do not edit.\n", m.Path, m.Version)
	fmt.Fprintf(&b, "# Findings: %d. Triage them in %s.triage.md.\n", len(findings), m.Name)
	for _, f := range findings {
		b.WriteString(f.snapshot())
		b.WriteByte('\n')
	}
	return os.WriteFile(filepath.Join(dir, m.Name+".txt"), b.Bytes(), 0o666)
}

// countByAnalyzer returns the number of findings of each analyzer.
func countByAnalyzer(findings []*finding) map[string]int {
	counts := map[string]int{}
	for _, f := range findings {
		counts[f.Analyzer]++
	}
	return counts
}

// parseStaticcheckJSON reads "staticcheck -f json" output, one problem per line, and returns the number of
// findings and the problems that are failures to load or check a package (code "compile").
func parseStaticcheckJSON(data []byte) (findings int, errs []string, err error) {
	type problem struct {
		Code     string
		Message  string
		Location struct {
			File         string
			Line, Column int
		}
	}
	problems, err := decodeStream[problem](bytes.NewReader(data))
	if err != nil {
		return 0, nil, fmt.Errorf("bad staticcheck -f json output: %v", err)
	}
	for _, p := range problems {
		if p.Code == "compile" {
			errs = append(errs, fmt.Sprintf("%s:%d:%d: %s", p.Location.File, p.Location.Line, p.Location.Column, p.Message))
			continue
		}
		findings++
	}
	return findings, errs, nil
}
