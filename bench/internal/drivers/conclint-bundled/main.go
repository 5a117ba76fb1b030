// Command conclint-bundled is the multichecker over the upstream passes conclint bundles, measured by bench/run.
package main

import (
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/conclint/conclint/analyzers"
)

func main() { multichecker.Main(analyzers.Bundled()...) }
