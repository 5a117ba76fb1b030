package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/conclint/conclint/analyzers"
	"github.com/conclint/conclint/bench/internal/floor"
)

// A report is the outcome of a full run: written as results/latest.json, and as Markdown tables.
type report struct {
	Date        string                   `json:"date"`
	Go          string                   `json:"go"`
	Platform    string                   `json:"platform"`
	CPUs        int                      `json:"cpus"`
	MemoryGiB   float64                  `json:"memory_gib"`
	Conclint    string                   `json:"conclint"` // git commit of the conclint module
	Staticcheck string                   `json:"staticcheck,omitempty"`
	Count       int                      `json:"count"` // measured runs per tool; samples give each
	DurationS   float64                  `json:"duration_s"`
	Tools       []string                 `json:"tools"` // keys of Modules[].Tools, in table order
	Analyzers   []string                 `json:"analyzers"`
	OwnFloor    string                   `json:"own_floor"` // the floor that loads as conclint's analyzers do
	LoadAvg     [2]string                `json:"load_avg"`  // of the machine, at the start and the end
	Modules     []*moduleReport          `json:"modules"`
	Total       *moduleReport            `json:"total"`
	Triage      map[string]*triageCounts `json:"triage"` // per analyzer, over the corpus
	Failures    []string                 `json:"failures"`

	titles map[string]string // tool key → column title
}

type moduleReport struct {
	Name     string                 `json:"name"`
	Module   string                 `json:"module"`
	Version  string                 `json:"version"`
	Packages int                    `json:"packages"`
	Excluded []exclusion            `json:"excluded,omitempty"`
	Tools    map[string]*toolReport `json:"tools"`
	Findings map[string]int         `json:"findings"` // of conclint's own analyzers, per analyzer
	Triage   *triage                `json:"triage,omitempty"`
	Checked  bool                   `json:"checked"`  // determinism and vettool checks ran
	LoadAvg  string                 `json:"load_avg"` // of the machine when the module's measures started
	Failures []string               `json:"failures,omitempty"`
}

// A toolReport is the cost of a tool on a module (the median of its samples) and how many findings it
// printed.
type toolReport struct {
	sample
	Samples  []sample `json:"samples"`
	Findings int      `json:"findings"`
}

func (mr *moduleReport) fail(what string, msgs []string) {
	mr.Failures = append(mr.Failures, prefixed(mr.Name+": "+what, msgs)...)
}

func newReport(opts options, bin *binaries, env *goEnv) *report {
	rep := &report{
		Date:        time.Now().UTC().Format(time.RFC3339),
		Go:          env.GOVERSION,
		Platform:    runtime.GOOS + "/" + runtime.GOARCH,
		CPUs:        runtime.NumCPU(),
		MemoryGiB:   memoryGiB(),
		Conclint:    conclintCommit(),
		Staticcheck: bin.staticcheckVersion,
		Count:       opts.count,
		Triage:      map[string]*triageCounts{},
		titles:      map[string]string{},
	}
	for _, t := range bin.tools() {
		rep.Tools = append(rep.Tools, t.Key)
		rep.titles[t.Key] = t.Title
	}
	for _, a := range analyzers.Own() {
		rep.Analyzers = append(rep.Analyzers, a.Name)
	}
	rep.OwnFloor = keyNoop
	if floor.NeedFacts(analyzers.Own()) {
		rep.OwnFloor = keyFacts
	}
	rep.LoadAvg[0] = loadAvg()
	return rep
}

// finish computes the totals and gathers the failures.
func (rep *report) finish(d time.Duration) {
	rep.DurationS = d.Seconds()
	rep.LoadAvg[1] = loadAvg()
	total := &moduleReport{Name: "total", Tools: map[string]*toolReport{}, Findings: map[string]int{}}
	for _, mr := range rep.Modules {
		total.Packages += mr.Packages
		total.Excluded = append(total.Excluded, mr.Excluded...)
		for key, tr := range mr.Tools {
			sum := total.Tools[key]
			if sum == nil {
				sum = &toolReport{}
				total.Tools[key] = sum
			}
			sum.Wall += tr.Wall
			sum.CPU += tr.CPU
			sum.RSSMiB = max(sum.RSSMiB, tr.RSSMiB)
			sum.Findings += tr.Findings
		}
		for a, n := range mr.Findings {
			total.Findings[a] += n
		}
		if mr.Triage != nil {
			for a, c := range mr.Triage.ByAnalyzer {
				if rep.Triage[a] == nil {
					rep.Triage[a] = &triageCounts{}
				}
				rep.Triage[a].add(*c)
			}
		}
		rep.Failures = append(rep.Failures, mr.Failures...)
	}
	rep.Total = total
}

