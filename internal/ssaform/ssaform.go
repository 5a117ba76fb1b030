// Package ssaform provides the one SSA form of a package, built at most once per package and shared by every
// engine that needs SSA (the goroutines and lockset engines, goroutineerr), with the mapping from SSA
// functions and instructions back to the syntax they were built from. It has no facts, so it runs only on
// the packages being checked, and it builds SSA lazily: a package whose engines need none (no goroutine, no
// lock) costs nothing. It reports nothing.
package ssaform

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"sync"

	"github.com/conclint/conclint/internal/syncapi"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// Analyzer provides the package's SSA form. It reports nothing.
var Analyzer = &analysis.Analyzer{
	Name:       "conclint_ssaform",
	Doc:        "build the SSA form of a package once for every engine that needs it; reports nothing",
	URL:        "https://github.com/conclint/conclint/blob/main/docs/CONTRIBUTING.md#5-facts-and-engines",
	Run:        run,
	ResultType: reflect.TypeFor[*Form](),
}

// Form is the SSA form of one package. Its methods are safe for concurrent use; the first that needs SSA
// builds it.
type Form struct {
	fset  *token.FileSet
	files []*ast.File
	pkg   *types.Package
	info  *types.Info

	once   sync.Once
	funcs  []*ssa.Function
	byNode map[ast.Node]*ssa.Function

	nodesOnce sync.Once
	nodes     map[token.Pos]ast.Node

	sitesOnce sync.Once
	sites     map[*ssa.Function][]ssa.CallInstruction
}

func run(pass *analysis.Pass) (any, error) {
	return &Form{fset: pass.Fset, files: pass.Files, pkg: pass.Pkg, info: pass.TypesInfo}, nil
}

// Funcs returns the package's source functions, each followed by its function literals (depth first), in
// source order. Functions of generic declarations are their generic bodies.
func (f *Form) Funcs() []*ssa.Function {
	f.build()
	return f.funcs
}

// Func returns the SSA function built from a *ast.FuncDecl or *ast.FuncLit of the package, or nil.
func (f *Form) Func(n ast.Node) *ssa.Function {
	f.build()
	return f.byNode[n]
}

func (f *Form) build() {
	f.once.Do(func() {
		prog := ssa.NewProgram(f.fset, 0)
		for _, p := range f.pkg.Imports() {
			prog.CreatePackage(p, nil, nil, true)
		}
		pkg := prog.CreatePackage(f.pkg, f.files, f.info, false)
		pkg.Build()
		f.byNode = make(map[ast.Node]*ssa.Function)
		var add func(fn *ssa.Function)
		add = func(fn *ssa.Function) {
			f.funcs = append(f.funcs, fn)
			if syn := fn.Syntax(); syn != nil {
				f.byNode[syn] = fn
			}
			for _, anon := range fn.AnonFuncs {
				add(anon)
			}
		}
		for _, file := range f.files {
			for _, decl := range file.Decls {
				if d, ok := decl.(*ast.FuncDecl); ok {
					if obj, ok := f.info.Defs[d.Name].(*types.Func); ok {
						if fn := prog.FuncValue(obj); fn != nil {
							add(fn)
						}
					}
				}
			}
		}
	})
}

// Node returns the syntax an instruction was built from, found by the position go/ssa gives it: the
// *ast.CallExpr of a call (at its Lparen), the *ast.GoStmt of a go, the *ast.DeferStmt of a defer, the
// *ast.SendStmt of a send, the *ast.UnaryExpr of a receive, the *ast.SelectStmt of a select, the
// *ast.RangeStmt whose for keyword positions the receive of a range over a channel, the *ast.ReturnStmt of
// a return, the *ast.FuncLit of a closure. It returns nil for an instruction without such syntax.
func (f *Form) Node(instr ssa.Instruction) ast.Node { return f.NodeAt(instr.Pos()) }

// CallSites returns the calls, go statements and defers of the package's functions whose static callee is
// fn, in the order of Funcs; the index is built at the first call.
func (f *Form) CallSites(fn *ssa.Function) []ssa.CallInstruction {
	f.sitesOnce.Do(func() {
		f.sites = make(map[*ssa.Function][]ssa.CallInstruction)
		for _, caller := range f.Funcs() {
			for _, b := range caller.Blocks {
				for _, instr := range b.Instrs {
					if call, ok := instr.(ssa.CallInstruction); ok {
						if callee := call.Common().StaticCallee(); callee != nil {
							f.sites[callee] = append(f.sites[callee], call)
						}
					}
				}
			}
		}
	})
	return f.sites[fn]
}

// NodeAt returns the syntax positioned at pos in the sense of Node, or nil.
func (f *Form) NodeAt(pos token.Pos) ast.Node {
	if !pos.IsValid() {
		return nil
	}
	f.nodesOnce.Do(f.indexNodes)
	return f.nodes[pos]
}

// indexNodes maps the token at which go/ssa positions instructions to the syntax it belongs to.
func (f *Form) indexNodes() {
	f.nodes = make(map[token.Pos]ast.Node)
	for _, file := range f.files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				f.nodes[n.Lparen] = n
			case *ast.GoStmt:
				f.nodes[n.Go] = n
			case *ast.DeferStmt:
				f.nodes[n.Defer] = n
			case *ast.SendStmt:
				f.nodes[n.Arrow] = n
			case *ast.UnaryExpr:
				if n.Op == token.ARROW {
					f.nodes[n.OpPos] = n
				}
			case *ast.SelectStmt:
				f.nodes[n.Select] = n
			case *ast.RangeStmt:
				f.nodes[n.For] = n
			case *ast.ReturnStmt:
				f.nodes[n.Return] = n
			case *ast.FuncLit:
				f.nodes[n.Type.Func] = n
			}
			return true
		})
	}
}

