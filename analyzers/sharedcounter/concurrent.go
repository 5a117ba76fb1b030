package sharedcounter

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

// A program is the package's functions (source functions, their literals, and the synthetic wrappers they
// refer to, such as bound methods) with their static call sites, for the guarded-by kind.
type program struct {
	pkg    *types.Package
	fset   *token.FileSet
	isTest func(token.Pos) bool
	funcs  []*ssa.Function          // in order: source functions and literals first
	known  map[*ssa.Function]bool   // the members of funcs
	sites  map[*ssa.Function][]site // every use of a function of the package: call, defer, go or value
}

// A site is one use of a function: a static call (with the call's instruction and arguments), a defer, a
// goroutine start, or a value use (passed or stored as a function value).
type site struct {
	caller *ssa.Function
	kind   siteKind
	call   *ssa.Call   // for a call
	args   []ssa.Value // the arguments (receiver first), then the closure's bindings
	start  token.Pos   // for a goroutine start
}

type siteKind int

const (
	callSite  siteKind = iota // a static call
	goSite                    // a goroutine start: go f(), or a goroutine callback (errgroup, WaitGroup.Go)
	deferSite                 // a deferred call: it runs at the exit, with the locks held there
	valueSite                 // a function value: where and with which locks it runs is unknown
)

// newProgram collects the functions and their sites; starts in test code count only if tests is set.
func newProgram(pkg *types.Package, fset *token.FileSet, isTest func(token.Pos) bool, funcs []*ssa.Function, tests bool) *program {
	p := &program{pkg: pkg, fset: fset, isTest: isTest, known: make(map[*ssa.Function]bool), sites: make(map[*ssa.Function][]site)}
	var add func(fn *ssa.Function)
	add = func(fn *ssa.Function) {
		if fn == nil || p.known[fn] || len(fn.Blocks) == 0 {
			return
		}
		if fn.Synthetic != "" && !p.wraps(fn) {
			return
		}
		p.known[fn] = true
		p.funcs = append(p.funcs, fn)
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				for _, op := range instr.Operands(nil) {
					switch v := (*op).(type) {
					case *ssa.Function:
						add(v)
					case *ssa.MakeClosure:
						add(v.Fn.(*ssa.Function))
					}
				}
			}
		}
	}
	for _, fn := range funcs {
		add(fn)
	}
	for _, fn := range p.funcs {
		p.collectSites(fn, tests)
	}
	return p
}

// wraps reports whether a synthetic function is a wrapper of a function of the package (a bound method or
// a method expression's thunk), whose calls lead to it.
func (p *program) wraps(fn *ssa.Function) bool {
	obj, ok := fn.Object().(*types.Func)
	return ok && obj.Pkg() == p.pkg
}

// collectSites records the uses, in fn, of the package's functions. Test code is not the program: its
// uses are left out unless tests is set.
func (p *program) collectSites(fn *ssa.Function, tests bool) {
	if !tests && p.isTest(fn.Pos()) {
		return
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			var calleeOp *ssa.Value // the operand used as the callee: not a value use
			switch instr := instr.(type) {
			case *ssa.Call:
				common := instr.Common()
				if callee := p.target(common.Value); callee != nil {
					calleeOp = &common.Value
					p.sites[callee] = append(p.sites[callee], site{caller: fn, kind: callSite, call: instr, args: actuals(common)})
				}
				if syncapi.GoCallback(calleeObj(common)) != syncapi.NotStart && len(common.Args) == 2 {
					if cb := p.target(common.Args[1]); cb != nil {
						p.sites[cb] = append(p.sites[cb], site{caller: fn, kind: goSite, start: instr.Pos()})
					}
					continue // the callback's only use
				}
			case *ssa.Defer:
				if callee := p.target(instr.Call.Value); callee != nil {
					calleeOp = &instr.Call.Value
					p.sites[callee] = append(p.sites[callee], site{caller: fn, kind: deferSite})
				}
			case *ssa.Go:
				if callee := p.target(instr.Call.Value); callee != nil {
					calleeOp = &instr.Call.Value
					p.sites[callee] = append(p.sites[callee], site{caller: fn, kind: goSite, start: instr.Pos()})
				}
			case *ssa.MakeClosure:
				continue // the closure's uses are those of the MakeClosure value
			}
			for _, op := range instr.Operands(nil) {
				if op == calleeOp {
					continue
				}
				if callee := p.target(*op); callee != nil {
					p.sites[callee] = append(p.sites[callee], site{caller: fn, kind: valueSite})
				}
			}
		}
	}
}

// target returns the function of the package that v is (a function or a closure of one), or nil.
func (p *program) target(v ssa.Value) *ssa.Function {
	switch v := v.(type) {
	case *ssa.Function:
		if p.known[v] {
			return v
		}
		if o := v.Origin(); o != nil && p.known[o] {
			return o
		}
	case *ssa.MakeClosure:
		if fn := v.Fn.(*ssa.Function); p.known[fn] {
			return fn
		}
	}
	return nil
}

