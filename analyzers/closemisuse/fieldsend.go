package closemisuse

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/assigns"
	"github.com/conclint/conclint/internal/goroutines"
	"github.com/conclint/conclint/internal/syncapi"
)

// A fieldSender is a goroutine started by a method that sends on its receiver's field.
type fieldSender struct {
	g     *ssa.Go
	body  *ssa.Function   // the method or function literal the goroutine runs
	send  ssa.Instruction // a send on the field, in body or in a method it calls on the receiver
	recvT types.Type      // the receiver type of the method that starts it
}

// checkFieldSenders reports a method that closes its receiver's field on every path, with no guard and
// without waiting for anything, while a goroutine started by another method of the type sends on that
// field and nothing tells it to stop first: the goroutine's next send panics.
func (c *checker) checkFieldSenders(funcs []*ssa.Function, closers map[*ssa.Function][]closer, reported map[ssa.Instruction]bool) {
	owned := c.ownedChanFields()
	if len(owned) == 0 {
		return // no unexported channel field that only plain channel operations and constructors use
	}
	senders := c.fieldSenders(funcs, owned)
	if len(senders) == 0 {
		return
	}
	callers := callSites(funcs)
	for _, fn := range funcs {
		cls := closers[fn]
		if len(cls) == 0 || c.isTest(fn.Pos()) || mayOrder(fn, 0) {
			continue // no unguarded close, or the closer may wait for or signal the sender first
		}
		if !fn.Object().Exported() && !c.calledOutsideTests(fn, callers) {
			continue // an unexported closer that nothing calls: dead code
		}
		if c.callerMayOrder(fn, callers) {
			continue // a caller may stop and join the sender before it calls the closer
		}
		for _, cl := range cls {
			if reported[cl.close] || !owned[cl.field] {
				continue
			}
			for _, s := range senders[cl.field] {
				if !types.Identical(s.recvT, fn.Params[0].Type()) || topLevel(s.g.Parent()) == fn || runs(s.body, fn) {
					continue // another type, the closer starts the sender itself, or the sender runs the closer
				}
				reported[cl.close] = true
				c.reportFieldSender(fn, cl, s)
				break
			}
		}
	}
}

func (c *checker) reportFieldSender(fn *ssa.Function, cl closer, s fieldSender) {
	name := c.closedFieldName(cl)
	who, stop := "the goroutine started at "+c.shortPos(s.g), "it"
	if s.body.Parent() == nil {
		who = fmt.Sprintf("%s (started at %s)", funcName(s.body), c.shortPos(s.g))
		stop = funcName(s.body)
	}
	c.r.Report(analysis.Diagnostic{
		Pos: c.start(cl.close), End: c.callEnd(cl.close), Category: catSend,
		Message: fmt.Sprintf("%s closed by %s while %s may still send on it: its next send panics (send on closed channel); stop %s and wait for it before closing %s",
			name, funcName(fn), who, stop, name),
		Related: []analysis.RelatedInformation{
			{Pos: c.start(s.send), Message: "send on " + name},
			{Pos: c.start(s.g), Message: "sender started here"},
		},
	})
}

// fieldSenders returns, per field of owned, the goroutines that run a method of the package that sends
// on its receiver's field (go x.m(), in any function), or a function literal started by a method that
// sends on the method's receiver's field (go func() {...}()). A goroutine that locks a mutex is left out
// (a flag under that lock may keep it from sending), and so is a send in a select that also receives (a
// done channel or ctx.Done() may stop it), and a goroutine that closes the field itself.
func (c *checker) fieldSenders(funcs []*ssa.Function, owned map[*types.Var]bool) map[*types.Var][]fieldSender {
	out := make(map[*types.Var][]fieldSender)
	for _, fn := range funcs {
		if c.isTest(fn.Pos()) {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				g, ok := instr.(*ssa.Go)
				if !ok {
					continue
				}
				body, recv, isRecv := goBody(g)
				if body == nil || locks(body, 0) {
					continue // not run on a method's receiver, or it may check a flag under a lock
				}
				for field, send := range fieldSends(body, isRecv, owned, 0) {
					if !closesField(body, field) {
						out[field] = append(out[field], fieldSender{g: g, body: body, send: send, recvT: recv.Type()})
					}
				}
			}
		}
	}
	return out
}

