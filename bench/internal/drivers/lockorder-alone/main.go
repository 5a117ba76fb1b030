// Command lockorder-alone is the multichecker over the lockorder analyzer only, measured by bench/run: its
// cost above the lock engine's floor is what the lock-order graph costs.
package main

import (
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/conclint/conclint/analyzers/lockorder"
)

func main() { multichecker.Main(lockorder.Analyzer) }
