package closemisuse

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/goroutines"
)

// A fieldClose is a close of a struct field's channel: close(x.f), directly or deferred, or a call of a
// method that closes its receiver's field f on every path (x.Stop()).
type fieldClose struct {
	instr    ssa.Instruction // *ssa.Call or *ssa.Defer
	base     ssa.Value       // x
	field    *types.Var      // f
	deferred bool
	via      *ssa.Function // the method called, or nil for a direct close
}

// A closer is a method that closes its receiver's field on every path through it, with no guard.
type closer struct {
	fn    *ssa.Function
	field *types.Var
	close ssa.Instruction // the close in fn
}

// checkFields reports struct-field channels closed twice: on one path of a function, directly or through
// methods that close them, or by a method that two functions call on their receiver.
func (c *checker) checkFields() {
	reassigned := c.fieldsAssignedInMethods()
	closers := make(map[*ssa.Function][]closer)
	funcs := c.form.Funcs()
	for _, fn := range funcs {
		if fn.Signature.Recv() == nil || fn.Parent() != nil || len(fn.Params) == 0 {
			continue
		}
		for _, fc := range directFieldCloses(fn) {
			if fc.base != fn.Params[0] || reassigned[fc.field] {
				continue // not the receiver's field, or a method assigns it a new channel (restart)
			}
			if inevitableIf(nil, fc.instr, func(ssa.Instruction) bool { return false }) {
				closers[fn] = append(closers[fn], closer{fn: fn, field: fc.field, close: fc.instr})
			}
		}
	}
	reported := make(map[ssa.Instruction]bool)
	for _, fn := range funcs {
		if c.isTest(fn.Pos()) {
			continue // tests close what they like
		}
		c.checkFieldPaths(fn, closers, reported)
	}
	c.checkCalledTwice(funcs, closers, reported)
	c.checkFieldSenders(funcs, closers, reported)
	c.checkRacyIdiomMethods(funcs)
	if c.stop {
		c.checkUnguardedStop(closers, reported)
	}
}

// checkUnguardedStop reports a Stop or Close method of an exported type that closes a field with no
// guard: a user who calls it twice panics. The package may call it once or never, so this is a flag.
func (c *checker) checkUnguardedStop(closers map[*ssa.Function][]closer, reported map[ssa.Instruction]bool) {
	keys := make([]*ssa.Function, 0, len(closers))
	for fn := range closers {
		keys = append(keys, fn)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].Pos() < keys[j].Pos() })
	for _, fn := range keys {
		if fn.Name() != "Stop" && fn.Name() != "Close" || !exportedRecv(fn) {
			continue
		}
		for _, cl := range closers[fn] {
			if reported[cl.close] || c.isTest(cl.close.Pos()) {
				continue
			}
			reported[cl.close] = true
			c.r.Report(analysis.Diagnostic{
				Pos: c.start(cl.close), End: c.callEnd(cl.close), Category: catUnguarded,
				Message: fmt.Sprintf("%s closed with no guard by the exported %s: a second call panics (closing a closed channel); guard the close with a sync.Once",
					c.closedFieldName(cl), funcName(fn)),
			})
		}
	}
}

// exportedRecv reports whether fn's receiver type is an exported named type.
func exportedRecv(fn *ssa.Function) bool {
	t := fn.Signature.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Exported()
}

// directFieldCloses returns the closes of struct fields in fn's own body.
func directFieldCloses(fn *ssa.Function) []fieldClose {
	var out []fieldClose
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			var call *ssa.CallCommon
			deferred := false
			switch instr := instr.(type) {
			case *ssa.Call:
				call = &instr.Call
			case *ssa.Defer:
				call, deferred = &instr.Call, true
			default:
				continue
			}
			if !goroutines.IsClose(call) || len(call.Args) != 1 {
				continue
			}
			if base, field, ok := fieldOf(call.Args[0]); ok {
				out = append(out, fieldClose{instr: instr, base: base, field: field, deferred: deferred})
			}
		}
	}
	return out
}

