// Command floor-ssa is the multichecker over an analyzer that only builds SSA, measured by bench/run.
package main

import (
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/conclint/conclint/bench/internal/floor"
)

func main() { multichecker.Main(floor.SSA) }