func calleeObj(c *ssa.CallCommon) types.Object {
	if c.IsInvoke() {
		return c.Method
	}
	if fn := c.StaticCallee(); fn != nil {
		return fn.Object()
	}
	return nil
}

// actuals returns a call's arguments (receiver first) followed by the closure's bindings, which match the
// callee's inputs.
func actuals(c *ssa.CallCommon) []ssa.Value {
	out := append([]ssa.Value(nil), c.Args...)
	if mc, ok := c.Value.(*ssa.MakeClosure); ok {
		out = append(out, mc.Bindings...)
	}
	return out
}

// inputs returns fn's parameters (receiver first) followed by its free variables.
func inputs(fn *ssa.Function) []ssa.Value {
	var out []ssa.Value
	for _, p := range fn.Params {
		out = append(out, p)
	}
	for _, fv := range fn.FreeVars {
		out = append(out, fv)
	}
	return out
}

// A why says why a function can run concurrently with other code of the package.
type why struct {
	start  token.Pos     // the goroutine start
	seed   *ssa.Function // the function started (or, for a method of a goroutine type, the method started)
	direct bool          // the function is the one started
	method *ssa.Function // for the exported method of a type one of whose methods runs in a goroutine
}

// concurrency returns the functions that run in goroutines the package starts, directly or through
// static calls, and the exported methods of the types one of whose methods does, and what they call.
func (p *program) concurrency() map[*ssa.Function]why {
	out := make(map[*ssa.Function]why)
	var work []*ssa.Function
	reach := func(fn *ssa.Function, w why) {
		if _, ok := out[fn]; ok {
			return
		}
		out[fn] = w
		work = append(work, fn)
	}
	drain := func() {
		for len(work) > 0 {
			fn := work[0]
			work = work[1:]
			w := out[fn]
			wrapper := fn.Synthetic != "" && w.seed == fn // a bound method or an instance started: its callee runs
			if !wrapper {
				w.direct = false
			}
			for _, callee := range p.callees(fn) {
				cw := w
				if wrapper {
					cw.seed = callee
				}
				reach(callee, cw)
			}
		}
	}
	for _, fn := range p.funcs {
		for _, s := range p.sites[fn] {
			if s.kind == goSite {
				reach(fn, why{start: s.start, seed: fn, direct: true})
				break
			}
		}
	}
	drain()
	// Exported methods of the types whose methods run in goroutines.
	types_ := make(map[*types.TypeName]why)
	for _, fn := range p.funcs {
		if w, ok := out[fn]; ok {
			if tn := recvType(fn); tn != nil {
				if _, seen := types_[tn]; !seen {
					types_[tn] = why{start: w.start, seed: fn}
				}
			}
		}
	}
	for _, fn := range p.funcs {
		tn := recvType(fn)
		if tn == nil || fn.Synthetic != "" || !fn.Object().Exported() {
			continue
		}
		if w, ok := types_[tn]; ok {
			reach(fn, why{start: w.start, seed: w.seed, method: fn})
		}
	}
	drain()
	return out
}

// callees returns the functions of the package that fn calls statically or defers.
func (p *program) callees(fn *ssa.Function) []*ssa.Function {
	var out []*ssa.Function
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(ssa.CallInstruction); ok {
				if _, isGo := instr.(*ssa.Go); !isGo {
					if callee := p.target(c.Common().Value); callee != nil {
						out = append(out, callee)
					}
				}
			}
		}
	}
	return out
}

// recvType returns the named type of a method's receiver, or nil.
func recvType(fn *ssa.Function) *types.TypeName {
	if fn.Signature.Recv() == nil || fn.Parent() != nil {
		return nil
	}
	t := types.Unalias(fn.Signature.Recv().Type())
	if ptr, ok := t.(*types.Pointer); ok {
		t = types.Unalias(ptr.Elem())
	}
	if n, ok := t.(*types.Named); ok {
		return n.Origin().Obj()
	}
	return nil
}

// describe says why fn runs concurrently: "updateRates runs in a goroutine started at status.go:88".
func (p *program) describe(fn *ssa.Function, w why) string {
	at := shortPos(p.fset, w.start)
	switch {
	case w.method != nil && w.method != fn:
		return fmt.Sprintf("%s is called from %s, an exported method of %s, whose method %s runs in a goroutine started at %s",
			funcLabel(fn), w.method.Name(), recvType(w.method).Name(), w.seed.Name(), at)
	case w.method != nil:
		return fmt.Sprintf("%s is an exported method of %s, whose method %s runs in a goroutine started at %s",
			w.method.Name(), recvType(w.method).Name(), w.seed.Name(), at)
	case w.direct:
		return fmt.Sprintf("%s runs in a goroutine started at %s", funcLabel(fn), at)
	}
	return fmt.Sprintf("%s is called from %s, which runs in a goroutine started at %s", funcLabel(fn), funcLabel(w.seed), at)
}

func funcLabel(fn *ssa.Function) string {
	if fn.Parent() != nil {
		return "the function literal"
	}
	return fn.Name()
}

func shortPos(fset *token.FileSet, pos token.Pos) string { return syntax.ShortPos(fset, pos) }