// write writes prefix.md and prefix.json.
func (rep *report) write(prefix, md string) error {
	if err := os.MkdirAll(filepath.Dir(prefix), 0o777); err != nil {
		return err
	}
	data, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(prefix+".json", append(data, '\n'), 0o666); err != nil {
		return err
	}
	return os.WriteFile(prefix+".md", []byte(md), 0o666)
}

// markdown renders the report as the tables bench/run prints.
func (rep *report) markdown() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# conclint on real code\n\n")
	p("%s; %s %s, %d CPUs, %.0f GiB, load average %s at the start and %s at the end; conclint %s; %s; %d measured run(s) per tool (median); whole run %s.\n\n",
		rep.Date, rep.Go, rep.Platform, rep.CPUs, rep.MemoryGiB, rep.LoadAvg[0], rep.LoadAvg[1], rep.Conclint,
		cmp.Or(rep.Staticcheck, "staticcheck not run"), rep.Count, time.Duration(rep.DurationS*float64(time.Second)).Round(time.Second))
	p("Each tool analyzes the same packages of each module, tests included, from a warm build cache, with no result cache of its own: ")
	p("go vet is made to re-analyze (see README.md), staticcheck gets an empty cache. ")
	p("*conclint* is conclint's own analyzers; *bundled passes* the upstream ones its binary also runs. ")
	p("The floors run the same driver as conclint with an analyzer that does nothing (*load*), that also loads every dependency from source for facts (*load for facts*), or that builds SSA (*SSA*); ")
	p("conclint's analyzers load as *%s* does, so *conclint / floor* is what they add to it. ", rep.titles[rep.OwnFloor])
	p("*conclint CLI* is `conclint -json` as a user runs it, on its own runner with its result cache: its own analyzers and the bundled passes; ")
	p("*cold* starts from an empty cache, as staticcheck does, *warm* is the unchanged re-run on the cache the cold run left.\n\n")

	rep.findingsTable(p)
	for _, m := range []struct {
		title, unit string
		get         func(*toolReport) float64
		total       string
	}{
		{"Wall time", "s", func(t *toolReport) float64 { return t.Wall }, "sum"},
		{"CPU time (user+system)", "s", func(t *toolReport) float64 { return t.CPU }, "sum"},
		{"Peak RSS (largest process)", "MiB", func(t *toolReport) float64 { return t.RSSMiB }, "max"},
	} {
		rep.costTable(p, m.title, m.unit, m.get, m.total)
	}
	rep.triageTable(p)
	p("## Failures\n\n")
	if len(rep.Failures) == 0 {
		p("None: no crash, no analyzer error, the same output twice, the same findings under go vet -vettool, a clear error on the type-error fixture.\n")
	}
	for _, f := range rep.Failures {
		p("- %s\n", strings.ReplaceAll(f, "\n", "\n  "))
	}
	return b.String()
}

type printer func(format string, args ...any)

func (rep *report) findingsTable(p printer) {
	p("## Packages and findings\n\n| module | version | packages | left out | go vet | staticcheck | bundled passes |")
	for _, a := range rep.Analyzers {
		p(" %s |", a)
	}
	p("\n|---|---|--:|--:|--:|--:|--:|%s\n", strings.Repeat("--:|", len(rep.Analyzers)))
	for _, mr := range rep.rows() {
		name := mr.Name
		if mr == rep.Total {
			name = "**total**"
		}
		p("| %s | %s | %d | %d |", name, mr.Version, mr.Packages, len(mr.Excluded))
		for _, key := range []string{keyVet, keyStaticcheck, keyBundled} {
			p(" %s |", findingsCell(mr.Tools[key]))
		}
		for _, a := range rep.Analyzers {
			p(" %d |", mr.Findings[a])
		}
		p("\n")
	}
	p("\nFindings are counted once per position and message (a package and its test variant report the same ones). ")
	p("The packages left out do not load (see `excluded` in latest.json).\n\n")
}

func findingsCell(tr *toolReport) string {
	if tr == nil {
		return "–"
	}
	return fmt.Sprint(tr.Findings)
}

// costTable prints one metric of every tool, per module, with the ratios of conclint to go vet, to
// staticcheck and to the load floor.
func (rep *report) costTable(p printer, title, unit string, get func(*toolReport) float64, total string) {
	p("## %s (%s)\n\n| module |", title, unit)
	for _, key := range rep.Tools {
		p(" %s |", rep.titles[key])
	}
	p(" conclint / go vet | conclint / staticcheck | conclint / floor | CLI cold / staticcheck | CLI warm / CLI cold |\n|---|%s\n", strings.Repeat("--:|", len(rep.Tools)+5))
	for _, mr := range rep.rows() {
		name := mr.Name
		if mr == rep.Total {
			name = "**" + total + "**"
		}
		p("| %s |", name)
		for _, key := range rep.Tools {
			p(" %s |", valueCell(mr.Tools[key], get))
		}
		for _, key := range []string{keyVet, keyStaticcheck, rep.OwnFloor} {
			p(" %s |", ratioCell(mr.Tools[keyOwn], mr.Tools[key], get))
		}
		p(" %s | %s |\n", ratioCell(mr.Tools[keyCLICold], mr.Tools[keyStaticcheck], get), ratioCell(mr.Tools[keyCLIWarm], mr.Tools[keyCLICold], get))
	}
	p("\n")
}

