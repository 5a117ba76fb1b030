package sharedcounter

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/lockset"
	"github.com/conclint/conclint/internal/locksummary"
	"github.com/conclint/conclint/internal/report"
	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

// guardCheck infers, for each struct field, the lock that guards it (held at most of its accesses), and
// reports the accesses without it that can run concurrently.
type guardCheck struct {
	pass        *analysis.Pass
	r           *report.Reporter
	locks       *lockset.Result
	summaries   *locksummary.Result
	tests       bool
	helperCalls map[*ssa.Function]bool
	joins       map[*ssa.Function]token.Pos     // the first Wait of each function, once computed
	sels        map[token.Pos]*ast.SelectorExpr // by the position of Sel, which go/ssa gives a FieldAddr
}

// An access is a load or store of a struct field through its address.
type access struct {
	fn    *ssa.Function
	instr *ssa.FieldAddr
	field *types.Var
	kind  accessKind
	root  ssa.Value
	elems []string     // the field path from root: [".conn", ".state", ".n"]
	tys   []types.Type // the type each element is selected from
	known bool         // the function's callers are known: an access without a lock counts
	held  map[guardKey]heldLock
}

type accessKind int

const (
	read accessKind = iota
	written
	mapUpdated
)

func (k accessKind) verb() string {
	return [...]string{"read", "written", "updated"}[k]
}

// A guardKey is a lock relative to a field: a package-level lock, or the lock reached by path lock from the
// value of type at that the field is reached from by path acc (".mu" and ".rates" from a *Status).
type guardKey struct {
	global string
	at     string
	lock   string
	acc    string
}

// A guard is a lock inferred to guard a field.
type guard struct {
	key     guardKey
	n, of   int       // held at n of the of accesses it applies to
	holding []*access // the accesses holding it
}

// run reports the accesses to each field without the lock that its other accesses hold.
func (c *guardCheck) run(form *ssaform.Form) {
	if len(c.locks.Funcs()) == 0 {
		return // no lock operation in the package
	}
	isTest := func(pos token.Pos) bool {
		return syntax.IsTestCode(c.pass.Fset, c.pass.Pkg.Path(), c.pass.Pkg.Name(), pos)
	}
	p := newProgram(c.pass.Pkg, c.pass.Fset, isTest, form.Funcs(), c.tests)
	ctx := c.contexts(p)
	conc := p.concurrency()
	atomics := c.atomicFields(p)
	c.indexSelectors()
	byField := make(map[*types.Var][]*access)
	var fields []*types.Var
	for _, fn := range p.funcs {
		if fn.Synthetic != "" || inInit(fn) || !c.tests && isTest(fn.Pos()) {
			continue // a wrapper; the package's initialization; a test
		}
		for _, a := range c.accesses(fn, ctx[fn], atomics) {
			if byField[a.field] == nil {
				fields = append(fields, a.field)
			}
			byField[a.field] = append(byField[a.field], a)
		}
	}
	for _, f := range fields {
		c.checkField(p, byField[f], conc)
	}
}

