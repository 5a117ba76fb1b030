package chanleak

import (
	"go/constant"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/goroutines"
	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syncapi"
)

// Senders stopped before the close: btcd's CPU miner closes its speed monitor's stop signal only where no
// worker can send to the monitor any more.
//
//	func (m *CPUMiner) miningWorkerController() {
//		... m.workerWg.Add(1); go m.generateBlocks(quit) ...  // generateBlocks ends with m.workerWg.Done()
//		m.workerWg.Wait()
//		close(m.speedMonitorQuit)
//	}
//	func (m *CPUMiner) GenerateNBlocks(n uint32) {
//		for { ... if m.solveBlock(...) { ... close(m.speedMonitorQuit); return } }
//	}
//
// The sends are in solveBlock. A context is where a thread that can reach the send starts: a go statement
// of a function that calls the sender (directly or through a chain of static calls), or an exported
// function, which another package calls. A close covers a context when
//   - the close waits for it: the close is dominated by W.Wait() of a WaitGroup field W that is only
//     added to, waited on and marked done (never copied or passed), every W.Add is an Add(1) right before
//     a go statement, every W.Done is the last thing (or a defer) of a function started only by such go
//     statements, the context's go statement is one of them, in the closing function (or in a function
//     literal only it calls), and cannot run after the Wait; or
//   - the close is in the context's own entry function, as a plain call (not deferred), and no call that
//     can reach the sender (nor a send) can follow it there: the thread has made its last send.
//
// Every close must cover every context, except a context and a close that belong to different runs of
// the loop: each function that starts the loop (with a go statement) owns what it reaches through calls
// and go statements, and when every such function makes a new stop channel for its run, a context and a
// close that only different starts of the loop reach are taken not to run at once (the miner's Start and
// GenerateNBlocks each make their own stop signal and start their own speed monitor, and refuse to run
// while the other's is running: a state the analysis does not follow). A sender used as a function value
// or through an interface, a WaitGroup used otherwise, or a context no close covers keeps the send
// reported.

// maxChain bounds the functions followed from the sender up to the contexts.
const maxChain = 64

// A sendCtx is where a thread that can run a send starts.
type sendCtx struct {
	entry *ssa.Function // the function the thread runs
	start *ssa.Go       // the go statement that starts it, or nil for an exported function
}

// closedAfterSenders reports whether every close of stop covers every context that can run send (see
// above), loop being the function that receives from events until stop is closed.
func (c *checker) closedAfterSenders(loop *ssa.Function, send *ssa.Send, events, stop *fieldChan) bool {
	ctxs, chain, ok := c.sendContexts(send.Parent())
	if !ok || len(ctxs) == 0 {
		return false
	}
	key := runsKey{loop, stop.field}
	runs, ok := c.runs[key]
	if !ok {
		runs = c.loopRuns(loop, stop.field)
		if c.runs == nil {
			c.runs = make(map[runsKey][]map[*ssa.Function]bool)
		}
		c.runs[key] = runs
	}
	closes := 0
	for _, u := range stop.uses {
		if u.kind != goroutines.Close {
			continue
		}
		closes++
		for _, x := range ctxs {
			home := x.entry
			if x.start != nil {
				home = x.start.Parent()
			}
			if otherRuns(runs, home, u.instr.Parent()) {
				continue
			}
			if !c.lastSendBefore(x, u.instr, chain, events) && !c.waitsFor(x, u.instr, chain, events) {
				return false
			}
		}
	}
	return closes > 0
}

// A runsKey is a loop and its stop signal (see loopRuns).
type runsKey struct {
	loop *ssa.Function
	stop *types.Var
}

