package lockblock

import (
	"go/ast"
	"go/constant"
	"go/types"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/conclint/conclint/internal/assigns"
	"github.com/conclint/conclint/internal/blocking"
	"github.com/conclint/conclint/internal/syncapi"
)

// maxPacing is the longest constant sleep that counts as pacing: a rate limiter's or a device's delay
// between two calls, under a lock that serializes those calls.
const maxPacing = 100 * time.Millisecond

// A pacer decides whether a sleep is pacing: its duration is a constant of at most maxPacing, or a
// variable of the package that only ever holds such constants.
type pacer struct {
	pass    *analysis.Pass
	assigns *assigns.Result
}

func newPacer(pass *analysis.Pass) *pacer {
	return &pacer{pass: pass, assigns: pass.ResultOf[assigns.Analyzer].(*assigns.Result)}
}

// isPacing reports whether op is a sleep whose duration is at most maxPacing: a constant, or a
// constant-valued variable (see shortVar).
func (p *pacer) isPacing(op blocking.Op) bool {
	if op.Kind != syncapi.KindSleep {
		return false
	}
	var call *ast.CallExpr
	switch n := op.Node.(type) {
	case *ast.CallExpr:
		call = n
	case *ast.UnaryExpr:
		call, _ = ast.Unparen(n.X).(*ast.CallExpr)
	}
	if call == nil || len(call.Args) != 1 {
		return false
	}
	arg := call.Args[0]
	return p.shortConst(arg) || p.shortVar(arg)
}

// shortConst reports whether e is a constant duration no longer than maxPacing.
func (p *pacer) shortConst(e ast.Expr) bool {
	tv := p.pass.TypesInfo.Types[e]
	if tv.Value == nil {
		return false
	}
	d, ok := constant.Int64Val(constant.ToInt(tv.Value))
	return ok && d >= 0 && time.Duration(d) <= maxPacing
}

// shortVar reports whether e is a variable or a struct field (whatever the instance) that holds only
// constants no longer than maxPacing: declared in this package with var or := (or a field of a struct
// type of this package; not a parameter or a result, whose values come from elsewhere), unexported when
// another package could assign it (a package-level variable, a field), and every value assigned to it in
// the package known (see assigns.Site: its address never taken, not a range or type switch variable) and
// such a constant; or its zero value.
func (p *pacer) shortVar(e ast.Expr) bool {
	v := assigns.VarOf(p.pass.TypesInfo, e)
	if v == nil || v.Pkg() != p.pass.Pkg {
		return false
	}
	switch v.Kind() {
	case types.FieldVar, types.PackageVar:
		if v.Exported() {
			return false // another package may assign it
		}
	case types.LocalVar:
	default:
		return false // a parameter or a result
	}
	return p.assigns.Every(v, p.shortConst)
}