// fieldOf returns x and f when v loads x.f.
func fieldOf(v ssa.Value) (ssa.Value, *types.Var, bool) {
	if ct, ok := v.(*ssa.ChangeType); ok {
		v = ct.X
	}
	switch v := v.(type) {
	case *ssa.UnOp:
		fa, ok := v.X.(*ssa.FieldAddr)
		if !ok || v.Op != token.MUL {
			return nil, nil, false
		}
		ptr, ok := fa.X.Type().Underlying().(*types.Pointer)
		if !ok {
			return nil, nil, false
		}
		st, ok := ptr.Elem().Underlying().(*types.Struct)
		if !ok {
			return nil, nil, false
		}
		return fa.X, st.Field(fa.Field).Origin(), true
	case *ssa.Field:
		st, ok := v.X.Type().Underlying().(*types.Struct)
		if !ok {
			return nil, nil, false
		}
		return v.X, st.Field(v.Field).Origin(), true
	}
	return nil, nil, false
}

// fieldsAssignedInMethods returns the fields that a method assigns (s.done = make(chan struct{})): such
// a channel is made anew when its owner restarts, and each close may close a new one.
func (c *checker) fieldsAssignedInMethods() map[*types.Var]bool {
	out := make(map[*types.Var]bool)
	for _, file := range c.pass.Files {
		for _, decl := range file.Decls {
			d, ok := decl.(*ast.FuncDecl)
			if !ok || d.Recv == nil || d.Body == nil {
				continue
			}
			ast.Inspect(d.Body, func(n ast.Node) bool {
				as, ok := n.(*ast.AssignStmt)
				if !ok {
					return true
				}
				for _, lhs := range as.Lhs {
					if sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr); ok {
						if s := c.pass.TypesInfo.Selections[sel]; s != nil && s.Kind() == types.FieldVal {
							if v, ok := s.Obj().(*types.Var); ok {
								out[v.Origin()] = true
							}
						}
					}
				}
				return true
			})
		}
	}
	return out
}

// fieldCloses returns the closes of fields in fn: direct ones, and calls of closers.
func fieldCloses(fn *ssa.Function, closers map[*ssa.Function][]closer) []fieldClose {
	out := directFieldCloses(fn)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, deferred := callOf(instr)
			if call == nil {
				continue
			}
			callee := call.StaticCallee()
			if callee == nil || len(call.Args) == 0 {
				continue
			}
			for _, cl := range closers[callee] {
				out = append(out, fieldClose{instr: instr, base: call.Args[0], field: cl.field, deferred: deferred, via: callee})
			}
		}
	}
	return out
}

func callOf(instr ssa.Instruction) (*ssa.CallCommon, bool) {
	switch instr := instr.(type) {
	case *ssa.Call:
		return &instr.Call, false
	case *ssa.Defer:
		return &instr.Call, true
	}
	return nil, false
}

// checkFieldPaths reports two closes of one field of one value on one path of fn.
func (c *checker) checkFieldPaths(fn *ssa.Function, closers map[*ssa.Function][]closer, reported map[ssa.Instruction]bool) {
	fcs := fieldCloses(fn, closers)
	for i, a := range fcs {
		for _, b := range fcs[i+1:] {
			if a.base != b.base || a.field != b.field || a.instr == b.instr {
				continue
			}
			assigns := func(instr ssa.Instruction) bool { return storesField(instr, a.base, a.field) }
			first, second, ok := orderedFieldCloses(a, b, assigns)
			if !ok || reported[second.instr] {
				continue
			}
			reported[second.instr] = true
			c.reportFieldPath(first, second)
		}
	}
}

