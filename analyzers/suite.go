// Package analyzers is conclint's registry: its own analyzers and the upstream concurrency passes it bundles.
// Adding an analyzer is one line in Own, plus its package, fixtures and docs page.
package analyzers

//go:generate go run ../internal/gendocs ../docs/analyzers

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/atomic"
	"golang.org/x/tools/go/analysis/passes/copylock"
	"golang.org/x/tools/go/analysis/passes/loopclosure"
	"golang.org/x/tools/go/analysis/passes/lostcancel"
	"golang.org/x/tools/go/analysis/passes/testinggoroutine"
	"golang.org/x/tools/go/analysis/passes/waitgroup"
	"honnef.co/go/tools/staticcheck/sa1012"
	"honnef.co/go/tools/staticcheck/sa1015"
	"honnef.co/go/tools/staticcheck/sa1017"
	"honnef.co/go/tools/staticcheck/sa1025"
	"honnef.co/go/tools/staticcheck/sa1027"
	"honnef.co/go/tools/staticcheck/sa1029"
	"honnef.co/go/tools/staticcheck/sa2000"
	"honnef.co/go/tools/staticcheck/sa2001"
	"honnef.co/go/tools/staticcheck/sa2002"
	"honnef.co/go/tools/staticcheck/sa2003"
	"honnef.co/go/tools/staticcheck/sa5002"
	"honnef.co/go/tools/staticcheck/sa5004"
	"honnef.co/go/tools/staticcheck/sa6002"

	"github.com/conclint/conclint/analyzers/chanleak"
	"github.com/conclint/conclint/analyzers/closemisuse"
	"github.com/conclint/conclint/analyzers/doublelock"
	"github.com/conclint/conclint/analyzers/goroutineerr"
	"github.com/conclint/conclint/analyzers/ignoredirective"
	"github.com/conclint/conclint/analyzers/lockblock"
	"github.com/conclint/conclint/analyzers/lockorder"
	"github.com/conclint/conclint/analyzers/lostunlock"
	"github.com/conclint/conclint/analyzers/orphangoroutine"
	"github.com/conclint/conclint/analyzers/sharedcounter"
	"github.com/conclint/conclint/analyzers/wgmisuse"
)

// Own returns conclint's own analyzers.
func Own() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		chanleak.Analyzer,
		closemisuse.Analyzer,
		doublelock.Analyzer,
		goroutineerr.Analyzer,
		ignoredirective.Analyzer,
		lockblock.Analyzer,
		lockorder.Analyzer,
		lostunlock.Analyzer,
		orphangoroutine.Analyzer,
		sharedcounter.Analyzer,
		wgmisuse.Analyzer,
	}
}

// Bundled returns the upstream passes whose subject is concurrency, run by the conclint binary next to its
// own; docs/bundled.md says why each is there.
func Bundled() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		// go vet (golang.org/x/tools)
		atomic.Analyzer,
		copylock.Analyzer,
		loopclosure.Analyzer,
		lostcancel.Analyzer,
		testinggoroutine.Analyzer,
		waitgroup.Analyzer,
		// staticcheck (honnef.co/go/tools)
		sa1012.Analyzer,
		sa1015.Analyzer,
		sa1017.Analyzer,
		sa1025.Analyzer,
		sa1027.Analyzer,
		sa1029.Analyzer,
		sa2000.Analyzer,
		sa2001.Analyzer,
		sa2002.Analyzer,
		sa2003.Analyzer,
		sa5002.Analyzer,
		sa5004.Analyzer,
		sa6002.Analyzer,
	}
}

// Suite returns every analyzer of the conclint binary: Own, then Bundled.
func Suite() []*analysis.Analyzer {
	return append(Own(), Bundled()...)
}