// goBody returns the function a go statement runs, the receiver whose fields it may send on, and a
// predicate for the values that stand for that receiver inside the function: the receiver parameter of m
// for go x.m(), a method of the package; or, for go func() {...}() in a method, the loads of the variable
// that holds the method's receiver, when nothing assigns that variable.
func goBody(g *ssa.Go) (*ssa.Function, *ssa.Parameter, func(ssa.Value) bool) {
	call := &g.Call
	if mc, ok := call.Value.(*ssa.MakeClosure); ok {
		top := g.Parent()
		if top.Parent() != nil || top.Signature.Recv() == nil || len(top.Params) == 0 {
			return nil, nil, nil // not started by a method: which value the literal runs on is not followed
		}
		body := mc.Fn.(*ssa.Function)
		for i, b := range mc.Bindings {
			if i < len(body.FreeVars) && holdsOnly(b, top.Params[0]) {
				fv := body.FreeVars[i]
				return body, top.Params[0], func(v ssa.Value) bool {
					load, ok := v.(*ssa.UnOp)
					return v == fv || ok && load.Op == token.MUL && load.X == fv
				}
			}
		}
		return nil, nil, nil
	}
	callee := call.StaticCallee()
	if call.IsInvoke() || callee == nil || callee.Signature.Recv() == nil || callee.Pkg != g.Parent().Pkg || len(callee.Blocks) == 0 || len(callee.Params) == 0 {
		return nil, nil, nil
	}
	recv := callee.Params[0]
	return callee, recv, func(v ssa.Value) bool { return v == recv }
}

// holdsOnly reports whether v is p, or a variable (a cell captured by a closure) that only p is stored
// in and that is used only by loads and closures.
func holdsOnly(v ssa.Value, p *ssa.Parameter) bool {
	if v == ssa.Value(p) {
		return true
	}
	cell, ok := v.(*ssa.Alloc)
	if !ok || cell.Referrers() == nil {
		return false
	}
	stores := 0
	for _, ref := range *cell.Referrers() {
		switch ref := ref.(type) {
		case *ssa.Store:
			if ref.Addr != cell || ref.Val != ssa.Value(p) {
				return false
			}
			stores++
		case *ssa.UnOp:
			if ref.Op != token.MUL {
				return false
			}
		case *ssa.MakeClosure:
		default:
			return false
		}
	}
	return stores == 1
}

// fieldSends returns, per owned field of recv, one send on it in fn that is not in a select that also
// receives, looking into the package's methods that fn calls on recv (depth 2).
func fieldSends(fn *ssa.Function, isRecv func(ssa.Value) bool, owned map[*types.Var]bool, depth int) map[*types.Var]ssa.Instruction {
	out := make(map[*types.Var]ssa.Instruction)
	add := func(ch ssa.Value, at ssa.Instruction) {
		if base, field, ok := fieldOf(ch); ok && isRecv(base) && owned[field] && out[field] == nil {
			out[field] = at
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Send:
				add(instr.Chan, instr)
			case *ssa.Select:
				if !selectReceives(instr) {
					for _, st := range instr.States {
						if st.Dir == types.SendOnly {
							add(st.Chan, instr)
						}
					}
				}
			case *ssa.Call:
				callee := instr.Call.StaticCallee()
				if depth < 2 && callee != nil && callee.Pkg == fn.Pkg && len(instr.Call.Args) > 0 && isRecv(instr.Call.Args[0]) && len(callee.Params) > 0 && len(callee.Blocks) > 0 {
					recv := callee.Params[0]
					for field, send := range fieldSends(callee, func(v ssa.Value) bool { return v == recv }, owned, depth+1) {
						if out[field] == nil {
							out[field] = send
						}
					}
				}
			}
		}
	}
	return out
}

func selectReceives(sel *ssa.Select) bool {
	for _, st := range sel.States {
		if st.Dir == types.RecvOnly {
			return true
		}
	}
	return false
}

// closesField reports whether fn closes a field named by field, directly.
func closesField(fn *ssa.Function, field *types.Var) bool {
	for _, fc := range directFieldCloses(fn) {
		if fc.field == field {
			return true
		}
	}
	return false
}

