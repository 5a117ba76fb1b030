// Package badtest loads, but its test imports a package that no module provides.
package badtest
