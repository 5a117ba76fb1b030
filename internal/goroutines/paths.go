package goroutines

import (
	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syncapi"
)

// PathToReturn searches the function of from for a path from just after from to a return that passes no
// instruction for which stop is true and takes no edge of stopEdges. It returns the return reached and
// the first instruction of selects passed on the way, or nil if every path to a return is stopped (or the
// function cannot return, as in an endless loop).
func PathToReturn(from ssa.Instruction, stop func(ssa.Instruction) bool, stopEdges map[Edge]bool, selects map[ssa.Instruction]bool) (ssa.Instruction, *ssa.Select) {
	type state struct {
		b   *ssa.BasicBlock
		via *ssa.Select
	}
	seen := make(map[state]bool)
	var scan func(b *ssa.BasicBlock, start int, via *ssa.Select) (ssa.Instruction, *ssa.Select)
	scan = func(b *ssa.BasicBlock, start int, via *ssa.Select) (ssa.Instruction, *ssa.Select) {
		for _, instr := range b.Instrs[start:] {
			if stop(instr) {
				return nil, nil
			}
			if sel, ok := instr.(*ssa.Select); ok && selects[instr] && via == nil {
				via = sel
			}
			if _, ok := instr.(*ssa.Return); ok {
				return instr, via
			}
		}
		for _, succ := range b.Succs {
			st := state{succ, via}
			if stopEdges[Edge{b, succ}] || seen[st] {
				continue
			}
			seen[st] = true
			if ret, v := scan(succ, 0, via); ret != nil {
				return ret, v
			}
		}
		return nil, nil
	}
	b := from.Block()
	for i, instr := range b.Instrs {
		if instr == from {
			return scan(b, i+1, nil)
		}
	}
	return nil, nil
}

// IsWait reports whether instr waits for goroutines: sync.WaitGroup.Wait or errgroup.Group.Wait.
func IsWait(instr ssa.Instruction) bool {
	call, ok := instr.(*ssa.Call)
	if !ok {
		return false
	}
	obj := ssaform.Callee(&call.Call)
	return syncapi.IsMethod(obj, "sync", "WaitGroup", "Wait") || syncapi.IsMethod(obj, syncapi.ErrgroupPath, "Group", "Wait")
}

// MaxSends bounds the number of sends among ops that one run of a goroutine body can perform: 1 when none
// can follow another (each ends its path), len(ops) when they can but none is in a loop, and -1 (unbounded)
// otherwise.
func MaxSends(ops []*Op) int {
	for _, o := range ops {
		if o.InLoop {
			return -1
		}
	}
	for _, a := range ops {
		for _, b := range ops {
			if a != b && (a.Instr.Parent() != b.Instr.Parent() || ssaform.Reaches(a.Instr, b.Instr)) {
				return len(ops)
			}
		}
	}
	return min(len(ops), 1)
}

// IsNoReturn reports whether instr is a call after which the function does not return normally.
func IsNoReturn(instr ssa.Instruction) bool {
	call, ok := instr.(*ssa.Call)
	return ok && ssaform.NoReturn(&call.Call)
}
