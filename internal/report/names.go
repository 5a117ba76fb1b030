package report

import "slices"

// ownNames lists conclint's own analyzers: the names a //conclint:ignore directive may silence. The registry
// test in package analyzers keeps it equal to analyzers.Own(); package analyzers cannot be imported here
// because the analyzers themselves import this package.
var ownNames = []string{
	"chanleak",
	"closemisuse",
	"doublelock",
	"goroutineerr",
	"ignoredirective",
	"lockblock",
	"lockorder",
	"lostunlock",
	"orphangoroutine",
	"sharedcounter",
	"wgmisuse",
}

// bundledNames lists the upstream passes bundled in the conclint binary. //conclint:ignore cannot silence
// them, and saying so is more useful than calling them unknown. Kept equal to analyzers.Bundled() by test.
var bundledNames = []string{
	"atomic", "copylocks", "loopclosure", "lostcancel", "testinggoroutine", "waitgroup",
	"SA1012", "SA1015", "SA1017", "SA1025", "SA1027", "SA1029",
	"SA2000", "SA2001", "SA2002", "SA2003", "SA5002", "SA5004", "SA6002",
}

// OwnNames returns the names of conclint's own analyzers, sorted.
func OwnNames() []string { return slices.Sorted(slices.Values(ownNames)) }

// BundledNames returns the names of the bundled upstream passes, sorted.
func BundledNames() []string { return slices.Sorted(slices.Values(bundledNames)) }

// IsOwn reports whether name is one of conclint's own analyzers.
func IsOwn(name string) bool { return slices.Contains(ownNames, name) }

// IsBundled reports whether name is a bundled upstream pass.
func IsBundled(name string) bool { return slices.Contains(bundledNames, name) }
