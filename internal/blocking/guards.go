package blocking

import (
	"go/ast"
	"go/types"
	"slices"

	"github.com/conclint/conclint/internal/boolguard"
)

// Guards: a bool parameter that must be true for an operation to run (see boolguard), as in
//
//	func (c *conn) maybeFlush(doFlush bool) { if doFlush { c.flushOutbound() } }
//
// A function whose every blocking operation needs the same parameter true blocks only when its caller
// passes a value that may be true: a call with the constant false does not block.

// guardsOf returns the guards of op, an operation of the function whose guards are gs: the parameters
// that must be true (or, negated, false) for it to run: those around it, and, for a call whose callee
// blocks only when a parameter is on, the caller's own parameter passed there. It returns ok false when
// op cannot block at all: it leaves the callee's guard off (boolguard.Off).
func guardsOf(info *types.Info, gs *boolguard.Guards, op Op, callee *MayBlock) (params []boolguard.Guard, ok bool) {
	params = gs.At(op.Node)
	if callee == nil {
		return params, true
	}
	p, guarded := callee.Guard.Param()
	if !guarded {
		return params, true
	}
	call := op.Node.(*ast.CallExpr)
	arg := boolguard.Arg(info, call, p)
	switch {
	case arg == nil:
	case boolguard.Off(info, call, callee.Guard):
		return params, false
	default:
		if q, passed := gs.Passed(info, arg); passed && !slices.Contains(params, callee.Guard.For(q)) {
			params = append(params, callee.Guard.For(q))
		}
	}
	return params, true
}

// Blocks returns the fact of the callee of op, a static call, or nil if that call cannot block: the
// callee is not known to block, or blocks only when an argument is true and the call passes the constant
// false.
func (r *Result) Blocks(op Op) *MayBlock {
	mb := r.MayBlock(op.Callee)
	if call, ok := op.Node.(*ast.CallExpr); ok && mb != nil && boolguard.Off(r.pass.TypesInfo, call, mb.Guard) {
		return nil
	}
	return mb
}
