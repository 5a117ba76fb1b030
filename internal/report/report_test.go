package report_test

import (
	"go/ast"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/report"
)

// ignoredirective is a stand-in analyzer, registered under the name of a real one so that directives may name
// it: it reports every call to the fixture's function bad through a Reporter.
var stub = &analysis.Analyzer{
	Name: "ignoredirective",
	Doc:  "report calls to bad",
	Run: func(pass *analysis.Pass) (any, error) {
		r := report.New(pass)
		bad := pass.Pkg.Scope().Lookup("bad")
		for c := range inspector.New(pass.Files).Root().Preorder((*ast.CallExpr)(nil)) {
			call := c.Node().(*ast.CallExpr)
			if bad != nil && typeutil.Callee(pass.TypesInfo, call) == bad {
				r.Reportf(call, "call to bad")
			}
		}
		r.Finish()
		return nil, nil
	},
}

func TestReporter(t *testing.T) {
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, stub, "suppress")
}
