// Command conclint reports concurrency mistakes in Go code. Run it as "conclint ./..." or as
// "go vet -vettool=$(which conclint) ./..."; "conclint -h" says more.
package main

import (
	"github.com/conclint/conclint/analyzers"
	"github.com/conclint/conclint/internal/driver"
)

func main() { driver.Main(analyzers.Suite()...) }
