package locksummary

import (
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strconv"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/boolguard"
	"github.com/conclint/conclint/internal/syncapi"
)

// A ref is a mutex as the function sees it: its key (its identity within the function) and, when the
// caller can name it (param or package-level), the Lock of the summary.
type ref struct {
	key    string
	lock   Lock
	caller bool // reached from a parameter or a package-level variable
}

// A held lock, with where it was taken.
type held struct {
	ref ref
	at  string
	via []string
}

// A state is what is known about the function's locks at a point. Maps are copied on write.
type state struct {
	reached  bool
	may      map[string]held
	must     map[string]bool
	released map[string]bool // unlocked on some path before the function locked it: its caller's lock
	deferred map[string]bool
	relock   map[string]bool // locked again by a defer at exit: defer mu.Lock() after mu.Unlock()
}

func (s state) clone() state {
	return state{reached: s.reached, may: maps.Clone(s.may), must: maps.Clone(s.must), released: maps.Clone(s.released), deferred: maps.Clone(s.deferred),
		relock: maps.Clone(s.relock)}
}

func join(a, b state) state {
	switch {
	case !a.reached:
		return b.clone()
	case !b.reached:
		return a.clone()
	}
	out := a.clone()
	for k, h := range b.may {
		if _, ok := out.may[k]; !ok {
			out.may[k] = h
		}
	}
	for k := range out.must {
		if !b.must[k] {
			delete(out.must, k)
		}
	}
	for k := range b.released {
		out.released[k] = true
	}
	for k := range b.deferred {
		out.deferred[k] = true
	}
	for k := range out.relock {
		if !b.relock[k] {
			delete(out.relock, k) // locked again at exit only if every path deferred it
		}
	}
	return out
}

func equal(a, b state) bool {
	return a.reached == b.reached && maps.EqualFunc(a.may, b.may, func(x, y held) bool { return x.ref == y.ref && x.at == y.at }) &&
		maps.Equal(a.must, b.must) && maps.Equal(a.released, b.released) && maps.Equal(a.deferred, b.deferred) &&
		maps.Equal(a.relock, b.relock)
}

// A walker computes one function's summary.
type walker struct {
	pass    *analysis.Pass
	res     *Result
	fd      *funcDecl
	params  map[*types.Var]boolguard.Param
	passive bool // nothing in the function changes the lock state: states are shared, never written
	sum     Summary
	relocks map[string]*ast.CallExpr // the deferred Lock calls, by lock (see state.relock)
}

// summarize returns the summary of one function, or nil when it does nothing its caller can see.
func summarize(pass *analysis.Pass, res *Result, fd *funcDecl) *Summary {
	if !fd.lockOps && len(fd.imported) == 0 && !slices.ContainsFunc(fd.callees, func(c *types.Func) bool { return res.local[c] != nil }) {
		return nil // it takes no lock, and calls nothing that does something to its caller's locks
	}
	w := &walker{pass: pass, res: res, fd: fd, params: fd.callerParams(pass.TypesInfo), passive: fd.passive(res)}
	if fd.g == nil {
		fd.g = cfg.New(fd.decl.Body, w.mayReturn)
	}
	g := fd.g
	in := make([]state, len(g.Blocks))
	if len(g.Blocks) == 0 {
		return nil
	}
	if fd.guards == nil {
		fd.guards = boolguard.Find(pass.TypesInfo, fd.fn, fd.decl.Body, g)
	}
	in[0] = state{reached: true, may: map[string]held{}, must: map[string]bool{}, released: map[string]bool{}, deferred: map[string]bool{},
		relock: map[string]bool{}}
	work := []*cfg.Block{g.Blocks[0]}
	if w.passive {
		// Nothing changes the state: every block reached has the entry's.
		for len(work) > 0 {
			b := work[len(work)-1]
			work = work[:len(work)-1]
			for _, succ := range b.Succs {
				if !in[succ.Index].reached {
					in[succ.Index] = in[0]
					work = append(work, succ)
				}
			}
		}
	}
	for steps := 0; len(work) > 0 && steps < 10*len(g.Blocks)+100; steps++ {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		out := w.block(b, in[b.Index], false)
		for i, succ := range b.Succs {
			next := join(in[succ.Index], w.edge(b, i, out))
			if !equal(next, in[succ.Index]) {
				in[succ.Index] = next
				work = append(work, succ)
			}
		}
	}
	// Record acquisitions and order with the fixed point states, then the locks held at every exit.
	var exits []state
	for _, b := range g.Blocks {
		if !in[b.Index].reached {
			continue
		}
		out := w.block(b, in[b.Index], true)
		if len(b.Succs) == 0 && w.isExit(b) {
			if len(out.relock) > 0 {
				out = out.clone()
				for _, k := range slices.Sorted(maps.Keys(out.relock)) {
					w.call(w.relocks[k], &out, true) // the deferred Lock runs at this exit
				}
			}
			exits = append(exits, out)
		}
	}
	w.holds(exits)
	if len(w.sum.Acquires)+len(w.sum.Holds)+len(w.sum.Releases)+len(w.sum.Order) == 0 {
		return nil
	}
	s := w.sum
	sortSummary(&s)
	return &s
}