// accesses returns the loads and stores of struct fields in fn, with the locks held at each.
func (c *guardCheck) accesses(fn *ssa.Function, x context, atomics map[*types.Var]bool) []*access {
	var out []*access
	at := make(map[token.Pos]*access) // x.f++ loads and stores through two addresses: one access
	in := inputs(fn)
	join := firstJoin(fn)
	c.joins[fn] = join
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			fa, ok := instr.(*ssa.FieldAddr)
			if !ok {
				continue
			}
			field := fieldOf(fa)
			if field == nil || atomics[field] || isSyncType(field.Type()) {
				continue // accessed with sync/atomic, or a synchronization value itself
			}
			kind, ok := kindOf(fa)
			if !ok {
				continue // its address is taken, or a deeper field is accessed
			}
			if prev := at[fa.Pos()]; prev != nil && fa.Pos().IsValid() && prev.field == field {
				prev.kind = max(prev.kind, kind)
				continue
			}
			id, ok := lockset.IDOf(fa)
			if !ok || id.Kind == lockset.Local || freshRoot(fa) {
				continue // a value the function created: not shared yet, or a local copy
			}
			root, path := id.Root()
			tys, loads := chainTypes(fa)
			elems := splitPath(path)
			if len(tys) != len(elems) || len(elems) == 0 {
				continue
			}
			if k := slices.Index(in, root); x.state == ctxKnown && k >= 0 && x.fresh[k] && !loads {
				continue // every caller passes a value it just created
			}
			// After a Wait, the goroutines it joins no longer race with the access: it counts as an access
			// whose callers are not known.
			known := x.state == ctxKnown && !(join.IsValid() && join < fa.Pos())
			a := &access{fn: fn, instr: fa, field: field, kind: kind, root: root, elems: elems, tys: tys, known: known, held: make(map[guardKey]heldLock)}
			held := fromLockset(c.locks.MustAt(fa))
			if x.state == ctxKnown {
				held = append(held, x.locks...)
			}
			for _, h := range held {
				if k, ok := a.keyOf(h); ok {
					if prev, dup := a.held[k]; dup {
						h.read = h.read && prev.read
					}
					a.held[k] = h
				}
			}
			out = append(out, a)
			at[fa.Pos()] = a
		}
	}
	return out
}

// firstJoin returns the position of the first sync.WaitGroup.Wait or errgroup.Group.Wait call in fn, or
// token.NoPos.
func firstJoin(fn *ssa.Function) token.Pos {
	join := token.NoPos
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			callee := ssaform.Callee(call.Common())
			if (syncapi.IsMethod(callee, "sync", "WaitGroup", "Wait") || syncapi.IsMethod(callee, syncapi.ErrgroupPath, "Group", "Wait")) &&
				(!join.IsValid() || call.Pos() < join) {
				join = call.Pos()
			}
		}
	}
	return join
}

// freshRoot reports whether the address v is reached from a value the function created: an allocation
// reached without loads (lockset's Local), or one loaded once from a local variable that only ever holds
// new values (a variable captured by a function literal: db := &DB{}; go func() { ... db ... }()).
func freshRoot(v ssa.Value) bool {
	loads := 0
	var loadedFrom ssa.Value
	for {
		switch x := v.(type) {
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.Field:
			v = x.X
		case *ssa.IndexAddr:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return false
			}
			loads++
			loadedFrom, v = x.X, x.X
		case *ssa.Alloc:
			return loads == 0 || loads == 1 && loadedFrom == x && holdsOnlyNew(x)
		default:
			return false
		}
	}
}

// holdsOnlyNew reports whether every value stored in the variable cell is a new allocation (or nil), in its
// function and in the function literals that capture it, and its address goes nowhere else.
func holdsOnlyNew(cell *ssa.Alloc) bool {
	stored := false
	onlyNew := func(refs *[]ssa.Instruction, addr ssa.Value, captures bool) bool {
		if refs == nil {
			return false
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.Store:
				if r.Addr != addr {
					return false // the address itself is stored
				}
				if c, ok := r.Val.(*ssa.Const); ok && c.IsNil() {
					continue // db = nil
				}
				if _, ok := r.Val.(*ssa.Alloc); !ok {
					return false
				}
				stored = true
			case *ssa.UnOp, *ssa.DebugRef:
			case *ssa.MakeClosure:
				if !captures {
					return false // captured again by a nested literal: not followed
				}
			default:
				return false
			}
		}
		return true
	}
	if !onlyNew(cell.Referrers(), cell, true) {
		return false
	}
	for _, r := range *cell.Referrers() {
		mc, ok := r.(*ssa.MakeClosure)
		if !ok {
			continue
		}
		fn := mc.Fn.(*ssa.Function)
		for i, b := range mc.Bindings {
			if b == cell && i < len(fn.FreeVars) && !onlyNew(fn.FreeVars[i].Referrers(), fn.FreeVars[i], false) {
				return false
			}
		}
	}
	return stored
}

