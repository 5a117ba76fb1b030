// Command gendocs rewrites the generated block of each docs/analyzers/<name>.md page from the analyzer's Doc
// and flags. Run it through "go generate ./analyzers"; TestDocs in package analyzers fails when a page is
// out of date.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/conclint/conclint/analyzers"
	"github.com/conclint/conclint/internal/analyzerdoc"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gendocs <docs/analyzers directory>")
		os.Exit(2)
	}
	for _, a := range analyzers.Own() {
		path := filepath.Join(os.Args[1], a.Name+".md")
		page, err := os.ReadFile(path)
		if os.IsNotExist(err) {
			page = []byte(analyzerdoc.BeginMarker + "\n" + analyzerdoc.EndMarker + "\n")
		} else if err != nil {
			fail(err)
		}
		updated, err := analyzerdoc.Replace(string(page), analyzerdoc.Render(a))
		if err != nil {
			fail(fmt.Errorf("%s: %v", path, err))
		}
		if err := os.WriteFile(path, []byte(updated), 0o644); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gendocs:", err)
	os.Exit(1)
}
