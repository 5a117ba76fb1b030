package errclass_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/conclint/conclint/internal/errclass"
)

func TestFacts(t *testing.T) {
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, errclass.Analyzer, "classes/...")
}

// TestGoroutineerrDep checks the facts of the package whose functions goroutineerr's fixtures call.
func TestGoroutineerrDep(t *testing.T) {
	dir, err := filepath.Abs("../../analyzers/testdata")
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, errclass.Analyzer, "goroutineerr/dep")
}

func TestString(t *testing.T) {
	for _, tc := range []struct {
		c    errclass.Class
		want string
	}{
		{errclass.Class{Kind: errclass.Nil}, "errNil"},
		{errclass.Class{Kind: errclass.Ctx, Param: 2}, "errCtx(2)"},
		{errclass.Class{Kind: errclass.Sentinel, Sentinels: []string{"io.EOF", "net.ErrClosed"}}, "errSentinel(io.EOF,net.ErrClosed)"},
		{errclass.Class{Kind: errclass.Logged}, "errLogged"},
	} {
		if got := tc.c.String(); got != tc.want {
			t.Errorf("String = %q, want %q", got, tc.want)
		}
	}
}