// mayOrder reports whether fn, or a function of the package it calls (depth 3), may wait for or signal
// another goroutine: a receive, a select, a send, a Wait, a close of a channel, a call of a function
// value (a cancel func) or of an interface method, or anything of package sync other than a mutex, or of
// sync/atomic. The analyzer does not tell which goroutine such a signal reaches, so any of them counts.
func mayOrder(fn *ssa.Function, depth int) bool {
	closes := 0
	return mayOrderCount(fn, depth, &closes)
}

// mayOrderCount is mayOrder, counting the closes it has seen in *closes: one is the close of the field.
func mayOrderCount(fn *ssa.Function, depth int, closes *int) bool {
	if depth > 3 {
		return true
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.UnOp:
				if instr.Op == token.ARROW {
					return true
				}
			case *ssa.Select, *ssa.Send:
				return true
			case ssa.CallInstruction:
				call := instr.Common()
				if goroutines.IsClose(call) {
					if *closes++; *closes > 1 {
						return true // another channel may be the sender's stop signal
					}
					continue
				}
				if _, ok := call.Value.(*ssa.Builtin); ok {
					continue
				}
				if goroutines.IsWait(instr) || call.IsInvoke() {
					return true
				}
				callee := call.StaticCallee()
				if callee == nil {
					return true // a function value: a cancel func, or a callback
				}
				if obj, ok := callee.Object().(*types.Func); ok && obj.Pkg() != nil {
					switch obj.Pkg().Path() {
					case "sync/atomic":
						return true
					case "sync":
						if syncapi.LockOpOf(obj) == syncapi.NotLock {
							return true
						}
					}
				}
				if callee.Pkg == fn.Pkg && len(callee.Blocks) > 0 && mayOrderCount(callee, depth+1, closes) {
					return true
				}
			}
		}
	}
	return false
}

// callSites returns the static calls of each function of the package, by callee.
func callSites(funcs []*ssa.Function) map[*ssa.Function][]ssa.CallInstruction {
	out := make(map[*ssa.Function][]ssa.CallInstruction)
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if ci, ok := instr.(ssa.CallInstruction); ok {
					if callee := ci.Common().StaticCallee(); callee != nil {
						out[callee] = append(out[callee], ci)
					}
				}
			}
		}
	}
	return out
}

// callerMayOrder reports whether a function of the package that calls fn (or calls a function that calls
// it, depth 3) may wait for or signal another goroutine: Stop() { s.cancel(); s.wg.Wait(); s.Close() }.
func (c *checker) callerMayOrder(fn *ssa.Function, callers map[*ssa.Function][]ssa.CallInstruction) bool {
	seen := map[*ssa.Function]bool{fn: true}
	var visit func(fn *ssa.Function, depth int) bool
	visit = func(fn *ssa.Function, depth int) bool {
		for _, ci := range callers[fn] {
			caller := ci.Parent()
			if seen[caller] || c.isTest(caller.Pos()) {
				continue
			}
			seen[caller] = true
			if depth > 3 || mayOrder(caller, 0) || visit(caller, depth+1) {
				return true
			}
		}
		return false
	}
	return visit(fn, 0)
}

// calledOutsideTests reports whether code of the package other than test code calls fn.
func (c *checker) calledOutsideTests(fn *ssa.Function, callers map[*ssa.Function][]ssa.CallInstruction) bool {
	for _, ci := range callers[fn] {
		if !c.isTest(ci.Parent().Pos()) {
			return true
		}
	}
	return false
}

// runs reports whether body may run target: it calls it, directly or through the functions of its package
// it calls (depth 3), or calls a function value, which may be it.
func runs(body, target *ssa.Function) bool {
	obj := target.Object()
	return callsAny(body, 0, true, func(f *types.Func) bool { return f == obj })
}

