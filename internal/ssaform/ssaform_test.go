package ssaform

import (
	"math/rand/v2"
	"testing"

	"golang.org/x/tools/go/ssa"
)

// onCycle is the definition LoopBlocks implements, computed the slow way: b lies on a cycle if a walk
// from its successors comes back to it.
func onCycle(b *ssa.BasicBlock) bool {
	seen := make(map[*ssa.BasicBlock]bool)
	work := append([]*ssa.BasicBlock(nil), b.Succs...)
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if x == b {
			return true
		}
		if !seen[x] {
			seen[x] = true
			work = append(work, x.Succs...)
		}
	}
	return false
}

// randomFunc returns a function of n blocks whose edges are drawn at random: mostly forward jumps, as
// structured code has, some back edges and self-loops, and blocks no edge reaches.
func randomFunc(r *rand.Rand, n int) *ssa.Function {
	fn := new(ssa.Function)
	for i := range n {
		fn.Blocks = append(fn.Blocks, &ssa.BasicBlock{Index: i})
	}
	for i, b := range fn.Blocks {
		for range r.IntN(3) {
			var j int
			switch k := r.IntN(10); {
			case k < 6 && i+1 < n:
				j = i + 1 + r.IntN(n-i-1)
			case k < 9:
				j = r.IntN(i + 1)
			default:
				j = i
			}
			b.Succs = append(b.Succs, fn.Blocks[j])
		}
	}
	return fn
}

func TestLoopBlocks(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 500 {
		fn := randomFunc(r, 1+r.IntN(40))
		got := LoopBlocks(fn)
		for _, b := range fn.Blocks {
			if want := onCycle(b); got[b] != want {
				t.Fatalf("trial %d: block %d of %d: LoopBlocks says %v, a walk says %v", trial, b.Index, len(fn.Blocks), got[b], want)
			}
		}
	}
}

// A long chain closed by one back edge is one cycle: every block is on it, found without deep recursion.
func TestLoopBlocksLongCycle(t *testing.T) {
	const n = 200000
	fn := new(ssa.Function)
	for i := range n {
		fn.Blocks = append(fn.Blocks, &ssa.BasicBlock{Index: i})
	}
	for i := range n - 1 {
		fn.Blocks[i].Succs = []*ssa.BasicBlock{fn.Blocks[i+1]}
	}
	fn.Blocks[n-1].Succs = []*ssa.BasicBlock{fn.Blocks[1]}
	got := LoopBlocks(fn)
	if got[fn.Blocks[0]] || len(got) != n-1 {
		t.Errorf("LoopBlocks of a chain 0→1→…→%d→1: %d blocks, block 0 included: %v; want blocks 1..%d", n-1, len(got), got[fn.Blocks[0]], n-1)
	}
}
