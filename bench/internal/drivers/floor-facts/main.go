// Command floor-facts is the multichecker over an analyzer that does nothing but loads for facts, measured by bench/run.
package main

import (
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/conclint/conclint/bench/internal/floor"
)

func main() { multichecker.Main(floor.Facts) }