// ownedChanFields returns the unexported channel fields of the package's structs whose every use is a
// send, a receive, a range, a close, len or cap, and every assignment (see assigns.Site) is in a
// constructor (a function, not a method, that returns the struct or a pointer to it) or in a struct
// literal outside methods. Any other use (passed on, stored, returned, assigned by a method, which a
// restart makes a new channel) may let code the analyzer does not follow send, close or replace the
// channel. A struct that a method replaces whole (*s = T{...}) or that a method builds with the field
// (T{f: ...}) is left out too.
func (c *checker) ownedChanFields() map[*types.Var]bool {
	in := c.pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	sites := c.pass.ResultOf[assigns.Analyzer].(*assigns.Result)
	owned := make(map[*types.Var]bool)
	bad := make(map[*types.Var]bool)
	for cur := range in.Root().Preorder((*ast.SelectorExpr)(nil), (*ast.AssignStmt)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.SelectorExpr:
			sel := c.pass.TypesInfo.Selections[n]
			if sel == nil || sel.Kind() != types.FieldVal {
				continue
			}
			v, ok := sel.Obj().(*types.Var)
			if !ok {
				continue
			}
			v = v.Origin()
			if _, ok := v.Type().Underlying().(*types.Chan); !ok {
				continue
			}
			if v.Exported() || !c.plainChanUse(cur) {
				bad[v] = true
			} else {
				owned[v] = true
			}
		case *ast.AssignStmt:
			if !inMethod(cur) {
				continue
			}
			for _, lhs := range n.Lhs {
				if star, ok := ast.Unparen(lhs).(*ast.StarExpr); ok {
					if st, ok := c.pass.TypesInfo.TypeOf(star).Underlying().(*types.Struct); ok {
						for i := range st.NumFields() {
							bad[st.Field(i).Origin()] = true // *s = T{...} replaces every field
						}
					}
				}
			}
		}
	}
	for v := range owned {
		if bad[v] || slices.ContainsFunc(sites.Sites(v), func(s assigns.Site) bool { return !c.constructs(in, s) }) {
			delete(owned, v)
		}
	}
	return owned
}

// constructs reports whether an assignment to a channel field is in a constructor (s.f = make(...)), or
// in a struct literal outside methods.
func (c *checker) constructs(in *inspector.Inspector, s assigns.Site) bool {
	at, ok := in.Root().FindByPos(s.At.Pos(), s.At.End())
	if !ok {
		return false
	}
	switch at.Parent().Node().(type) {
	case *ast.KeyValueExpr, *ast.CompositeLit:
		return !inMethod(at) // a method that builds a value with the field: a restart
	case *ast.AssignStmt:
		sel, ok := s.At.(*ast.SelectorExpr)
		return ok && c.inConstructor(at, sel)
	}
	return false // its address taken, a range variable: the analyzer does not follow it
}

// plainChanUse reports whether the selector at cur is the channel of a send, a receive, a range, a close,
// len or cap, or the left side of an assignment.
func (c *checker) plainChanUse(cur inspector.Cursor) bool {
	sel := cur.Node().(*ast.SelectorExpr)
	switch p := cur.Parent().Node().(type) {
	case *ast.SendStmt:
		return p.Chan == sel
	case *ast.UnaryExpr:
		return p.Op == token.ARROW
	case *ast.RangeStmt:
		return p.X == sel
	case *ast.CallExpr:
		if id, ok := ast.Unparen(p.Fun).(*ast.Ident); ok && len(p.Args) == 1 && p.Args[0] == sel {
			if b, ok := c.pass.TypesInfo.Uses[id].(*types.Builtin); ok {
				return b.Name() == "close" || b.Name() == "len" || b.Name() == "cap"
			}
		}
	case *ast.AssignStmt:
		return slices.Contains(p.Lhs, ast.Expr(sel)) // an assignment: its site decides (see constructs)
	}
	return false
}

// inConstructor reports whether cur is in the body of a function (not a method, nor a function literal)
// whose results include the type that holds the selected field, or a pointer to it.
func (c *checker) inConstructor(cur inspector.Cursor, sel *ast.SelectorExpr) bool {
	var decl *ast.FuncDecl
	for p := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		d, ok := p.Node().(*ast.FuncDecl)
		if !ok {
			return false // in a function literal: when it runs is not followed
		}
		decl = d
		break
	}
	if decl == nil || decl.Recv != nil || decl.Type.Results == nil {
		return false
	}
	holder := c.pass.TypesInfo.TypeOf(sel.X)
	if holder == nil {
		return false
	}
	if p, ok := holder.Underlying().(*types.Pointer); ok {
		holder = p.Elem()
	}
	for _, r := range decl.Type.Results.List {
		t := c.pass.TypesInfo.TypeOf(r.Type)
		if t == nil {
			continue
		}
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if types.Identical(t, holder) {
			return true
		}
	}
	return false
}

// inMethod reports whether cur is inside a method declaration.
func inMethod(cur inspector.Cursor) bool {
	for p := range cur.Enclosing((*ast.FuncDecl)(nil)) {
		return p.Node().(*ast.FuncDecl).Recv != nil
	}
	return false
}
