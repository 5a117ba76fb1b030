// Package bench is conclint's benchmark on real code: bench/run (cmd/benchrun) runs conclint, go vet and
// staticcheck over the modules of corpus.txt, and analyzers_bench_test.go measures each analyzer with
// go test -bench. It is its own module, so that the corpus stays out of conclint's go.mod and ./... .
// See README.md.
package bench
