package closemisuse

import (
	"fmt"

	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/goroutines"
)

var sprintf = fmt.Sprintf

// reaches reports whether to can run after from in their function on a path that does not pass avoid
// (the make of the channel: past it, the variable holds a new channel).
func reaches(from, to, avoid ssa.Instruction) bool {
	return reachesIf(from, to, func(instr ssa.Instruction) bool { return instr == avoid })
}

// reachesIf is reaches with a predicate for the instructions to avoid.
func reachesIf(from, to ssa.Instruction, avoid func(ssa.Instruction) bool) bool {
	found := false
	walk(from, func(instr ssa.Instruction) walkStep {
		switch {
		case instr == to:
			found = true
			return stopAll
		case avoid(instr):
			return stopPath
		}
		return next
	})
	return found
}

// inevitable reports whether every path from just after from reaches to before it returns, without
// passing avoid and without a loop that holds to but can go round without reaching it. Paths that end in
// a panic or a call that does not return do not count.
func inevitable(from, to, avoid ssa.Instruction) bool {
	return inevitableIf(from, to, func(instr ssa.Instruction) bool { return instr == avoid })
}

// inevitableIf is inevitable with a predicate for the instructions to avoid. A nil from means the entry
// of to's function.
func inevitableIf(from, to ssa.Instruction, avoid func(ssa.Instruction) bool) bool {
	found := false
	onPath := make(map[*ssa.BasicBlock]bool)
	done := make(map[*ssa.BasicBlock]bool)
	var visit func(b *ssa.BasicBlock, start int) bool // false: a path avoids to
	visit = func(b *ssa.BasicBlock, start int) bool {
		for _, instr := range b.Instrs[start:] {
			if _, ok := instr.(*ssa.Return); ok {
				return false
			}
			switch {
			case instr == to:
				found = true
				return true
			case avoid(instr), instr == from:
				return false // the channel is made anew, or the path came round to from
			case goroutines.IsNoReturn(instr):
				return true
			}
		}
		for _, succ := range b.Succs {
			if onPath[succ] {
				if blockReaches(to.Block(), succ) {
					return false // a loop that can go round without reaching to, which lies in it
				}
				continue // a loop that to follows: the path leaves it to reach to
			}
			if done[succ] {
				continue
			}
			onPath[succ] = true
			if !visit(succ, 0) {
				return false
			}
			onPath[succ] = false
			done[succ] = true
		}
		return true
	}
	if from == nil {
		entry := to.Parent().Blocks[0]
		onPath[entry] = true
		return visit(entry, 0) && found
	}
	b := from.Block()
	for i, instr := range b.Instrs {
		if instr == from {
			return visit(b, i+1) && found
		}
	}
	return false
}

type walkStep int

const (
	next     walkStep = iota
	stopPath          // do not look past this instruction on this path
	stopAll           // end the walk
)

// walk visits the instructions that can run after from in its function, each block once, in path order
// within a block, until visit stops the path or the walk.
func walk(from ssa.Instruction, visit func(ssa.Instruction) walkStep) {
	seen := make(map[*ssa.BasicBlock]bool)
	var scan func(b *ssa.BasicBlock, start int) bool
	scan = func(b *ssa.BasicBlock, start int) bool {
		for _, instr := range b.Instrs[start:] {
			switch visit(instr) {
			case stopAll:
				return false
			case stopPath:
				return true
			}
		}
		for _, succ := range b.Succs {
			if seen[succ] {
				continue
			}
			seen[succ] = true
			if !scan(succ, 0) {
				return false
			}
		}
		return true
	}
	b := from.Block()
	for i, instr := range b.Instrs {
		if instr == from {
			scan(b, i+1)
			return
		}
	}
}

// blockReaches reports whether a path leads from block a to block b (a itself included).
func blockReaches(a, b *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{a: true}
	work := []*ssa.BasicBlock{a}
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if x == b {
			return true
		}
		for _, s := range x.Succs {
			if !seen[s] {
				seen[s] = true
				work = append(work, s)
			}
		}
	}
	return false
}