// holds records the caller's locks held at every exit: locked there and not unlocked by a defer; or, for
// a lock the function expects its caller to hold (it unlocks it on some path first), also untouched on
// the paths that leave it alone (a helper that returns early, or unlocks and locks again).
func (w *walker) holds(exits []state) {
	refs := make(map[string]ref)
	for _, e := range exits {
		for k, h := range e.may {
			if h.ref.caller {
				refs[k] = h.ref
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(refs)) {
		callers := slices.ContainsFunc(exits, func(e state) bool { return e.released[k] })
		all := true
		for _, e := range exits {
			_, taken := e.may[k]
			all = all && (e.must[k] && !e.deferred[k] || callers && !taken && !e.released[k])
		}
		if all {
			w.sum.Holds = append(w.sum.Holds, refs[k].lock)
		}
	}
}

// passive reports whether nothing in the function changes which locks are held: it calls no lock method
// (nor TryLock, nor a deferred Unlock), and no callee holds a lock on return or releases its caller's. Its
// calls may still acquire locks, which the summary records, but the lock state is the entry's everywhere.
func (fd *funcDecl) passive(res *Result) bool {
	changesState := func(s *Summary) bool { return s != nil && len(s.Holds)+len(s.Releases) > 0 }
	return !fd.lockOps && !slices.ContainsFunc(fd.imported, changesState) &&
		!slices.ContainsFunc(fd.callees, func(c *types.Func) bool { return changesState(res.local[c]) })
}

// callerParams returns the parameters by which the function reaches its caller's locks (boolguard.Params:
// after c = c.parent, c.mu is no longer the caller's lock), computed at its first summary.
func (fd *funcDecl) callerParams(info *types.Info) map[*types.Var]boolguard.Param {
	if fd.params == nil {
		fd.params = boolguard.Params(info, fd.fn, fd.decl.Body)
	}
	return fd.params
}

// scan computes once what summarize needs to know of the function's calls: whether it calls a lock method,
// the summaries of the functions of other packages it calls (facts do not change during the run), and the
// functions of this package it calls (whose summaries do).
func (fd *funcDecl) scan(pass *analysis.Pass, res *Result) {
	ast.Inspect(fd.decl.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		fn, _ := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
		switch {
		case fn == nil:
		case syncapi.LockOpOf(fn) != syncapi.NotLock:
			fd.lockOps = true
		case fn.Origin().Pkg() == pass.Pkg:
			if !slices.Contains(fd.callees, fn.Origin()) {
				fd.callees = append(fd.callees, fn.Origin())
			}
		default:
			if s := res.Of(fn); s != nil {
				fd.imported = append(fd.imported, s)
			}
		}
		return true
	})
}

func (w *walker) mayReturn(call *ast.CallExpr) bool {
	return syncapi.MayReturn(w.pass.TypesInfo, call)
}

// isExit reports whether a block without successors returns (rather than panicking, calling a function
// that does not return, or waiting in a select without default).
func (w *walker) isExit(b *cfg.Block) bool {
	if b.Kind == cfg.KindSelectAfterCase {
		return false // past the last case of a select without default: it waits there forever
	}
	if len(b.Nodes) == 0 {
		return true
	}
	if es, ok := b.Nodes[len(b.Nodes)-1].(*ast.ExprStmt); ok {
		if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok && !w.mayReturn(call) {
			return false
		}
	}
	return true
}

// edge returns the state on the i'th successor edge of b: a TryLock holds its lock where it returned true.
func (w *walker) edge(b *cfg.Block, i int, out state) state {
	if len(b.Nodes) == 0 || len(b.Succs) != 2 {
		return out
	}
	cond, ok := b.Nodes[len(b.Nodes)-1].(ast.Expr)
	if !ok {
		return out
	}
	want := 0
	if u, ok := ast.Unparen(cond).(*ast.UnaryExpr); ok && u.Op == token.NOT {
		cond, want = u.X, 1
	}
	if id, ok := ast.Unparen(cond).(*ast.Ident); ok {
		cond = w.assignedIn(b, id) // if ok = mu.TryLock(); !ok { return }
	}
	call, ok := ast.Unparen(cond).(*ast.CallExpr)
	if !ok || i != want {
		return out
	}
	op, r, ok := w.lockOp(call)
	if !ok || op != syncapi.TryLock && op != syncapi.TryRLock {
		return out
	}
	out = out.clone()
	r.lock.Read = op == syncapi.TryRLock
	out.may[r.key] = held{ref: r, at: position(w.pass, call)}
	out.must[r.key] = true
	return out
}

// assignedIn returns the value last assigned, earlier in block b, to the variable id denotes, when that
// is its only assignment there and the variable's address is not taken in the function (ok :=
// mu.TryLock(), or ok = mu.TryLock() into a named result, then if !ok); or nil.
func (w *walker) assignedIn(b *cfg.Block, id *ast.Ident) ast.Expr {
	v, ok := w.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok {
		return nil
	}
	var value ast.Expr
	for _, n := range b.Nodes[:len(b.Nodes)-1] {
		as, ok := n.(*ast.AssignStmt)
		if !ok {
			continue
		}
		for i, lhs := range as.Lhs {
			l, ok := ast.Unparen(lhs).(*ast.Ident)
			if !ok || w.pass.TypesInfo.ObjectOf(l) != v {
				continue
			}
			if value != nil || len(as.Lhs) != len(as.Rhs) || as.Tok != token.ASSIGN && as.Tok != token.DEFINE {
				return nil // assigned twice, or from a call with several results, or by an operator
			}
			value = as.Rhs[i]
		}
	}
	if value == nil || w.addressTaken(v) {
		return nil
	}
	return value
}

// addressTaken reports whether v is not a variable of the function (declared in it, a parameter or a
// result), or &v appears in its body: then a call may change v.
func (w *walker) addressTaken(v *types.Var) bool {
	decl := w.fd.decl
	if v.Pos() < decl.Pos() || v.Pos() >= decl.End() {
		return true
	}
	taken := false
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.AND {
			if id, ok := ast.Unparen(u.X).(*ast.Ident); ok && w.pass.TypesInfo.Uses[id] == v {
				taken = true
			}
		}
		return !taken
	})
	return taken
}