// Callee returns the function a call statically calls, as a types object (the generic origin for an
// instance), or nil for a dynamic call, a builtin or a synthetic wrapper.
func Callee(c *ssa.CallCommon) *types.Func {
	fn := c.StaticCallee()
	if fn == nil {
		return nil
	}
	obj, _ := fn.Object().(*types.Func)
	return obj
}

// LoopBlocks returns the blocks of fn that lie on a cycle: the blocks of a strongly connected component
// of more than one block, and the blocks that jump to themselves. It is linear in the size of fn (Tarjan's
// algorithm, iterative, so a function of thousands of blocks costs neither stack nor a walk per block).
func LoopBlocks(fn *ssa.Function) map[*ssa.BasicBlock]bool {
	n := len(fn.Blocks)
	index := make([]int, n) // 0: not visited yet; else the visit order, from 1
	low := make([]int, n)
	onStack := make([]bool, n)
	var stack []int
	type frame struct{ b, next int } // a block and the index of its next successor to visit
	out := make(map[*ssa.BasicBlock]bool)
	order := 0
	for root := range fn.Blocks {
		if index[root] != 0 {
			continue
		}
		order++
		index[root], low[root] = order, order
		stack, onStack[root] = append(stack, root), true
		calls := []frame{{b: root}}
		for len(calls) > 0 {
			top := &calls[len(calls)-1]
			b := top.b
			if succs := fn.Blocks[b].Succs; top.next < len(succs) {
				s := succs[top.next].Index
				top.next++
				switch {
				case s == b:
					out[fn.Blocks[b]] = true
				case index[s] == 0:
					order++
					index[s], low[s] = order, order
					stack, onStack[s] = append(stack, s), true
					calls = append(calls, frame{b: s})
				case onStack[s]:
					low[b] = min(low[b], index[s])
				}
				continue
			}
			calls = calls[:len(calls)-1]
			if len(calls) > 0 {
				parent := calls[len(calls)-1].b
				low[parent] = min(low[parent], low[b])
			}
			if low[b] != index[b] {
				continue
			}
			// b is the root of a component: pop it.
			i := len(stack) - 1
			for stack[i] != b {
				i--
			}
			if len(stack)-i > 1 {
				for _, x := range stack[i:] {
					out[fn.Blocks[x]] = true
				}
			}
			for _, x := range stack[i:] {
				onStack[x] = false
			}
			stack = stack[:i]
		}
	}
	return out
}

// FuncName returns the name of fn as messages give it: its name, or "the function literal in F" for a
// closure, F being the declared function that contains it (never SSA's F$1).
func FuncName(fn *ssa.Function) string {
	if fn.Parent() == nil {
		return fn.Name()
	}
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return "the function literal in " + fn.Name()
}

// Reaches reports whether to can execute after from in their common function.
func Reaches(from, to ssa.Instruction) bool {
	if from.Parent() != to.Parent() {
		return false
	}
	b := from.Block()
	after := false
	for _, instr := range b.Instrs {
		if after && instr == to {
			return true
		}
		if instr == from {
			after = true
		}
	}
	seen := make(map[*ssa.BasicBlock]bool)
	work := append([]*ssa.BasicBlock(nil), b.Succs...)
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[x] {
			continue
		}
		seen[x] = true
		if x == to.Block() {
			return true
		}
		work = append(work, x.Succs...)
	}
	return false
}

// IsMain reports whether fn is the main function of a command: main.main, not a closure in it.
func IsMain(fn *ssa.Function) bool {
	obj, _ := fn.Object().(*types.Func)
	return obj != nil && obj.Name() == "main" && obj.Signature().Recv() == nil && obj.Pkg() != nil && obj.Pkg().Name() == "main"
}

// Dominates reports whether every path from the entry of their function to b goes through a first:
// a's block dominates b's, and within one block a comes first.
func Dominates(a, b ssa.Instruction) bool {
	ba, bb := a.Block(), b.Block()
	if ba == nil || bb == nil || ba.Parent() != bb.Parent() {
		return false
	}
	if ba != bb {
		return ba.Dominates(bb)
	}
	for _, instr := range ba.Instrs {
		switch instr {
		case a:
			return true
		case b:
			return false
		}
	}
	return false
}

// NoReturn reports whether the call ends the path: its callee never returns (syncapi.NoReturn), or it
// sends a zerolog fatal event (log.Fatal().Err(err).Msg("...")).
func NoReturn(c *ssa.CallCommon) bool {
	fn := Callee(c)
	if syncapi.NoReturn(fn) {
		return true
	}
	if !syncapi.ZerologSend(fn) || len(c.Args) == 0 {
		return false
	}
	for v := c.Args[0]; ; {
		call, ok := v.(*ssa.Call)
		if !ok {
			return false
		}
		start, chain := syncapi.ZerologFatal(Callee(call.Common()))
		switch {
		case start:
			return true
		case !chain || len(call.Call.Args) == 0:
			return false
		}
		v = call.Call.Args[0]
	}
}
