package wgmisuse_test

import (
	"bytes"
	"go/format"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/conclint/conclint/analyzers/wgmisuse"
)

func Test(t *testing.T) {
	dir, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	results := analysistest.RunWithSuggestedFixes(t, dir, wgmisuse.Analyzer, "wgmisuse/a")
	checkGofmt(t, results)
}

// checkGofmt applies each file's suggested fixes as they are, without formatting (RunWithSuggestedFixes
// formats before it compares with the golden file), and checks that the result is gofmt-clean.
func checkGofmt(t *testing.T, results []*analysistest.Result) {
	type edit struct {
		start, end int
		text       string
	}
	edits := map[string][]edit{}
	for _, r := range results {
		fset := r.Action.Package.Fset
		for _, d := range r.Action.Diagnostics {
			for _, fix := range d.SuggestedFixes {
				for _, e := range fix.TextEdits {
					f := fset.File(e.Pos)
					edits[f.Name()] = append(edits[f.Name()], edit{f.Offset(e.Pos), f.Offset(e.End), string(e.NewText)})
				}
			}
		}
	}
	if len(edits) == 0 {
		t.Fatal("no suggested fixes")
	}
	for name, es := range edits {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		// Apply from the end, so that earlier offsets stay valid; at one offset, the later edit first.
		slices.SortStableFunc(es, func(a, b edit) int { return b.start - a.start })
		for _, e := range es {
			src = slices.Concat(src[:e.start], []byte(e.text), src[e.end:])
		}
		formatted, err := format.Source(src)
		if err != nil {
			t.Errorf("%s: fixed source does not parse: %v", name, err)
			continue
		}
		if !bytes.Equal(formatted, src) {
			t.Errorf("%s: fixed source is not gofmt-clean:\n%s", name, src)
		}
	}
}
