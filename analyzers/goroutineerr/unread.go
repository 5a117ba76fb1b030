package goroutineerr

import (
	"go/ast"

	"golang.org/x/tools/go/ssa"
)

// unread reports whether result idx of call, made in the function literal lit, is never used: on SSA, the
// value has no referrer but phis that lead to no other referrer. A variable captured by a closure or whose
// address is taken is stored, which counts as a use.
func (c *checker) unread(lit *ast.FuncLit, call *ast.CallExpr, idx int) bool {
	fn := c.ssa.Func(lit)
	if fn == nil {
		return false // a literal in a generic function, which go/ssa does not build
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(*ssa.Call)
			if !ok || ci.Pos() != call.Lparen {
				continue
			}
			if ci.Call.Signature().Results().Len() == 1 {
				return !used(ci, make(map[ssa.Value]bool))
			}
			for _, ref := range *ci.Referrers() {
				if ext, ok := ref.(*ssa.Extract); ok && ext.Index == idx && used(ext, make(map[ssa.Value]bool)) {
					return false
				}
			}
			return true
		}
	}
	return false // the call was not found: stay silent
}

// used reports whether v reaches an instruction other than a phi or a debug reference.
func used(v ssa.Value, seen map[ssa.Value]bool) bool {
	if seen[v] {
		return false
	}
	seen[v] = true
	for _, ref := range *v.Referrers() {
		switch ref := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.Phi:
			if used(ref, seen) {
				return true
			}
		default:
			return true
		}
	}
	return false
}