// keyOf returns h relative to the field a accesses, if h is a package-level mutex or is reached from the
// same value as the field (a parameter, or a package-level variable). A mutex in a package-level struct
// does not guard the fields of other values.
func (a *access) keyOf(h heldLock) (guardKey, bool) {
	switch {
	case h.global && h.path == "" && h.root != a.root:
		return guardKey{global: h.class}, true // a package-level mutex
	case h.root != a.root:
		return guardKey{}, false
	}
	lock := splitPath(h.path)
	n := 0
	for n < len(lock) && n < len(a.elems) && lock[n] == a.elems[n] {
		n++
	}
	if n >= len(a.elems) || n >= len(lock) {
		return guardKey{}, false // the lock is inside the field, or the field inside the lock
	}
	return guardKey{at: typeName(a.tys[n]), lock: strings.Join(lock[n:], ""), acc: strings.Join(a.elems[n:], "")}, true
}

// applies reports whether the lock k can guard a's field as a reaches it: from a value of the same type by
// the same path.
func (a *access) applies(k guardKey) bool {
	if k.global != "" {
		return true
	}
	acc := splitPath(k.acc)
	n := len(a.elems) - len(acc)
	return n >= 0 && strings.Join(a.elems[n:], "") == k.acc && typeName(a.tys[n]) == k.at
}

// checkField infers the guards of one field's accesses and reports the accesses without them.
func (c *guardCheck) checkField(p *program, accs []*access, conc map[*ssa.Function]why) {
	guards := infer(accs)
	if len(guards) == 0 {
		return
	}
	hasWrite := slices.ContainsFunc(accs, func(a *access) bool { return a.kind != read })
	slices.SortStableFunc(accs, func(a, b *access) int { return cmp.Compare(a.instr.Pos(), b.instr.Pos()) })
	reported := make(map[[2]any]bool)
	for _, a := range accs {
		w, concurrent := conc[a.fn]
		sel := c.sels[a.instr.Pos()]
		if !a.known || !concurrent || sel == nil {
			continue // callers not known, does not run in a goroutine, or a field not written (promoted)
		}
		var missing, readOnly *guard
		holdsWrite := false
		for i := range guards {
			g := &guards[i]
			if !a.applies(g.key) {
				continue
			}
			switch h, ok := a.held[g.key]; {
			case !ok:
				if missing == nil || g.n > missing.n {
					missing = g
				}
			case h.read:
				if readOnly == nil {
					readOnly = g
				}
			default:
				holdsWrite = true
			}
		}
		switch {
		case holdsWrite:
		case readOnly == nil && missing != nil && (a.kind != read || hasWrite):
			if key := [2]any{a.fn, "guarded"}; !reported[key] {
				reported[key] = true
				c.reportMissing(p, a, sel, missing, w)
			}
		case readOnly != nil && a.kind != read:
			if key := [2]any{a.fn, "rlock"}; !reported[key] {
				reported[key] = true
				c.reportReadLocked(p, a, sel, readOnly, w)
			}
		}
	}
}