// block applies the nodes of b to s; record says whether to record acquisitions and order in the summary.
func (w *walker) block(b *cfg.Block, s state, record bool) state {
	if !w.passive {
		s = s.clone()
	}
	for _, n := range b.Nodes {
		switch n := n.(type) {
		case *ast.GoStmt:
			continue // runs in another goroutine
		case *ast.DeferStmt:
			w.deferred(n, &s)
			continue
		}
		for _, call := range calls(n) {
			w.call(call, &s, record)
		}
	}
	return s
}

// calls returns the calls of n in evaluation order (operands first), not entering function literals.
func calls(n ast.Node) []*ast.CallExpr {
	var out []*ast.CallExpr
	var stack []ast.Node
	ast.Inspect(n, func(x ast.Node) bool {
		if x == nil {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if c, ok := top.(*ast.CallExpr); ok {
				out = append(out, c)
			}
			return false
		}
		if _, ok := x.(*ast.FuncLit); ok {
			return false
		}
		stack = append(stack, x)
		return true
	})
	return out
}

// deferred registers the unlocks a defer statement runs at exit.
func (w *walker) deferred(d *ast.DeferStmt, s *state) {
	if lit, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit); ok {
		for _, call := range calls(lit.Body) {
			if op, r, ok := w.lockOp(call); ok && (op == syncapi.Unlock || op == syncapi.RUnlock) {
				s.deferred[r.key] = true
			}
		}
		return
	}
	if op, r, ok := w.lockOp(d.Call); ok {
		switch op {
		case syncapi.Unlock, syncapi.RUnlock:
			s.deferred[r.key] = true
		case syncapi.Lock, syncapi.RLock:
			if w.relocks == nil {
				w.relocks = make(map[string]*ast.CallExpr)
			}
			s.relock[r.key] = true
			w.relocks[r.key] = d.Call
		}
		return
	}
	fn, sum := w.callee(d.Call)
	if sum == nil {
		return
	}
	for _, l := range sum.Releases {
		if r, ok := w.argRef(d.Call, fn, l); ok {
			s.deferred[r.key] = true
		}
	}
}

