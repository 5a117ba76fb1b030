package syntax

import (
	"go/token"
	"testing"
)

func TestShortPos(t *testing.T) {
	fset := token.NewFileSet()
	f := fset.AddFile("/src/example.com/p/server.go", -1, 100)
	f.SetLinesForContent([]byte("package p\n\nfunc f() {}\n"))
	if got, want := ShortPos(fset, f.Pos(12)), "server.go:3"; got != want {
		t.Errorf("ShortPos = %q, want %q", got, want)
	}
}