// infer returns the locks held at >= 3 of a field's accesses and at >= 75% of those they apply to. An
// access whose callers are not known counts only where it holds the lock.
func infer(accs []*access) []guard {
	var keys []guardKey
	for _, a := range accs {
		for k := range a.held {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	slices.SortFunc(keys, func(x, y guardKey) int {
		return cmp.Or(strings.Compare(x.global, y.global), strings.Compare(x.at, y.at), strings.Compare(x.lock, y.lock), strings.Compare(x.acc, y.acc))
	})
	var out []guard
	for _, k := range keys {
		g := guard{key: k}
		for _, a := range accs {
			if !a.applies(k) {
				continue
			}
			_, ok := a.held[k]
			switch {
			case ok:
				g.n++
				g.of++
				g.holding = append(g.holding, a)
			case a.known:
				g.of++
			}
		}
		if g.n >= 3 && 4*g.n >= 3*g.of {
			out = append(out, g)
		}
	}
	return out
}

// example returns the access holding g to show next to a finding at a: the first in a's file, or else the
// first by file name and offset (positions of different files are not ordered alike from run to run).
func (c *guardCheck) example(a *access, g *guard) *access {
	file := c.pass.Fset.File(a.instr.Pos())
	var best *access
	var bestPos token.Position
	for _, h := range g.holding {
		hp := c.pass.Fset.Position(h.instr.Pos())
		same, bestSame := c.pass.Fset.File(h.instr.Pos()) == file, best != nil && c.pass.Fset.File(best.instr.Pos()) == file
		switch {
		case best == nil, same && !bestSame:
		case same != bestSame:
			continue
		case hp.Filename != bestPos.Filename && hp.Filename > bestPos.Filename, hp.Filename == bestPos.Filename && hp.Offset >= bestPos.Offset:
			continue
		}
		best, bestPos = h, hp
	}
	return best
}

func (c *guardCheck) reportMissing(p *program, a *access, sel *ast.SelectorExpr, g *guard, w why) {
	lock := c.lockName(a, sel, g)
	ex := c.example(a, g)
	c.r.Report(analysis.Diagnostic{
		Pos: sel.Pos(), End: sel.End(), Category: "guarded",
		Message: fmt.Sprintf("%s %s without %s (held at %d of its %d other accesses, e.g. %s); %s",
			types.ExprString(sel), a.kind.verb(), lock, g.n, g.of-1, shortPos(c.pass.Fset, ex.instr.Pos()), p.describe(a.fn, w)),
		Related: c.related(g, ex, w),
	})
}

func (c *guardCheck) reportReadLocked(p *program, a *access, sel *ast.SelectorExpr, g *guard, w why) {
	lock := c.lockName(a, sel, g)
	c.r.Report(analysis.Diagnostic{
		Pos: sel.Pos(), End: sel.End(), Category: "guarded-rlock",
		Message: fmt.Sprintf("%s %s while %s is only read-locked: other readers hold it at the same time; use %s.Lock; %s",
			types.ExprString(sel), a.kind.verb(), lock, lock, p.describe(a.fn, w)),
		Related: c.related(g, c.example(a, g), w),
	})
}

func (c *guardCheck) related(g *guard, example *access, w why) []analysis.RelatedInformation {
	ex := example.instr.Pos()
	name := example.held[g.key].name
	out := []analysis.RelatedInformation{{Pos: ex, Message: fmt.Sprintf("%s held here", name)}}
	if sel := c.sels[ex]; sel != nil {
		out[0].Message = fmt.Sprintf("%s accessed with %s held", types.ExprString(sel), name)
	}
	return append(out, analysis.RelatedInformation{Pos: w.start, Message: "goroutine started here"})
}

// lockName spells the guard as the access would: s.mu for s.rates, or the lock as written at the example.
func (c *guardCheck) lockName(a *access, sel *ast.SelectorExpr, g *guard) string {
	written := c.example(a, g).held[g.key].name
	if g.key.global != "" {
		return written
	}
	var base ast.Expr = sel
	for range splitPath(g.key.acc) {
		s, ok := ast.Unparen(base).(*ast.SelectorExpr)
		if !ok {
			return written
		}
		if sel := c.pass.TypesInfo.Selections[s]; sel == nil || len(sel.Index()) != 1 {
			return written // a promoted field: the path is not spelled
		}
		base = s.X
	}
	return types.ExprString(base) + g.key.lock
}

// indexSelectors maps the Sel position of each field selector to it.
func (c *guardCheck) indexSelectors() {
	c.sels = make(map[token.Pos]*ast.SelectorExpr)
	for _, f := range c.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if s, ok := n.(*ast.SelectorExpr); ok {
				c.sels[s.Sel.Pos()] = s
			}
			return true
		})
	}
}