// call applies one call: a lock operation, or a call of a function with a summary.
func (w *walker) call(call *ast.CallExpr, s *state, record bool) {
	if op, r, ok := w.lockOp(call); ok {
		switch op {
		case syncapi.Lock, syncapi.RLock:
			r.lock.Read = op == syncapi.RLock
			w.acquire(s, r, position(w.pass, call), nil, record, call, 0)
			s.may[r.key] = held{ref: r, at: position(w.pass, call)}
			s.must[r.key] = true
		case syncapi.Unlock, syncapi.RUnlock:
			w.release(s, r, op == syncapi.RUnlock, record)
		}
		return
	}
	fn, sum := w.callee(call)
	if sum == nil {
		return
	}
	name := types.ExprString(call.Fun)
	for _, a := range sum.Acquires {
		if len(a.Via) >= maxVia-1 {
			continue // chains stay short, and so does the set of functions with a summary
		}
		if boolguard.Off(w.pass.TypesInfo, call, a.Guard) {
			continue // the call passes false for the parameter the acquisition needs true
		}
		if r, ok := w.argRef(call, fn, a.Lock); ok {
			r.lock.Read = a.Read
			w.acquire(s, r, a.At, append([]string{name}, a.Via...), record, call, a.Guard)
		}
	}
	var passed map[string]bool // the caller's locks the callee releases and takes back: still the caller's
	for _, l := range sum.Releases {
		if r, ok := w.argRef(call, fn, l); ok {
			if _, held := s.may[r.key]; !held && slices.Contains(sum.Holds, l) {
				if passed == nil {
					passed = make(map[string]bool)
				}
				passed[r.key] = true
			}
			w.release(s, r, l.Read, record)
		}
	}
	for _, l := range sum.Holds {
		if r, ok := w.argRef(call, fn, l); ok {
			if passed[r.key] {
				continue // released for a while, as its caller's caller holds it: this function does not own it
			}
			r.lock.Read = l.Read
			s.may[r.key] = held{ref: r, at: position(w.pass, call), via: []string{name}}
			s.must[r.key] = true
		}
	}
	if record {
		for _, o := range sum.Order {
			if len(o.Via) >= maxVia-1 {
				continue
			}
			w.sum.Order = append(w.sum.Order, Order{Held: o.Held, Acquired: o.Acquired, At: o.At, Via: chain(name, o.Via), HeldRead: o.HeldRead, Read: o.Read})
		}
	}
}

