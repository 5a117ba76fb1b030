package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// The verdicts a triage entry may give (shared/TRIAGE.md, bench/README.md).
const (
	verdictReal     = "real"     // a defect a maintainer would accept a fix for
	verdictHarmless = "harmless" // the analyzer is right about the code, but it is deliberate or without consequence
	verdictWrong    = "wrong"    // the analyzer misread the code
)

var verdicts = []string{verdictReal, verdictHarmless, verdictWrong}

// triageEntry matches an entry line of a triage file, at the start of the line: "- [verdict] <finding> —
// <evidence>". Any word in the brackets matches, so that a verdict that is not one of the three is listed
// as a problem rather than silently skipped.
var triageEntry = regexp.MustCompile(`^- \[([^\]\s]*)\] (.*)$`)

// disputeLine matches an author's dispute: an indented line right under an entry.
var disputeLine = regexp.MustCompile(`^\s+dispute:`)

// fileLine matches a file:line reference in the evidence: "pool.go:120", "internal/x/conn.go:88:3".
var fileLine = regexp.MustCompile(`[\w./-]+\.\w+:\d+`)

// evidenceSep separates a finding from the evidence in a triage entry.
const evidenceSep = " — "

// triageCounts are the precision figures of one analyzer: its findings, and how many of them a reviewer
// judged real, harmless or wrong, or has not read. Disputed counts the judged findings that the author
// disputes; a dispute does not change the verdict.
type triageCounts struct {
	Findings int `json:"findings"`
	Real     int `json:"real"`
	Harmless int `json:"harmless"`
	Wrong    int `json:"wrong"`
	Unread   int `json:"unread"`
	Disputed int `json:"disputed"`
}

func (c *triageCounts) add(d triageCounts) {
	c.Findings += d.Findings
	c.Real += d.Real
	c.Harmless += d.Harmless
	c.Wrong += d.Wrong
	c.Unread += d.Unread
	c.Disputed += d.Disputed
}

// judged is the number of findings with a verdict.
func (c *triageCounts) judged() int { return c.Real + c.Harmless + c.Wrong }

// A triage is what a module's triage file says about its current findings.
type triage struct {
	ByAnalyzer map[string]*triageCounts `json:"by_analyzer"`
	Stale      []string                 `json:"stale,omitempty"`    // entries that match no current finding
	Problems   []string                 `json:"problems,omitempty"` // malformed or duplicate entries
}

// readTriage reads a triage file and counts its verdicts on the findings; the file not existing means
// that nothing was read yet. An entry that is malformed (a verdict that is not one of the three, no
// evidence, evidence without a file:line) or that repeats a finding is a problem, and its verdict is not
// counted: the finding stays unread.
func readTriage(file string, findings []*finding) (*triage, error) {
	t := &triage{ByAnalyzer: map[string]*triageCounts{}}
	isFinding := map[string]bool{}
	for _, f := range findings {
		isFinding[f.String()] = true
		t.counts(f.Analyzer).Findings++
	}
	data, err := os.ReadFile(file)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	name := filepath.Base(file)
	problem := func(n int, format string, args ...any) {
		t.Problems = append(t.Problems, fmt.Sprintf("%s:%d: ", name, n)+fmt.Sprintf(format, args...))
	}
	verdictOf := map[string]string{} // finding's line → verdict
	disputed := map[string]bool{}
	entries := map[string]bool{} // findings with an entry, counted or not
	prev := ""                   // the finding of the entry on the line before, for a dispute under it
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if disputeLine.MatchString(line) {
			switch {
			case prev == "":
				problem(n, "a dispute must be right under the entry it disputes")
			case !fileLine.MatchString(line):
				problem(n, "a dispute needs evidence with file:line")
			default:
				disputed[prev] = true
			}
			continue
		}
		prev = ""
		m := triageEntry.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		verdict := m[1]
		key, evidence := matchFinding(m[2], isFinding)
		switch {
		case !slices.Contains(verdicts, verdict):
			problem(n, "unknown verdict [%s]: want [%s]", verdict, strings.Join(verdicts, "], ["))
		case !isFinding[key]:
			t.Stale = append(t.Stale, fmt.Sprintf("%s:%d: %s", name, n, key))
		case entries[key]:
			problem(n, "second entry for %s", key)
		case evidence == "":
			entries[key] = true
			problem(n, "[%s] without evidence (%q, then one sentence with file:line)", verdict, evidenceSep)
		case !fileLine.MatchString(evidence):
			entries[key] = true
			problem(n, "[%s] with evidence that names no file:line", verdict)
		default:
			entries[key] = true
			verdictOf[key] = verdict
			prev = key
		}
	}
	for _, f := range findings {
		c := t.counts(f.Analyzer)
		switch verdictOf[f.String()] {
		case verdictReal:
			c.Real++
		case verdictHarmless:
			c.Harmless++
		case verdictWrong:
			c.Wrong++
		default:
			c.Unread++
			continue
		}
		if disputed[f.String()] {
			c.Disputed++
		}
	}
	return t, sc.Err()
}