// storesField reports whether instr assigns base.field.
func storesField(instr ssa.Instruction, base ssa.Value, field *types.Var) bool {
	st, ok := instr.(*ssa.Store)
	if !ok {
		return false
	}
	fa, ok := st.Addr.(*ssa.FieldAddr)
	if !ok || fa.X != base {
		return false
	}
	ptr, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	s, ok := ptr.Elem().Underlying().(*types.Struct)
	return ok && s.Field(fa.Field).Origin() == field
}

// orderedFieldCloses returns a and b in the order they run when both run on one path, or ok false.
func orderedFieldCloses(a, b fieldClose, avoid func(ssa.Instruction) bool) (first, second fieldClose, ok bool) {
	switch {
	case !a.deferred && !b.deferred:
		if inevitableIf(a.instr, b.instr, avoid) {
			return a, b, true
		}
		if inevitableIf(b.instr, a.instr, avoid) {
			return b, a, true
		}
	case a.deferred && b.deferred:
		if reachesIf(a.instr, b.instr, avoid) || reachesIf(b.instr, a.instr, avoid) {
			return a, b, true
		}
	default:
		d, direct := a, b
		if b.deferred {
			d, direct = b, a
		}
		if reachesIf(d.instr, direct.instr, avoid) || inevitableIf(direct.instr, d.instr, avoid) {
			return direct, d, true
		}
	}
	return fieldClose{}, fieldClose{}, false
}

func (c *checker) reportFieldPath(first, second fieldClose) {
	name := c.fieldName(second)
	how := func(fc fieldClose) string {
		if fc.via != nil {
			return "by " + c.callName(fc) + ", which closes it on every path"
		}
		return "here"
	}
	at, other := second, first
	msg := fmt.Sprintf("second close of %s on this path (%s): closing a closed channel panics", name, how(second))
	if second.deferred && !first.deferred {
		at, other = first, second
		msg = fmt.Sprintf("close of %s (%s) on a path where a deferred close of it runs too, at return: closing a closed channel panics", name, how(first))
	} else if second.deferred {
		msg = fmt.Sprintf("%s closed by two deferred closes on one path: closing a closed channel panics", name)
	}
	c.r.Report(analysis.Diagnostic{
		Pos: c.start(at.instr), End: c.callEnd(at.instr), Category: catDouble, Message: msg,
		Related: []analysis.RelatedInformation{{Pos: c.start(other.instr), Message: fmt.Sprintf("%s also closed here (%s)", name, how(other))}},
	})
}

// fieldName returns the spelling of x.f for a field close.
func (c *checker) fieldName(fc fieldClose) string {
	call := c.callExpr(fc.instr)
	if call == nil {
		return fc.field.Name()
	}
	if fc.via == nil && len(call.Args) == 1 {
		return types.ExprString(call.Args[0])
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		return types.ExprString(sel.X) + "." + fc.field.Name()
	}
	return fc.field.Name()
}

// callName returns the spelling of the called function: s.Stop.
func (c *checker) callName(fc fieldClose) string {
	if call := c.callExpr(fc.instr); call != nil {
		return types.ExprString(call.Fun)
	}
	return fc.via.Name()
}

func (c *checker) callExpr(instr ssa.Instruction) *ast.CallExpr {
	switch n := c.form.Node(instr).(type) {
	case *ast.CallExpr:
		return n
	case *ast.DeferStmt:
		return n.Call
	}
	return nil
}

func (c *checker) callEnd(instr ssa.Instruction) token.Pos {
	if call := c.callExpr(instr); call != nil {
		return call.Lparen
	}
	return token.NoPos
}

