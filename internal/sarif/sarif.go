// Package sarif writes go/analysis diagnostics as a SARIF 2.1.0 log, the format that GitHub code
// scanning and other result viewers read: one rule per analyzer, with its documentation and URL, and one
// result per diagnostic, with its region, related locations and suggested fixes.
//
// Only the part of SARIF that a go/analysis driver needs is modelled. Columns are counted in UTF-16 code
// units, SARIF's default, so the builder reads the files that the diagnostics point into.
package sarif

import (
	"bytes"
	"cmp"
	"encoding/json"
	"go/token"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Version is the SARIF version of the logs, and SchemaURI the location of its JSON schema.
const (
	Version   = "2.1.0"
	SchemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
)

// SrcRoot is the uriBaseId of artifact locations relative to the directory the tool ran in.
const SrcRoot = "%SRCROOT%"

// A Log is a SARIF log file.
type Log struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []Run  `json:"runs"`
}

// A Run is the output of one run of one tool.
type Run struct {
	Tool               Tool                        `json:"tool"`
	Invocations        []Invocation                `json:"invocations,omitempty"`
	OriginalURIBaseIDs map[string]ArtifactLocation `json:"originalUriBaseIds,omitempty"`
	Results            []Result                    `json:"results"`
}

// A Tool describes the analysis tool.
type Tool struct {
	Driver ToolComponent `json:"driver"`
}

// A ToolComponent is the driver of a tool: its name, version and rules.
type ToolComponent struct {
	Name           string                `json:"name"`
	Version        string                `json:"version,omitempty"`
	InformationURI string                `json:"informationUri,omitempty"`
	Rules          []ReportingDescriptor `json:"rules,omitempty"`
}

// A ReportingDescriptor is a rule: here, an analyzer.
type ReportingDescriptor struct {
	ID                   string                    `json:"id"`
	ShortDescription     *MultiformatMessageString `json:"shortDescription,omitempty"`
	FullDescription      *MultiformatMessageString `json:"fullDescription,omitempty"`
	Help                 *MultiformatMessageString `json:"help,omitempty"`
	HelpURI              string                    `json:"helpUri,omitempty"`
	DefaultConfiguration *ReportingConfiguration   `json:"defaultConfiguration,omitempty"`
}

// A ReportingConfiguration is the default level of a rule's results.
type ReportingConfiguration struct {
	Level string `json:"level,omitempty"`
}

// A MultiformatMessageString is a plain text message that may have a markdown form.
type MultiformatMessageString struct {
	Text string `json:"text"`
}

// A Message is the text of a result, location or notification.
type Message struct {
	Text string `json:"text"`
}

// An Invocation says whether the run succeeded, and why not.
type Invocation struct {
	ExecutionSuccessful        bool           `json:"executionSuccessful"`
	ToolExecutionNotifications []Notification `json:"toolExecutionNotifications,omitempty"`
}

// A Notification is an error met by the tool, such as a package that does not type-check.
type Notification struct {
	Level     string     `json:"level,omitempty"`
	Message   Message    `json:"message"`
	Locations []Location `json:"locations,omitempty"`
}

// A Result is one diagnostic.
type Result struct {
	RuleID           string         `json:"ruleId"`
	RuleIndex        int            `json:"ruleIndex"`
	Level            string         `json:"level"`
	Message          Message        `json:"message"`
	Locations        []Location     `json:"locations"`
	RelatedLocations []Location     `json:"relatedLocations,omitempty"`
	Fixes            []Fix          `json:"fixes,omitempty"`
	Properties       map[string]any `json:"properties,omitempty"`
}

// A Location is a place in a file, with a message for related locations.
type Location struct {
	ID               *int             `json:"id,omitempty"`
	PhysicalLocation PhysicalLocation `json:"physicalLocation"`
	Message          *Message         `json:"message,omitempty"`
}

// A PhysicalLocation is a region of a file.
type PhysicalLocation struct {
	ArtifactLocation ArtifactLocation `json:"artifactLocation"`
	Region           *Region          `json:"region,omitempty"`
}

// An ArtifactLocation is a file: a URI, relative to a base when URIBaseID is set.
type ArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

