// Command floor-lockengine is the multichecker over floor.LockEngine, measured by bench/run.
package main

import (
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/conclint/conclint/bench/internal/floor"
)

func main() { multichecker.Main(floor.LockEngine) }