// checkCalledTwice reports a closer that two functions call, each on the receiver of a method of the
// closer's type and on every path through it: when both run, the second call closes the closed channel.
func (c *checker) checkCalledTwice(funcs []*ssa.Function, closers map[*ssa.Function][]closer, reported map[ssa.Instruction]bool) {
	type site struct {
		instr ssa.Instruction
		top   *ssa.Function
	}
	sites := make(map[*ssa.Function][]site)
	for _, fn := range funcs {
		if c.isTest(fn.Pos()) {
			continue // a test may stop twice on purpose; the program's own callers matter
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, _ := callOf(instr)
				if call == nil {
					continue
				}
				callee := call.StaticCallee()
				if len(closers[callee]) == 0 || len(call.Args) == 0 {
					continue
				}
				top := topLevel(fn)
				if top == callee || !isMethodRecv(call.Args[0], callee) {
					continue // recursion, or a call on a value other than a method's receiver
				}
				if !inevitableIf(nil, instr, func(ssa.Instruction) bool { return false }) {
					continue // a conditional call may be the guard (if !s.stopped { s.stop() })
				}
				sites[callee] = append(sites[callee], site{instr, top})
			}
		}
	}
	keys := make([]*ssa.Function, 0, len(sites))
	for fn := range sites {
		keys = append(keys, fn)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].Pos() < keys[j].Pos() })
	for _, callee := range keys {
		ss := sites[callee]
		var first, second *site
		for i := range ss {
			for j := range ss[i+1:] {
				if ss[i].top != ss[i+1+j].top && first == nil {
					first, second = &ss[i], &ss[i+1+j]
				}
			}
		}
		if first == nil {
			continue // every call is in one function
		}
		for _, cl := range closers[callee] {
			if reported[cl.close] || c.isTest(cl.close.Pos()) {
				continue
			}
			reported[cl.close] = true
			name := c.closedFieldName(cl)
			c.r.Report(analysis.Diagnostic{
				Pos: c.start(cl.close), End: c.callEnd(cl.close), Category: catDouble,
				Message: fmt.Sprintf("%s closed with no guard by %s, which both %s and %s call: the second call panics (closing a closed channel); guard the close with a sync.Once",
					name, callee.Name(), funcName(first.top), funcName(second.top)),
				Related: []analysis.RelatedInformation{
					{Pos: c.start(first.instr), Message: callee.Name() + " called here"},
					{Pos: c.start(second.instr), Message: callee.Name() + " called here too"},
				},
			})
		}
	}
}

// closedFieldName returns the spelling of the channel closed by a closer: s.done.
func (c *checker) closedFieldName(cl closer) string {
	if call := c.callExpr(cl.close); call != nil && len(call.Args) == 1 {
		return types.ExprString(call.Args[0])
	}
	return cl.field.Name()
}

func funcName(fn *ssa.Function) string {
	if recv := fn.Signature.Recv(); recv != nil {
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			return n.Obj().Name() + "." + fn.Name()
		}
	}
	return fn.Name()
}

// topLevel returns the declared function that fn is, or is nested in.
func topLevel(fn *ssa.Function) *ssa.Function {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn
}

// isMethodRecv reports whether v is the receiver of a method of callee's receiver type, in that method
// or captured by a closure in it.
func isMethodRecv(v ssa.Value, callee *ssa.Function) bool {
	for {
		switch x := v.(type) {
		case *ssa.Parameter:
			fn := x.Parent()
			return fn.Signature.Recv() != nil && fn.Parent() == nil && len(fn.Params) > 0 && fn.Params[0] == x &&
				types.Identical(x.Type(), callee.Params[0].Type())
		case *ssa.FreeVar:
			fn := x.Parent()
			idx := -1
			for i, fv := range fn.FreeVars {
				if fv == x {
					idx = i
				}
			}
			mc := makeClosureOf(fn)
			if idx < 0 || mc == nil {
				return false
			}
			v = mc.Bindings[idx]
		default:
			return false
		}
	}
}

// makeClosureOf returns the MakeClosure of the function literal fn in its parent, or nil.
func makeClosureOf(fn *ssa.Function) *ssa.MakeClosure {
	parent := fn.Parent()
	if parent == nil {
		return nil
	}
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn {
				return mc
			}
		}
	}
	return nil
}