// A Region is a range of a file, with 1-based lines and columns; EndColumn is the column just after the
// range, as in go/token. Columns count UTF-16 code units.
type Region struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

// A Fix is a suggested fix: edits to one or more files.
type Fix struct {
	Description     Message          `json:"description"`
	ArtifactChanges []ArtifactChange `json:"artifactChanges"`
}

// An ArtifactChange is the edits of a fix to one file.
type ArtifactChange struct {
	ArtifactLocation ArtifactLocation `json:"artifactLocation"`
	Replacements     []Replacement    `json:"replacements"`
}

// A Replacement replaces a region, which may be empty, with new text.
type Replacement struct {
	DeletedRegion   Region        `json:"deletedRegion"`
	InsertedContent *ArtifactBody `json:"insertedContent,omitempty"`
}

// An ArtifactBody is inserted text.
type ArtifactBody struct {
	Text string `json:"text"`
}

// A Builder makes the log of one run from the diagnostics of analyzers.
type Builder struct {
	dir      string                       // where the tool ran; URIs are relative to it when possible
	readFile func(string) ([]byte, error) // reads source files, for UTF-16 columns
	files    map[string][]byte            // files read so far; nil content if unreadable
	rules    map[*analysis.Analyzer]int   // index in run.Tool.Driver.Rules
	seen     map[diagKey]bool             // results added, to drop duplicates
	run      Run
}

// diagKey identifies a diagnostic, to drop the same one reported for a package and its test variant.
type diagKey struct {
	analyzer   *analysis.Analyzer
	start, end token.Position
	message    string
}

// NewBuilder returns a Builder for a run of the tool described by driver (name, version, URI; its rules
// are made from rules), in directory dir. readFile reads source files; if nil, os.ReadFile is used.
func NewBuilder(driver ToolComponent, rules []*analysis.Analyzer, dir string, readFile func(string) ([]byte, error)) *Builder {
	b := &Builder{
		dir:      dir,
		readFile: readFile,
		files:    make(map[string][]byte),
		rules:    make(map[*analysis.Analyzer]int),
		seen:     make(map[diagKey]bool),
	}
	if readFile == nil {
		b.readFile = os.ReadFile
	}
	driver.Rules = nil
	for i, a := range rules {
		b.rules[a] = i
		driver.Rules = append(driver.Rules, rule(a))
	}
	b.run = Run{Tool: Tool{Driver: driver}, Results: []Result{}}
	if dir != "" {
		b.run.OriginalURIBaseIDs = map[string]ArtifactLocation{SrcRoot: {URI: dirURI(dir)}}
	}
	return b
}

// rule returns the reporting descriptor of a.
func rule(a *analysis.Analyzer) ReportingDescriptor {
	title, _, _ := strings.Cut(a.Doc, "\n\n")
	r := ReportingDescriptor{
		ID:                   a.Name,
		ShortDescription:     &MultiformatMessageString{Text: strings.Join(strings.Fields(title), " ")},
		FullDescription:      &MultiformatMessageString{Text: a.Doc},
		Help:                 &MultiformatMessageString{Text: a.Doc},
		HelpURI:              a.URL,
		DefaultConfiguration: &ReportingConfiguration{Level: "warning"},
	}
	if a.URL != "" {
		r.Help.Text += "\n\n" + a.URL
	}
	return r
}

// A Diagnostic is a diagnostic whose positions are resolved, as drivers that keep no token.FileSet have
// them.
type Diagnostic struct {
	Start, End token.Position // End may be invalid
	Category   string
	Message    string
	Related    []RelatedInformation
	Fixes      []SuggestedFix
}

// A RelatedInformation is a related location of a Diagnostic.
type RelatedInformation struct {
	Start, End token.Position
	Message    string
}

// A SuggestedFix is a suggested fix of a Diagnostic.
type SuggestedFix struct {
	Message string
	Edits   []TextEdit
}

// A TextEdit replaces the range from Start to End (invalid for an insertion) with NewText.
type TextEdit struct {
	Start, End token.Position
	NewText    string
}