// sendContexts returns the contexts that can reach fn, and the functions on the way (fn, and the functions
// that call it, transitively). It reports false when a function on the way may be called in a way not
// seen: used as a value, through an interface, or unexported and never called.
func (c *checker) sendContexts(fn *ssa.Function) ([]sendCtx, map[*ssa.Function]bool, bool) {
	chain := map[*ssa.Function]bool{fn: true}
	work := []*ssa.Function{fn}
	var ctxs []sendCtx
	for len(work) > 0 {
		h := work[len(work)-1]
		work = work[:len(work)-1]
		if c.calledUnseen(h) {
			return nil, nil, false
		}
		obj, _ := h.Object().(*types.Func)
		exported := obj != nil && obj.Exported() && h.Parent() == nil
		if exported {
			ctxs = append(ctxs, sendCtx{entry: h})
		}
		sites := 0
		for _, site := range c.form.CallSites(h) {
			if !c.tests && c.isTestCode(site.Pos()) {
				continue // a test's calls are not counted (see onceForProcess)
			}
			sites++
			if g, ok := site.(*ssa.Go); ok {
				ctxs = append(ctxs, sendCtx{entry: h, start: g})
				continue
			}
			if p := site.Parent(); !chain[p] {
				if len(chain) == maxChain {
					return nil, nil, false
				}
				chain[p] = true
				work = append(work, p)
			}
		}
		if sites == 0 && !exported {
			return nil, nil, false // called only in a way not seen
		}
	}
	return ctxs, chain, true
}

// calledUnseen reports whether fn (a package function, method or function literal) is used as a value, a
// method value or expression, or is a method whose name the package calls through an interface.
func (c *checker) calledUnseen(fn *ssa.Function) bool {
	if c.funcValues == nil {
		c.funcValues = make(map[any]bool)
		for _, f := range c.form.Funcs() {
			for _, b := range f.Blocks {
				for _, instr := range b.Instrs {
					c.noteFuncValues(instr)
				}
			}
		}
	}
	if c.funcValues[fn] {
		return true
	}
	obj, _ := fn.Object().(*types.Func)
	if obj == nil {
		return false
	}
	if c.funcValues[obj] {
		return true
	}
	return obj.Signature().Recv() != nil && c.funcValues[obj.Name()]
}

// noteFuncValues records the functions instr uses other than as the function it calls, and the name of a
// method it calls through an interface.
func (c *checker) noteFuncValues(instr ssa.Instruction) {
	if _, ok := instr.(*ssa.DebugRef); ok {
		return
	}
	var callee *ssa.Value
	if call, ok := instr.(ssa.CallInstruction); ok {
		if call.Common().IsInvoke() {
			c.funcValues[call.Common().Method.Name()] = true
		}
		callee = &call.Common().Value
	}
	for _, op := range instr.Operands(nil) {
		f, ok := (*op).(*ssa.Function)
		if !ok || op == callee {
			continue
		}
		if mc, ok := instr.(*ssa.MakeClosure); ok && op == &mc.Fn && f.Synthetic == "" && onlyCalled(mc) {
			continue // a function literal made and called here (a method value's wrapper is not followed)
		}
		c.funcValues[f] = true
		if obj, ok := f.Object().(*types.Func); ok {
			c.funcValues[obj] = true // a method value or expression uses a wrapper of the method
		}
	}
}

// onlyCalled reports whether the closure v is only called.
func onlyCalled(v ssa.Value) bool {
	refs := v.Referrers()
	if refs == nil {
		return true
	}
	for _, ref := range *refs {
		if _, ok := ref.(*ssa.DebugRef); ok {
			continue
		}
		call, ok := ref.(ssa.CallInstruction)
		if !ok || call.Common().Value != v {
			return false
		}
		for _, a := range call.Common().Args {
			if a == v {
				return false
			}
		}
	}
	return true
}

