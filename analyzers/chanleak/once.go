package chanleak

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

// onceDepth bounds the callers followed up to main or init to decide that a function runs at most once
// per process.
const onceDepth = 3

// onceForProcess reports whether fn runs at most once per process, so that a goroutine its return leaves
// blocked is left behind at most once for the life of the process (tailscale's containerboot: run, called
// only from main, which exits right after). fn runs at most once when it is main.main or an init
// function; a function literal made outside the loops of a function that runs at most once, and not
// called, started or deferred in one of its loops, and handed to no other code than one that runs it
// once (errgroup's Go, sync.Once's Do, an AfterFunc: a literal passed to http.HandleFunc runs per
// request); or, in package main,
// a plain function never used as a value, called from one place in the package, outside loops, in a
// function that runs at most once (onceDepth callers up). A method is never counted: it may be called through an
// interface. Calls and uses in test code count only with -chanleak.tests.
func (c *checker) onceForProcess(fn *ssa.Function) bool {
	return c.once(fn, onceDepth)
}

func (c *checker) once(fn *ssa.Function, depth int) bool {
	if fn.Parent() != nil { // a function literal
		return c.madeOutsideLoops(fn) && c.once(fn.Parent(), depth)
	}
	decl, ok := fn.Syntax().(*ast.FuncDecl)
	if !ok || decl.Recv != nil || fn.Pkg == nil {
		return false // a method may be called through an interface, any number of times
	}
	main := fn.Pkg.Pkg.Name() == "main"
	if decl.Name.Name == "init" || decl.Name.Name == "main" && main {
		return true
	}
	obj, _ := fn.Object().(*types.Func)
	if depth == 0 || obj == nil || !main || c.usedAsValue(obj) {
		return false // another package may call it, or a function value: its calls cannot be counted
	}
	var sites []ssa.CallInstruction
	for _, call := range c.form.CallSites(fn) {
		if c.tests || !c.isTestCode(call.Pos()) {
			sites = append(sites, call) // by default a test's calls are not counted: its leaks are not reported
		}
	}
	if len(sites) != 1 {
		return false // never called (or only from another package's tests), or called twice
	}
	return !c.inLoop(sites[0]) && c.once(sites[0].Parent(), depth-1)
}

// madeOutsideLoops reports whether the function literal lit is made, and called, started or deferred
// directly, only outside loops.
func (c *checker) madeOutsideLoops(lit *ssa.Function) bool {
	refs := lit.Referrers()
	if refs == nil {
		return true
	}
	for _, ref := range *refs {
		if c.inLoop(ref) {
			return false
		}
		if mc, ok := ref.(*ssa.MakeClosure); ok {
			if mc.Referrers() != nil && !c.usedOnce(mc, *mc.Referrers()) {
				return false
			}
			continue
		}
		if !c.usedOnce(lit, []ssa.Instruction{ref}) {
			return false // a literal without free variables is its own value
		}
	}
	return true
}

// usedOnce reports whether the uses of v, a function literal's value, run it at most once each: a call,
// go or defer of v outside loops, or a call that hands v to code that runs it once (see runsOnce).
// Stored, converted or handed to anything else (http.HandleFunc), it may run any number of times.
func (c *checker) usedOnce(v ssa.Value, uses []ssa.Instruction) bool {
	for _, use := range uses {
		call, ok := use.(ssa.CallInstruction)
		switch {
		case !ok:
			return false
		case call.Common().Value == v:
			if c.inLoop(use) {
				return false // called in a loop
			}
		case !runsOnce(call.Common()) || c.inLoop(use):
			return false
		}
	}
	return true
}

// runsOnce reports whether the call runs the function it is given once at most: errgroup's and
// WaitGroup's Go, sync.Once's Do, and the AfterFuncs of time and context.
func runsOnce(c *ssa.CallCommon) bool {
	fn := ssaform.Callee(c)
	return syncapi.IsMethod(fn, syncapi.ErrgroupPath, "Group", "Go") ||
		syncapi.IsMethod(fn, "sync", "WaitGroup", "Go") || syncapi.IsMethod(fn, "sync", "Once", "Do") ||
		syncapi.IsFunc(fn, "time", "AfterFunc") || syncapi.IsFunc(fn, "context", "AfterFunc")
}

// inLoop reports whether instr lies on a cycle of its function.
func (c *checker) inLoop(instr ssa.Instruction) bool {
	fn := instr.Parent()
	if c.loops == nil {
		c.loops = make(map[*ssa.Function]map[*ssa.BasicBlock]bool)
	}
	loops, ok := c.loops[fn]
	if !ok {
		loops = ssaform.LoopBlocks(fn)
		c.loops[fn] = loops
	}
	return loops[instr.Block()]
}

// usedAsValue reports whether the package function obj is named anywhere other than as the function of
// a call: passed, stored or assigned, it may be called any number of times.
func (c *checker) usedAsValue(obj *types.Func) bool {
	if c.values == nil {
		c.values = make(map[*types.Func]bool)
		called := make(map[*ast.Ident]bool)
		for n := range c.in.Root().Preorder((*ast.CallExpr)(nil)) {
			if id, ok := ast.Unparen(n.Node().(*ast.CallExpr).Fun).(*ast.Ident); ok {
				called[id] = true
			}
		}
		for id, o := range c.pass.TypesInfo.Uses {
			if f, ok := o.(*types.Func); ok && !called[id] && (c.tests || !c.isTestCode(id.Pos())) {
				c.values[f] = true
			}
		}
	}
	return c.values[obj]
}

func (c *checker) isTestCode(pos token.Pos) bool {
	return syntax.IsTestCode(c.pass.Fset, c.pass.Pkg.Path(), c.pass.Pkg.Name(), pos)
}