func chain(name string, via []string) []string {
	out := append([]string{name}, via...)
	if len(out) > maxVia {
		out = append(out[:maxVia-1], "…")
	}
	return out
}

// acquire records that the function locks r (at at, through via), while holding what s holds, by call,
// which does it only when its callee's parameter guard is true (0: whatever the arguments).
func (w *walker) acquire(s *state, r ref, at string, via []string, record bool, call *ast.CallExpr, guard boolguard.Guard) {
	if !record {
		return
	}
	if r.caller && !s.released[r.key] {
		if len(via) > maxVia {
			via = append(via[:maxVia-1], "…")
		}
		w.sum.Acquires = append(w.sum.Acquires, Acquire{Lock: r.lock, At: at, Via: via, Guard: w.guardAt(call, guard)})
	}
	if r.lock.Class == "" {
		return
	}
	for k, h := range s.may {
		if k != r.key && h.ref.lock.Class != "" {
			w.sum.Order = append(w.sum.Order, Order{Held: h.ref.lock.Class, Acquired: r.lock.Class, At: at, Via: via, HeldRead: h.ref.lock.Read, Read: r.lock.Read})
		}
	}
}

// guardAt returns the guard of what call does when its callee does it only if its parameter guard is on:
// the first of the function's guards around call, or the guard of the parameter the call passes on to the
// callee's guard.
func (w *walker) guardAt(call *ast.CallExpr, guard boolguard.Guard) boolguard.Guard {
	guards := w.fd.guards.At(call)
	if p, ok := guard.Param(); ok {
		if arg := boolguard.Arg(w.pass.TypesInfo, call, p); arg != nil {
			if q, ok := w.fd.guards.Passed(w.pass.TypesInfo, arg); ok {
				guards = append(guards, guard.For(q))
			}
		}
	}
	if len(guards) == 0 {
		return 0
	}
	return slices.Min(guards)
}

func (w *walker) release(s *state, r ref, read bool, record bool) {
	if _, ok := s.may[r.key]; !ok {
		s.released[r.key] = true
		if record && r.caller {
			r.lock.Read = read
			w.sum.Releases = append(w.sum.Releases, r.lock)
		}
	}
	delete(s.may, r.key)
	delete(s.must, r.key)
}

// callee returns the static callee of call and its summary, or nil.
func (w *walker) callee(call *ast.CallExpr) (*types.Func, *Summary) {
	fn := typeutil.StaticCallee(w.pass.TypesInfo, call)
	if fn == nil {
		return nil, nil
	}
	return fn, w.res.Of(fn)
}

// argRef returns the caller's ref of the lock l of a callee's summary, at a call of it.
func (w *walker) argRef(call *ast.CallExpr, fn *types.Func, l Lock) (ref, bool) {
	if l.Param < 0 {
		return ref{key: "g:" + l.Class, lock: l, caller: true}, true
	}
	arg := boolguard.Arg(w.pass.TypesInfo, call, boolguard.Param(l.Param))
	var extra []*types.Var
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && l.Param == 0 && fn.Signature().Recv() != nil {
		if s := w.pass.TypesInfo.Selections[sel]; s != nil && s.Kind() == types.MethodVal {
			arg, extra = sel.X, embeddedFields(s.Recv(), s.Index()[:len(s.Index())-1]) // x.m() promoted from x.f: x.f
		}
	}
	if arg == nil {
		return ref{}, false
	}
	r, ok := w.ref(arg, extra)
	if !ok {
		return ref{}, false
	}
	r.key += l.Path
	r.lock.Path += l.Path
	r.lock.Class = l.Class
	return r, true
}