// loopRuns returns, for each function of the package that starts loop with a go statement, the functions
// it reaches through calls and go statements (function literals included). It returns nil unless every
// such function first makes a new stop channel (assigns make(chan T) to the field stop): each run of the
// loop has its own stop signal.
func (c *checker) loopRuns(loop *ssa.Function, stop *types.Var) []map[*ssa.Function]bool {
	var runs []map[*ssa.Function]bool
	for _, f := range c.form.Funcs() {
		if !starts(f, loop) {
			continue
		}
		if !remakes(f, stop) {
			return nil
		}
		seen := map[*ssa.Function]bool{f: true}
		work := []*ssa.Function{f}
		for len(work) > 0 {
			g := work[len(work)-1]
			work = work[:len(work)-1]
			next := append([]*ssa.Function(nil), g.AnonFuncs...)
			for _, b := range g.Blocks {
				for _, instr := range b.Instrs {
					if call, ok := instr.(ssa.CallInstruction); ok {
						if callee := call.Common().StaticCallee(); callee != nil && callee.Pkg == f.Pkg {
							next = append(next, callee)
						}
					}
				}
			}
			for _, n := range next {
				if !seen[n] {
					seen[n] = true
					work = append(work, n)
				}
			}
		}
		runs = append(runs, seen)
	}
	return runs
}

// remakes reports whether fn assigns a channel it makes to the field stop.
func remakes(fn *ssa.Function, stop *types.Var) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok {
				fa, ok := st.Addr.(*ssa.FieldAddr)
				if _, made := st.Val.(*ssa.MakeChan); made && ok && fieldVar(fa.X.Type(), fa.Field) == stop {
					return true
				}
			}
		}
	}
	return false
}

// otherRuns reports whether a and b are each reached by some start of the loop, but by no common one.
func otherRuns(runs []map[*ssa.Function]bool, a, b *ssa.Function) bool {
	inA, inB := false, false
	for _, r := range runs {
		if r[a] && r[b] {
			return false
		}
		inA = inA || r[a]
		inB = inB || r[b]
	}
	return inA && inB
}

// lastSendBefore reports whether close is a plain call in x's entry function after which nothing there
// can reach the sender: no call, go or defer of a function of chain, and no send on events.
func (c *checker) lastSendBefore(x sendCtx, close ssa.Instruction, chain map[*ssa.Function]bool, events *fieldChan) bool {
	fn := close.Parent()
	if _, ok := close.(*ssa.Call); !ok || fn != x.entry {
		return false
	}
	targets, deferred := sendsIn(fn, chain, events)
	return !deferred && !reachesAvoiding(fn, close, targets, newCuts())
}

// sendsIn returns the calls, go statements and defers of fn whose callee is in chain, and fn's sends on
// events; deferred reports whether one of them is a defer (it runs when fn returns).
func sendsIn(fn *ssa.Function, chain map[*ssa.Function]bool, events *fieldChan) (map[ssa.Instruction]bool, bool) {
	targets := make(map[ssa.Instruction]bool)
	deferred := false
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(ssa.CallInstruction); ok && chain[call.Common().StaticCallee()] {
				targets[instr] = true
				_, d := instr.(*ssa.Defer)
				deferred = deferred || d
			}
		}
	}
	for _, u := range events.uses {
		if u.kind == goroutines.Send && u.instr.Parent() == fn {
			targets[u.instr] = true
		}
	}
	return targets, deferred
}

// waitsFor reports whether close is dominated by W.Wait() of a counted WaitGroup field W of the value
// whose stop signal it closes, and x is started by one of the go statements W counts, for that value, in
// close's function or a literal only it calls, before the Wait, running a function that marks W done after
// its last send.
func (c *checker) waitsFor(x sendCtx, close ssa.Instruction, chain map[*ssa.Function]bool, events *fieldChan) bool {
	if x.start == nil {
		return false
	}
	fn := close.Parent()
	base := closedBase(close)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			w := wgCall(instr, "Wait")
			if w == nil || base == nil || sameValue(wgAddr(instr).X) != base || !ssaform.Dominates(instr, close) {
				continue
			}
			wg := c.countedWaitGroup(w)
			if wg == nil || wg.starts[x.start] == nil || !doneLast(wg.done[x.entry], chain, events) {
				continue
			}
			starts := map[ssa.Instruction]bool{x.start: true}
			if p := x.start.Parent(); p != fn {
				starts = c.onlyCalledIn(p, fn, wg.starts[x.start], base)
			} else if wg.starts[x.start] != base {
				starts = nil // another value's workers
			}
			if starts != nil && !reachesAvoiding(fn, instr, starts, newCuts()) {
				return true
			}
		}
	}
	return false
}

