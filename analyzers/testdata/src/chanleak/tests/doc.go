// Package tests holds leaks in test files, checked with -chanleak.tests=true.
package tests