// Add adds the diagnostic d of analyzer a, whose positions are in fset, unless it was added already. a
// must be one of the rules passed to NewBuilder.
func (b *Builder) Add(a *analysis.Analyzer, fset *token.FileSet, d analysis.Diagnostic) {
	rd := Diagnostic{Start: fset.Position(d.Pos), End: fset.Position(d.End), Category: d.Category, Message: d.Message}
	for _, rel := range d.Related {
		rd.Related = append(rd.Related, RelatedInformation{fset.Position(rel.Pos), fset.Position(rel.End), rel.Message})
	}
	for _, fix := range d.SuggestedFixes {
		f := SuggestedFix{Message: fix.Message}
		for _, e := range fix.TextEdits {
			f.Edits = append(f.Edits, TextEdit{fset.Position(e.Pos), fset.Position(e.End), string(e.NewText)})
		}
		rd.Fixes = append(rd.Fixes, f)
	}
	b.AddDiagnostic(a, rd)
}

// AddDiagnostic adds the diagnostic d of analyzer a, unless it was added already. a must be one of the
// rules passed to NewBuilder.
func (b *Builder) AddDiagnostic(a *analysis.Analyzer, d Diagnostic) {
	start, end := d.Start, d.End
	k := diagKey{a, start, end, d.Message}
	if b.seen[k] {
		return
	}
	b.seen[k] = true
	index, ok := b.rules[a]
	if !ok {
		panic("sarif: diagnostic of analyzer " + a.Name + ", which is not a rule")
	}
	r := Result{
		RuleID:    a.Name,
		RuleIndex: index,
		Level:     "warning",
		Message:   Message{Text: d.Message},
		Locations: []Location{{PhysicalLocation: b.physical(start, end)}},
	}
	for i, rel := range d.Related {
		id := i + 1
		r.RelatedLocations = append(r.RelatedLocations, Location{
			ID:               &id,
			PhysicalLocation: b.physical(rel.Start, rel.End),
			Message:          &Message{Text: rel.Message},
		})
	}
	for _, fix := range d.Fixes {
		r.Fixes = append(r.Fixes, b.fix(fix))
	}
	if d.Category != "" {
		r.Properties = map[string]any{"category": d.Category}
	}
	b.run.Results = append(b.run.Results, r)
}

// Notify records an error of the run, at pos if it is valid.
func (b *Builder) Notify(message string, pos token.Position) {
	n := Notification{Level: "error", Message: Message{Text: message}}
	if pos.IsValid() {
		n.Locations = []Location{{PhysicalLocation: b.physical(pos, token.Position{})}}
	}
	if len(b.run.Invocations) == 0 {
		b.run.Invocations = []Invocation{{}}
	}
	inv := &b.run.Invocations[0]
	inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
}

// Log returns the log of the run. successful says whether the tool ran to completion, with or without
// results.
func (b *Builder) Log(successful bool) *Log {
	run := b.run
	if len(run.Invocations) == 0 {
		run.Invocations = []Invocation{{}}
	}
	run.Invocations = slices.Clone(run.Invocations)
	run.Invocations[0].ExecutionSuccessful = successful
	run.Results = slices.Clone(run.Results)
	slices.SortStableFunc(run.Results, compareResults)
	return &Log{Schema: SchemaURI, Version: Version, Runs: []Run{run}}
}

// compareResults orders results by file, position and rule.
func compareResults(a, b Result) int {
	la, lb := a.Locations[0].PhysicalLocation, b.Locations[0].PhysicalLocation
	if c := strings.Compare(la.ArtifactLocation.URI, lb.ArtifactLocation.URI); c != 0 {
		return c
	}
	var ra, rb Region
	if la.Region != nil {
		ra = *la.Region
	}
	if lb.Region != nil {
		rb = *lb.Region
	}
	return cmp.Or(
		cmp.Compare(ra.StartLine, rb.StartLine),
		cmp.Compare(ra.StartColumn, rb.StartColumn),
		cmp.Compare(a.RuleIndex, b.RuleIndex),
		strings.Compare(a.Message.Text, b.Message.Text))
}

// Write writes the log of the run to w as indented JSON.
func (b *Builder) Write(w io.Writer, successful bool) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(b.Log(successful))
}