// closedBase returns x when close is close(x.f) of a field f.
func closedBase(close ssa.Instruction) ssa.Value {
	call, ok := close.(ssa.CallInstruction)
	if !ok || len(call.Common().Args) != 1 {
		return nil
	}
	load, ok := call.Common().Args[0].(*ssa.UnOp)
	if !ok {
		return nil
	}
	if fa, ok := load.X.(*ssa.FieldAddr); ok {
		return sameValue(fa.X)
	}
	return nil
}

// sameValue returns the value v holds for good: v itself, or, when v loads a variable that a function
// literal captures, the parameter stored once in it (the enclosing function's side) or the free variable
// never assigned (the literal's side), so that two loads of a captured receiver compare equal.
func sameValue(v ssa.Value) ssa.Value {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		if x := cellValue(u.X); x != nil {
			return x
		}
	}
	return v
}

// cellValue returns the parameter stored once (and nothing else) in the Alloc x, or the free variable x
// when nothing stores to it; nil otherwise.
func cellValue(x ssa.Value) ssa.Value {
	var stored ssa.Value
	stores := 0
	for _, ref := range *x.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == x {
			stores++
			stored = st.Val
		}
	}
	switch x.(type) {
	case *ssa.Alloc:
		if p, ok := stored.(*ssa.Parameter); ok && stores == 1 {
			return p
		}
	case *ssa.FreeVar:
		if stores == 0 {
			return x
		}
	}
	return nil
}

// onlyCalledIn returns the calls of the function literal lit, when lit is made in fn, only called there,
// and its free variable v is bound to fn's value base; nil otherwise.
func (c *checker) onlyCalledIn(lit, fn *ssa.Function, v, base ssa.Value) map[ssa.Instruction]bool {
	if lit.Parent() != fn || c.calledUnseen(lit) {
		return nil
	}
	fv, ok := v.(*ssa.FreeVar)
	if !ok {
		return nil
	}
	i := slices.Index(lit.FreeVars, fv)
	calls := make(map[ssa.Instruction]bool)
	for _, site := range c.form.CallSites(lit) {
		mc, ok := site.Common().Value.(*ssa.MakeClosure)
		if _, call := site.(*ssa.Call); !call || !ok || site.Parent() != fn || i < 0 || cellValue(mc.Bindings[i]) != base {
			return nil
		}
		calls[site] = true
	}
	if len(calls) == 0 {
		return nil
	}
	return calls
}

// A waitGroup is a WaitGroup field whose count is known: every Add is an Add(1) on x.W right before a go
// statement of a method on x (starts, with x), and every Done is on the receiver's W, once, in a method
// only such go statements start (done).
type waitGroup struct {
	starts map[*ssa.Go]ssa.Value
	done   map[*ssa.Function]ssa.Instruction // the Call or Defer of Done, by function
}

