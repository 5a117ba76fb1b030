// Package ok loads, and so does its test.
package ok