func (t *triage) counts(analyzer string) *triageCounts {
	if t.ByAnalyzer[analyzer] == nil {
		t.ByAnalyzer[analyzer] = &triageCounts{}
	}
	return t.ByAnalyzer[analyzer]
}

// matchFinding splits the text of an entry into the finding it names and the evidence. A message may
// itself contain the separator, so the finding is the longest prefix, cut at a separator, that is a
// finding; if none is, the entry is stale and its finding is the text up to the first separator.
func matchFinding(text string, isFinding map[string]bool) (key, evidence string) {
	if isFinding[text] {
		return text, ""
	}
	cut := strings.LastIndex(text, evidenceSep)
	for ; cut >= 0; cut = strings.LastIndex(text[:cut], evidenceSep) {
		if isFinding[text[:cut]] {
			return text[:cut], strings.TrimSpace(text[cut+len(evidenceSep):])
		}
	}
	key, evidence, _ = strings.Cut(text, evidenceSep)
	return key, strings.TrimSpace(evidence)
}

// ensureTriageFile creates the module's triage file with the header that explains its format, if it does
// not exist. An existing triage file is the reviewers' work: bench/run only reads it.
func ensureTriageFile(file string, m *module) error {
	if _, err := os.Stat(file); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.WriteFile(file, []byte(triageHeader(m)), 0o666)
}

// triageHeader is the start of a new triage file: the protocol, in short, and the heading of the entries.
func triageHeader(m *module) string {
	return fmt.Sprintf(`# Triage of conclint's findings on %[1]s

The verdicts of reviewers on the findings in [%[2]s.txt](%[2]s.txt), under the triage protocol
(shared/TRIAGE.md): a reviewer did not write or change the analyzer, and sees only the findings and the
source. One entry per finding, at the start of a line: the verdict, the finding copied exactly as its first
line in %[2]s.txt, " — " (space, em dash, space), and one sentence of evidence with file:line:

    - [real] <finding> — <evidence with file:line: the defect a maintainer would accept a fix for>
    - [harmless] <finding> — <evidence with file:line: why the code is deliberate or without consequence>
    - [wrong] <finding> — <evidence with file:line: what the analyzer misread>

The analyzer's author may dispute a verdict with a line right under its entry, indented, that starts with
"dispute:" and gives the author's evidence with file:line; the reviewer's verdict still counts.

bench/run prints, per analyzer, the findings, real, harmless, wrong and unread (in %[2]s.txt but not here),
and the precision real / (real + harmless + wrong). An entry whose finding is no longer reported is listed
as stale; an unknown verdict, an entry without evidence or with evidence that names no file:line, and a
second entry for a finding are listed as problems and not counted. bench/run creates this file but never
writes it again.

## Entries

`, m.Path, m.Name)
}