// atomicFields returns the fields whose address is passed to a sync/atomic function.
func (c *guardCheck) atomicFields(p *program) map[*types.Var]bool {
	out := make(map[*types.Var]bool)
	for _, fn := range p.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				obj := calleeObj(call.Common())
				if obj == nil || obj.Pkg() == nil || obj.Pkg().Path() != "sync/atomic" {
					continue
				}
				for _, arg := range call.Common().Args {
					if fa, ok := arg.(*ssa.FieldAddr); ok {
						if f := fieldOf(fa); f != nil {
							out[f] = true
						}
					}
				}
			}
		}
	}
	return out
}

// kindOf classifies a field address by its uses: stored to (written), loaded and the map updated or
// deleted from (updated), loaded (read). Any other use (the address passed on, a deeper field) is not an
// access of this field.
func kindOf(fa *ssa.FieldAddr) (accessKind, bool) {
	refs := fa.Referrers()
	if refs == nil {
		return 0, false
	}
	kind, ok := read, false
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr != fa {
				return 0, false // the address itself is stored
			}
			kind, ok = written, true
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return 0, false
			}
			ok = true
			if kind == read && updatesMap(r) {
				kind = mapUpdated
			}
		case *ssa.DebugRef:
		default:
			return 0, false
		}
	}
	return kind, ok
}

// updatesMap reports whether the loaded value is a map that is assigned to or deleted from.
func updatesMap(v ssa.Value) bool {
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.MapUpdate:
			if r.Map == v {
				return true
			}
		case *ssa.Call:
			if b, ok := r.Call.Value.(*ssa.Builtin); ok && b.Name() == "delete" && len(r.Call.Args) > 0 && r.Call.Args[0] == v {
				return true
			}
		}
	}
	return false
}

// fieldOf returns the struct field a field address selects.
func fieldOf(fa *ssa.FieldAddr) *types.Var {
	ptr, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	st, ok := ptr.Elem().Underlying().(*types.Struct)
	if !ok || fa.Field >= st.NumFields() {
		return nil
	}
	return st.Field(fa.Field).Origin() // one field for every instance of a generic type
}

// chainTypes returns the type each element of v's field path (as lockset.IDOf reads it) is selected from,
// from the root outwards, and whether the path goes through a pointer load.
func chainTypes(v ssa.Value) (tys []types.Type, loads bool) {
	for {
		switch x := v.(type) {
		case *ssa.FieldAddr:
			tys = append(tys, x.X.Type())
			v = x.X
		case *ssa.Field:
			tys = append(tys, x.X.Type())
			v = x.X
		case *ssa.IndexAddr:
			tys = append(tys, x.X.Type())
			v = x.X
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return nil, loads
			}
			loads = true
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		default:
			slices.Reverse(tys)
			return tys, loads
		}
	}
}

// splitPath splits a field path ".conn.state[0].n" into its elements.
func splitPath(path string) []string {
	var out []string
	start := 0
	for i := 1; i <= len(path); i++ {
		if i == len(path) || path[i] == '.' || path[i] == '[' {
			if i > start {
				out = append(out, path[start:i])
			}
			start = i
		}
	}
	return out
}

// typeName names a type, pointer or not, with its package path.
func typeName(t types.Type) string {
	if p, ok := types.Unalias(t).Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		t = n.Origin() // Box[T] in one method and Box[E] in another are one type
	}
	return types.TypeString(t, nil)
}

func isPointerValue(v ssa.Value) bool {
	_, ok := v.Type().Underlying().(*types.Pointer)
	return ok
}

// isSyncType reports whether t is a type of package sync or sync/atomic (a lock, a WaitGroup, an atomic).
func isSyncType(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return false
	}
	path := n.Obj().Pkg().Path()
	return path == "sync" || path == "sync/atomic"
}

// inInit reports whether fn is an init function or a literal in one.
func inInit(fn *ssa.Function) bool {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	obj, ok := fn.Object().(*types.Func)
	return fn.Synthetic == "" && (ok && obj.Name() == "init" && fn.Signature.Recv() == nil || fn.Name() == "init")
}

func funcObj(obj types.Object) *types.Func {
	fn, _ := obj.(*types.Func)
	return fn
}
