// Package typeerror does not type-check. bench/run checks that conclint fails on it with an error that
// names the file and the type error, standalone and under go vet -vettool.
package typeerror

var N int = "not an int"
