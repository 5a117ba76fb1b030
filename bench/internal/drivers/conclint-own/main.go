// Command conclint-own is the multichecker over conclint's own analyzers, measured by bench/run.
package main

import (
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/conclint/conclint/analyzers"
)

func main() { multichecker.Main(analyzers.Own()...) }