// lockOp classifies a call of a sync.Mutex, sync.RWMutex or sync.Locker method and returns its mutex.
func (w *walker) lockOp(call *ast.CallExpr) (syncapi.LockOp, ref, bool) {
	fn, _ := typeutil.Callee(w.pass.TypesInfo, call).(*types.Func)
	op := syncapi.LockOpOf(fn)
	if op == syncapi.NotLock {
		return op, ref{}, false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return op, ref{}, false
	}
	var extra []*types.Var
	if s := w.pass.TypesInfo.Selections[sel]; s != nil {
		extra = embeddedFields(s.Recv(), s.Index()[:len(s.Index())-1])
	}
	r, ok := w.ref(sel.X, extra)
	return op, r, ok
}

// embeddedFields returns the fields that a selection's index path goes through from type t.
func embeddedFields(t types.Type, index []int) []*types.Var {
	var out []*types.Var
	for _, i := range index {
		st, ok := deref(t).Underlying().(*types.Struct)
		if !ok || i >= st.NumFields() {
			return nil
		}
		f := st.Field(i)
		out = append(out, f)
		t = f.Type()
	}
	return out
}

func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

func isPointer(t types.Type) bool { _, ok := types.Unalias(t).Underlying().(*types.Pointer); return ok }

// ref returns the mutex at expression e followed by the fields extra: a chain of field selections from an
// identifier. Its class follows lockset.ID: the type of the last pointer on the chain and the fields after
// it, or the package-level variable and its fields.
func (w *walker) ref(e ast.Expr, extra []*types.Var) (ref, bool) {
	info := w.pass.TypesInfo
	var steps []*types.Var // fields from the root
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	var root *types.Var
	for root == nil {
		switch x := e.(type) {
		case *ast.Ident:
			v, ok := info.Uses[x].(*types.Var)
			if !ok {
				return ref{}, false
			}
			root = v
		case *ast.SelectorExpr:
			s := info.Selections[x]
			if s == nil {
				if v, ok := info.Uses[x.Sel].(*types.Var); ok && v.Parent() == v.Pkg().Scope() {
					root = v // a package-level variable of another package
					continue
				}
				return ref{}, false
			}
			if s.Kind() != types.FieldVal {
				return ref{}, false
			}
			steps = append(embeddedFields(s.Recv(), s.Index()), steps...)
			e = ast.Unparen(x.X)
		case *ast.StarExpr:
			e = ast.Unparen(x.X)
		default:
			return ref{}, false
		}
	}
	steps = append(steps, extra...)
	path := ""
	for _, f := range steps {
		path += "." + f.Name()
	}
	// The class: from the last pointer before the mutex.
	prefixTypes := []types.Type{root.Type()}
	for _, f := range steps {
		prefixTypes = append(prefixTypes, f.Type())
	}
	class := ""
	last := -1
	for i := 0; i < len(prefixTypes)-1; i++ {
		if isPointer(prefixTypes[i]) {
			last = i
		}
	}
	global := root.Pkg() != nil && root.Parent() == root.Pkg().Scope()
	switch {
	case last >= 0:
		class = "(" + types.TypeString(prefixTypes[last], nil) + ")"
		for _, f := range steps[last:] {
			class += "." + f.Name()
		}
	case global:
		class = root.Pkg().Path() + "." + root.Name() + path
	}
	if global && last < 0 {
		// the package-level variable itself, or a field path in it: one lock in the whole program
		return ref{key: "g:" + class, lock: Lock{Param: -1, Class: class}, caller: true}, true
	}
	if i, ok := w.params[root]; ok && (isPointer(root.Type()) || types.IsInterface(root.Type())) {
		return ref{key: "p" + strconv.Itoa(int(i)) + path, lock: Lock{Param: int(i), Path: path, Class: class}, caller: true}, true
	}
	return ref{key: "l" + strconv.Itoa(int(root.Pos())) + path, lock: Lock{Param: -1, Path: path, Class: class}}, true
}