func valueCell(tr *toolReport, get func(*toolReport) float64) string {
	if tr == nil {
		return "–"
	}
	v := get(tr)
	if v >= 100 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

func ratioCell(a, b *toolReport, get func(*toolReport) float64) string {
	if a == nil || b == nil || get(b) == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", get(a)/get(b))
}

// rows returns the module rows and the total.
func (rep *report) rows() []*moduleReport {
	if rep.Total == nil {
		return rep.Modules
	}
	return append(slices.Clip(rep.Modules), rep.Total)
}

func (rep *report) triageTable(p printer) {
	p("## Precision (findings/*.triage.md)\n\n%s\n", rep.precisionTable())
	for _, mr := range rep.Modules {
		if mr.Triage == nil {
			continue
		}
		for _, s := range mr.Triage.Stale {
			p("- stale triage entry, no longer reported: %s\n", s)
		}
		for _, s := range mr.Triage.Problems {
			p("- triage problem: %s\n", s)
		}
	}
	p("\n")
}

// precisionTable is the precision table, per analyzer and in total, and the sentence that says what it
// counts: what results/latest.md and the README show.
func (rep *report) precisionTable() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("| analyzer | findings | real | harmless | wrong | unread | precision |\n| --- | --: | --: | --: | --: | --: | --: |\n")
	var sum triageCounts
	names := slices.Clone(rep.Analyzers)
	for _, a := range slices.Sorted(maps.Keys(rep.Triage)) {
		if !slices.Contains(names, a) {
			names = append(names, a) // reported, but no longer in analyzers.Own()
		}
	}
	for _, a := range names {
		c := rep.Triage[a]
		if c == nil {
			c = &triageCounts{}
		}
		sum.add(*c)
		p("| %s | %d | %d | %d | %d | %d | %s |\n", a, c.Findings, c.Real, c.Harmless, c.Wrong, c.Unread, precision(c))
	}
	p("| **total** | %d | %d | %d | %d | %d | %s |\n\n", sum.Findings, sum.Real, sum.Harmless, sum.Wrong, sum.Unread, precision(&sum))
	p("Precision is real / (real + harmless + wrong), over the findings a reviewer has judged under the triage protocol")
	if sum.Disputed > 0 {
		p("; the analyzers' authors dispute %d of those verdicts, which count as the reviewers gave them", sum.Disputed)
	}
	p(". %d modules, default flags, tests included.\n", len(rep.Modules))
	return b.String()
}

// Markers of the block of the README that bench/run rewrites with the precision table.
const (
	readmeBegin = "<!-- begin: precision table, written by bench/run from bench/findings -->"
	readmeEnd   = "<!-- end: precision table -->"
)

// updateReadme replaces the precision block of the README (between readmeBegin and readmeEnd) with table.
// A README without the markers is an error: the table would silently go stale.
func updateReadme(file, table string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	before, rest, ok1 := strings.Cut(string(data), readmeBegin+"\n")
	_, after, ok2 := strings.Cut(rest, readmeEnd)
	if !ok1 || !ok2 {
		return fmt.Errorf("%s: no precision block (%q ... %q) to update", file, readmeBegin, readmeEnd)
	}
	return os.WriteFile(file, []byte(before+readmeBegin+"\n"+table+readmeEnd+after), 0o666)
}

// precision is real / (real + harmless + wrong), or "–" when no finding is judged.
func precision(c *triageCounts) string {
	if c.judged() == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(c.Real)/float64(c.judged()))
}

// conclintCommit returns the commit of the conclint checkout, marked dirty when it has changes.
func conclintCommit() string {
	out, err := exec.Command("git", "-C", "..", "describe", "--always", "--dirty", "--abbrev=12").Output()
	if err != nil {
		return "(no git)"
	}
	return strings.TrimSpace(string(out))
}

// loadAvg returns the machine's load averages over 1, 5 and 15 minutes: the machine is shared, and the
// figures are only as good as it was quiet.
func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(data)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}

// memoryGiB returns the machine's memory.
func memoryGiB() float64 {
	var info syscall.Sysinfo_t
	if syscall.Sysinfo(&info) != nil {
		return 0
	}
	return float64(info.Totalram) * float64(info.Unit) / (1 << 30)
}