// fix returns the SARIF form of a suggested fix: one artifact change per file, in the order the files
// first appear in the edits.
func (b *Builder) fix(fix SuggestedFix) Fix {
	f := Fix{Description: Message{Text: fix.Message}, ArtifactChanges: []ArtifactChange{}}
	byFile := make(map[string]int)
	for _, e := range fix.Edits {
		start, end := e.Start, e.End
		if !end.IsValid() {
			end = start // an insertion
		}
		i, ok := byFile[start.Filename]
		if !ok {
			i = len(f.ArtifactChanges)
			byFile[start.Filename] = i
			f.ArtifactChanges = append(f.ArtifactChanges, ArtifactChange{ArtifactLocation: b.artifact(start.Filename)})
		}
		f.ArtifactChanges[i].Replacements = append(f.ArtifactChanges[i].Replacements, Replacement{
			DeletedRegion:   *b.region(start, end, true),
			InsertedContent: &ArtifactBody{Text: e.NewText},
		})
	}
	return f
}

// physical returns the location of the range from start to end; end may be invalid.
func (b *Builder) physical(start, end token.Position) PhysicalLocation {
	return PhysicalLocation{ArtifactLocation: b.artifact(start.Filename), Region: b.region(start, end, false)}
}

// region returns the region from start to end, or nil if start is not in a file. When end is invalid
// the region is start's line, from start's column, unless exact is set, in which case it is empty.
func (b *Builder) region(start, end token.Position, exact bool) *Region {
	if start.Line == 0 {
		return nil
	}
	r := &Region{StartLine: start.Line}
	if start.Column > 0 {
		r.StartColumn = b.column(start)
	}
	switch {
	case end.IsValid() && end.Filename == start.Filename && end.Line > 0:
		r.EndLine = end.Line
		if end.Column > 0 {
			r.EndColumn = b.column(end)
		}
	case exact:
		r.EndLine, r.EndColumn = r.StartLine, r.StartColumn
	}
	return r
}

// column returns the 1-based UTF-16 column of pos, whose Column counts bytes. It returns the byte column
// when the file cannot be read or does not have that line.
func (b *Builder) column(pos token.Position) int {
	data, ok := b.files[pos.Filename]
	if !ok {
		data, _ = b.readFile(pos.Filename)
		b.files[pos.Filename] = data
	}
	line := lineAt(data, pos.Line)
	if line == nil || pos.Column-1 > len(line) {
		return pos.Column
	}
	n := 0
	for _, r := range string(line[:pos.Column-1]) {
		if r >= 0x10000 { // a surrogate pair
			n += 2
		} else {
			n++
		}
	}
	return n + 1
}

// lineAt returns line n (1-based) of data, with its newline, or nil.
func lineAt(data []byte, n int) []byte {
	for i := 1; len(data) > 0; i++ {
		line := data
		if j := bytes.IndexByte(data, '\n'); j >= 0 {
			line = data[:j+1]
		}
		if i == n {
			return line
		}
		data = data[len(line):]
	}
	return nil
}

// artifact returns the location of file: relative to the run's directory under %SRCROOT% when file is
// inside it, a file URI otherwise.
func (b *Builder) artifact(file string) ArtifactLocation {
	if b.dir != "" && filepath.IsAbs(file) {
		if rel, err := filepath.Rel(b.dir, file); err == nil && filepath.IsLocal(rel) {
			return ArtifactLocation{URI: (&url.URL{Path: filepath.ToSlash(rel)}).EscapedPath(), URIBaseID: SrcRoot}
		}
	}
	if filepath.IsAbs(file) {
		return ArtifactLocation{URI: fileURI(file)}
	}
	return ArtifactLocation{URI: (&url.URL{Path: filepath.ToSlash(file)}).EscapedPath()}
}

// fileURI returns the file URI of the absolute path name.
func fileURI(name string) string {
	p := filepath.ToSlash(name)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive letter
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// dirURI returns the file URI of directory dir, with a final slash as SARIF requires of a base URI.
func dirURI(dir string) string {
	u := fileURI(dir)
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}
