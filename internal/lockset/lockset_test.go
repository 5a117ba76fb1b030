package lockset_test

import (
	"fmt"
	"go/types"
	"path/filepath"
	"reflect"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/lockset"
	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syncapi"
)

// show reports, at each lock operation, the lock's class, whether it is the same instance as the previous
// operation's lock, and the must-held set before it; and at each return the locks still held.
var show = &analysis.Analyzer{
	Name:       "showlocks",
	Doc:        "report lockset's view of each lock operation, for tests",
	Requires:   []*analysis.Analyzer{lockset.Analyzer},
	ResultType: reflect.TypeFor[bool](),
	Run: func(pass *analysis.Pass) (any, error) {
		res := pass.ResultOf[lockset.Analyzer].(*lockset.Result)
		for _, f := range res.Funcs() {
			var prev *lockset.Op
			for _, op := range f.Ops {
				same := prev != nil && prev.ID.Same(op.ID)
				kind := map[syncapi.LockOp]string{syncapi.Lock: "Lock", syncapi.RLock: "RLock", syncapi.Unlock: "Unlock", syncapi.RUnlock: "RUnlock", syncapi.TryLock: "TryLock"}[op.Kind]
				if op.Deferred {
					kind = "defer " + kind
				}
				pass.Reportf(op.Instr.Pos(), "%s %s same=%v must=%s", kind, op.ID, same, names(op.Before.Must))
				prev = op
			}
			for _, e := range f.Exits {
				if e.Instr.Pos().IsValid() {
					pass.Reportf(e.Instr.Pos(), "return holding %s", names(e.After.Must))
				}
			}
		}
		return true, nil
	},
}

func names(hs []lockset.Held) string {
	out := "["
	for i, h := range hs {
		if i > 0 {
			out += " "
		}
		out += h.Name
		if h.Read {
			out += ":R"
		}
	}
	return fmt.Sprint(out, "]")
}

func TestIDs(t *testing.T) {
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, show, "ids")
}

// must reports, at each field address, lockset.IDOf's path and the locks MustAt says are held.
var must = &analysis.Analyzer{
	Name:       "showmust",
	Doc:        "report the must-held locks at each field address, for tests",
	Requires:   []*analysis.Analyzer{lockset.Analyzer, ssaform.Analyzer},
	ResultType: reflect.TypeFor[bool](),
	Run: func(pass *analysis.Pass) (any, error) {
		res := pass.ResultOf[lockset.Analyzer].(*lockset.Result)
		for _, fn := range pass.ResultOf[ssaform.Analyzer].(*ssaform.Form).Funcs() {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					fa, ok := instr.(*ssa.FieldAddr)
					if !ok || !fa.Pos().IsValid() {
						continue
					}
					id, ok := lockset.IDOf(fa)
					if !ok {
						continue
					}
					_, path := id.Root()
					st := fa.X.Type().Underlying().(*types.Pointer).Elem().Underlying().(*types.Struct)
					pass.Reportf(fa.Pos(), "%s path=%s must=%s", st.Field(fa.Field).Name(), path, names(res.MustAt(fa)))
				}
			}
		}
		return true, nil
	},
}

func TestMustAt(t *testing.T) {
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, must, "must")
}
