// Command conclint reports concurrency mistakes in Go code. Run it as "conclint ./..." or as
// "go vet -vettool=$(which conclint) ./...".
package main

import (
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/conclint/conclint/analyzers"
)

func main() { multichecker.Main(analyzers.Suite()...) }
