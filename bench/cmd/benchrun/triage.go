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
	"strings"
)

// The verdicts a triage entry may give.
const (
	verdictReal      = "real"
	verdictNoise     = "noise"
	verdictUndecided = "undecided"
)

// triageEntry matches an entry line of a triage file: "- [verdict] <finding> — <why>".
var triageEntry = regexp.MustCompile(`^- \[(` + verdictReal + `|` + verdictNoise + `|` + verdictUndecided + `)\] (.*)$`)

// reasonSep separates a finding from the reason in a triage entry.
const reasonSep = " — "

// triageCounts are the precision figures of one analyzer: its findings, and how many of them a person
// judged real, noise or undecided, or has not read.
type triageCounts struct {
	Findings  int `json:"findings"`
	Real      int `json:"real"`
	Noise     int `json:"noise"`
	Undecided int `json:"undecided"`
	Unread    int `json:"unread"`
}

func (c *triageCounts) add(d triageCounts) {
	c.Findings += d.Findings
	c.Real += d.Real
	c.Noise += d.Noise
	c.Undecided += d.Undecided
	c.Unread += d.Unread
}

// A triage is what a module's triage file says about its current findings.
type triage struct {
	ByAnalyzer map[string]*triageCounts `json:"by_analyzer"`
	Stale      []string                 `json:"stale,omitempty"`    // entries that match no current finding
	Problems   []string                 `json:"problems,omitempty"` // malformed or duplicate entries
}

// readTriage reads a triage file and counts its verdicts on the findings; the file not existing means
// that nothing was read yet.
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
	verdicts := map[string]string{} // finding's line → verdict
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		m := triageEntry.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		verdict := m[1]
		key, reason := matchFinding(m[2], isFinding)
		switch {
		case !isFinding[key]:
			t.Stale = append(t.Stale, fmt.Sprintf("%s:%d: %s", filepath.Base(file), n, key))
		case verdicts[key] != "":
			t.Problems = append(t.Problems, fmt.Sprintf("%s:%d: second entry for %s", filepath.Base(file), n, key))
		default:
			verdicts[key] = verdict
			if verdict == verdictNoise && reason == "" {
				t.Problems = append(t.Problems, fmt.Sprintf("%s:%d: noise without a reason (%q)", filepath.Base(file), n, reasonSep))
			}
		}
	}
	for _, f := range findings {
		c := t.counts(f.Analyzer)
		switch verdicts[f.String()] {
		case verdictReal:
			c.Real++
		case verdictNoise:
			c.Noise++
		case verdictUndecided:
			c.Undecided++
		default:
			c.Unread++
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

// matchFinding splits the text of an entry into the finding it names and the reason. A message may itself
// contain the separator, so the finding is the longest prefix, cut at a separator, that is a finding;
// if none is, the entry is stale and its finding is the text up to the first separator.
func matchFinding(text string, isFinding map[string]bool) (key, reason string) {
	if isFinding[text] {
		return text, ""
	}
	cut := strings.LastIndex(text, reasonSep)
	for ; cut >= 0; cut = strings.LastIndex(text[:cut], reasonSep) {
		if isFinding[text[:cut]] {
			return text[:cut], strings.TrimSpace(text[cut+len(reasonSep):])
		}
	}
	key, reason, _ = strings.Cut(text, reasonSep)
	return key, strings.TrimSpace(reason)
}

// ensureTriageFile creates the module's triage file with the header that explains its format, if it does
// not exist. An existing triage file is a person's work: bench/run only reads it.
func ensureTriageFile(file string, m *module) error {
	if _, err := os.Stat(file); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	header := fmt.Sprintf(`# Triage of conclint's findings on %[1]s

This file records what a person concluded about the findings in [%[2]s.txt](%[2]s.txt). One line per
finding read, at the start of a line, with the finding copied exactly as it is in %[2]s.txt:

    - [real] <finding> — <why it is a real problem>
    - [noise] <finding> — <why it is harmless: the reason is required>
    - [undecided] <finding> — <what is unclear>

bench/run prints, per analyzer, the findings judged real, noise and undecided, and those not read (in
%[2]s.txt but not here): the project's precision figure. An entry whose finding is no longer reported (the
analyzer changed, or the module moved to a new version) is listed as stale: update or delete it. bench/run
creates this file but never writes it again.

## Entries

`, m.Path, m.Name)
	return os.WriteFile(file, []byte(header), 0o666)
}