// countedWaitGroup returns the waitGroup of the field W that the WaitGroup method call instr is called on,
// or nil if W is used otherwise or its count is not known.
func (c *checker) countedWaitGroup(recv *types.Var) *waitGroup {
	if c.waitGroups == nil {
		c.waitGroups = make(map[*types.Var]*waitGroup)
	}
	if wg, ok := c.waitGroups[recv]; ok {
		return wg
	}
	c.waitGroups[recv] = nil
	wg := &waitGroup{starts: make(map[*ssa.Go]ssa.Value), done: make(map[*ssa.Function]ssa.Instruction)}
	for _, f := range c.form.Funcs() {
		for _, b := range f.Blocks {
			for i, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.Field:
					if fieldVar(x.X.Type(), x.Field) == recv {
						return nil // copied
					}
				case *ssa.FieldAddr:
					if fieldVar(x.X.Type(), x.Field) != recv {
						continue
					}
					for _, ref := range *x.Referrers() {
						if _, ok := ref.(*ssa.DebugRef); !ok && wgCall(ref, "Add", "Done", "Wait") != recv {
							return nil // passed, stored, or another method
						}
					}
				}
				if wgCall(instr, "Add") == recv {
					g := goAfterAdd(instr, b.Instrs[i+1:])
					x := sameValue(wgAddr(instr).X)
					if g == nil || len(g.Call.Args) == 0 || sameValue(g.Call.Args[0]) != x {
						return nil // not right before a go statement of a method on the same value
					}
					wg.starts[g] = x
				}
				if wgCall(instr, "Done") == recv {
					if wg.done[f] != nil || f.Signature.Recv() == nil || sameValue(wgAddr(instr).X) != f.Params[0] {
						return nil // twice, or not on the receiver
					}
					wg.done[f] = instr
				}
			}
		}
	}
	for f, done := range wg.done {
		sites := c.form.CallSites(f)
		if len(sites) == 0 || c.calledUnseen(f) || c.inLoop(done) {
			return nil
		}
		for _, site := range sites {
			if g, ok := site.(*ssa.Go); !ok || wg.starts[g] == nil {
				return nil // started without an Add, or called
			}
		}
	}
	c.waitGroups[recv] = wg
	return wg
}

// goAfterAdd returns the go statement that is the next call of rest, when add is Add(1).
func goAfterAdd(add ssa.Instruction, rest []ssa.Instruction) *ssa.Go {
	args := add.(ssa.CallInstruction).Common().Args
	if k, ok := args[1].(*ssa.Const); !ok || k.Value == nil || k.Value.Kind() != constant.Int || k.Int64() != 1 {
		return nil
	}
	for _, instr := range rest {
		if _, ok := instr.(ssa.CallInstruction); ok {
			g, _ := instr.(*ssa.Go)
			return g
		}
	}
	return nil
}

// doneLast reports whether done (a Call or Defer of W.Done in a goroutine's function) runs after the
// function's last call of a function of chain and its last send on events.
func doneLast(done ssa.Instruction, chain map[*ssa.Function]bool, events *fieldChan) bool {
	if done == nil {
		return false
	}
	if _, ok := done.(*ssa.Defer); ok {
		return true // runs when the function returns
	}
	targets, deferred := sendsIn(done.Parent(), chain, events)
	return !deferred && !reachesAvoiding(done.Parent(), done, targets, newCuts())
}

// wgAddr returns the receiver &x.W of a call of a WaitGroup method that wgCall matched.
func wgAddr(instr ssa.Instruction) *ssa.FieldAddr {
	return instr.(ssa.CallInstruction).Common().Args[0].(*ssa.FieldAddr)
}

// wgCall returns the field W when instr is a call (or defer) of one of the sync.WaitGroup methods on &x.W.
func wgCall(instr ssa.Instruction, methods ...string) *types.Var {
	call, ok := instr.(ssa.CallInstruction)
	if !ok {
		return nil
	}
	if _, ok := instr.(*ssa.Go); ok {
		return nil
	}
	fn := call.Common().StaticCallee()
	if fn == nil || len(call.Common().Args) == 0 {
		return nil
	}
	obj, _ := fn.Object().(*types.Func)
	for _, m := range methods {
		if obj != nil && syncapi.IsMethod(obj, "sync", "WaitGroup", m) {
			if fa, ok := call.Common().Args[0].(*ssa.FieldAddr); ok {
				return fieldVar(fa.X.Type(), fa.Field)
			}
		}
	}
	return nil
}
