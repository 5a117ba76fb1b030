package closemisuse

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"
)

// A chanOp is a send, a receive or a range over a channel, in syntax, outside the cases of a select (a
// nil channel in a select case disables the case, which is an idiom).
type chanOp struct {
	node ast.Node // *ast.SendStmt, *ast.UnaryExpr or *ast.RangeStmt
	ch   ast.Expr // the channel operand, without parentheses
	bare bool     // a receive statement whose value is discarded: <-ch
}

// verb returns what the op does to its channel, for messages.
func (op chanOp) verb() string {
	switch op.node.(type) {
	case *ast.SendStmt:
		return "send on"
	case *ast.RangeStmt:
		return "range over"
	}
	return "receive from"
}

// consequence returns what a nil channel does to the op.
func (op chanOp) consequence() string {
	if _, ok := op.node.(*ast.RangeStmt); ok {
		return "the loop blocks forever"
	}
	return "it blocks forever"
}

// channelOps returns the sends, receives and ranges over channels of the package, outside select cases,
// in source order.
func channelOps(pass *analysis.Pass) []chanOp {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	comms := make(map[ast.Stmt]bool)
	for cur := range in.Root().Preorder((*ast.CommClause)(nil)) {
		if comm := cur.Node().(*ast.CommClause).Comm; comm != nil {
			comms[comm] = true
		}
	}
	isChan := func(e ast.Expr) bool {
		t := pass.TypesInfo.TypeOf(e)
		if t == nil {
			return false
		}
		_, ok := t.Underlying().(*types.Chan)
		return ok
	}
	var ops []chanOp
	for cur := range in.Root().Preorder((*ast.SendStmt)(nil), (*ast.UnaryExpr)(nil), (*ast.RangeStmt)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.SendStmt:
			if !comms[n] && isChan(n.Chan) {
				ops = append(ops, chanOp{node: n, ch: ast.Unparen(n.Chan)})
			}
		case *ast.UnaryExpr:
			if n.Op != token.ARROW || !isChan(n.X) {
				continue
			}
			stmt, _ := cur.Parent().Node().(ast.Stmt)
			if stmt != nil && comms[stmt] {
				continue // a case of a select
			}
			_, bare := stmt.(*ast.ExprStmt)
			ops = append(ops, chanOp{node: n, ch: ast.Unparen(n.X), bare: bare})
		case *ast.RangeStmt:
			if isChan(n.X) {
				ops = append(ops, chanOp{node: n, ch: ast.Unparen(n.X)})
			}
		}
	}
	return ops
}

// checkNilFields reports the sends, receives and ranges on an unexported struct field of channel type
// that the package never assigns: no assignment, no composite literal that sets it, no address taken.
// Code of another package cannot assign an unexported field (reflection cannot set one without
// unsafe), so the field is nil in every value and each operation on it blocks forever. Unexported
// package variables are checked the same way.
func (c *checker) checkNilFields(ops []chanOp) {
	if importsUnsafe(c.pass.Pkg) {
		return // unsafe (or cgo) can write any field or variable
	}
	c.checkNilPackageVars(ops)
	byField := make(map[*types.Var][]chanOp)
	var order []*types.Var
	for _, op := range ops {
		f := c.chanField(op.ch)
		if f == nil {
			continue
		}
		if byField[f] == nil {
			order = append(order, f)
		}
		byField[f] = append(byField[f], op)
	}
	if len(order) == 0 {
		return
	}
	owners, anon := c.fieldOwners()
	written := c.writtenFields(owners)
	written.anon = anon
	for _, f := range order {
		owner := owners[f]
		if owner == nil || written.covers(owner, f) {
			continue // declared out of the files we see, or assigned, or checked against nil
		}
		c.reportNil(byField[f], "which is never assigned in this package (nil)", f.Pos(), f.Name()+" declared here, and never assigned")
	}
}

// chanField returns the field an operand selects when it is a candidate for a never-assigned channel:
// an unexported, non-embedded field of the package, of a channel type without methods.
func (c *checker) chanField(e ast.Expr) *types.Var {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	s := c.pass.TypesInfo.Selections[sel]
	if s == nil || s.Kind() != types.FieldVal {
		return nil
	}
	f, ok := s.Obj().(*types.Var)
	if !ok {
		return nil
	}
	f = f.Origin()
	if f.Exported() || f.Embedded() || f.Pkg() != c.pass.Pkg {
		return nil
	}
	if types.NewMethodSet(types.NewPointer(f.Type())).Len() > 0 {
		return nil // a method with a pointer receiver may assign it
	}
	return f
}

// fieldOwners maps each field declared in the package's files to its struct type, and lists the struct
// types written as type literals outside a type declaration (struct{ value chan O } in a field's type).
func (c *checker) fieldOwners() (map[*types.Var]*types.Struct, map[*types.Struct]bool) {
	out := make(map[*types.Var]*types.Struct)
	anon := make(map[*types.Struct]bool)
	in := c.pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for cur := range in.Root().Preorder((*ast.StructType)(nil)) {
		st, ok := c.pass.TypesInfo.TypeOf(cur.Node().(*ast.StructType)).(*types.Struct)
		if !ok {
			continue
		}
		if _, decl := cur.Parent().Node().(*ast.TypeSpec); !decl {
			anon[st] = true
		}
		for i := range st.NumFields() {
			out[st.Field(i)] = st
		}
	}
	return out, anon
}

// A fieldKey names a field by its struct type and name: struct types that are identical (and so
// assignable or convertible to each other) share their fields' writes.
type fieldKey struct {
	owner *types.Struct
	name  string
}

type fieldWrites struct {
	keys []fieldKey
	anon map[*types.Struct]bool // struct type literals outside type declarations
}

// covers reports whether a write to a field named f.Name() of a struct identical to owner was seen, or,
// for struct type literals, of one of the same shape (see sameShape).
func (w fieldWrites) covers(owner *types.Struct, f *types.Var) bool {
	for _, k := range w.keys {
		if k.name != f.Name() {
			continue
		}
		if k.owner == owner || types.Identical(k.owner, owner) || w.anon[k.owner] && w.anon[owner] && sameShape(k.owner, owner) {
			return true
		}
	}
	return false
}

// sameShape reports whether two struct type literals written with type parameters may be the same type
// once instantiated: the same field names in the same order. The struct{ value chan O } of a generic
// type and the one its generic constructor writes (go-zero's StableRunner) are not identical, their O
// being the type parameters of different declarations, but a value of one is stored as the other.
// (Declared struct types are matched by their fields' origin instead.)
func sameShape(a, b *types.Struct) bool {
	if a.NumFields() != b.NumFields() || !genericStruct(a) && !genericStruct(b) {
		return false
	}
	for i := range a.NumFields() {
		if a.Field(i).Name() != b.Field(i).Name() {
			return false
		}
	}
	return true
}

// genericStruct reports whether a field of st has a type that mentions a type parameter.
func genericStruct(st *types.Struct) bool {
	for i := range st.NumFields() {
		if mentionsTypeParam(st.Field(i).Type(), 0) {
			return true
		}
	}
	return false
}

// mentionsTypeParam reports whether t mentions a type parameter, looking depth levels into composite
// types at most (a guard against recursive types).
func mentionsTypeParam(t types.Type, depth int) bool {
	if depth > 8 {
		return true // deep enough: take it as generic, which only silences
	}
	switch t := types.Unalias(t).(type) {
	case *types.TypeParam:
		return true
	case *types.Pointer:
		return mentionsTypeParam(t.Elem(), depth+1)
	case *types.Slice:
		return mentionsTypeParam(t.Elem(), depth+1)
	case *types.Array:
		return mentionsTypeParam(t.Elem(), depth+1)
	case *types.Chan:
		return mentionsTypeParam(t.Elem(), depth+1)
	case *types.Map:
		return mentionsTypeParam(t.Key(), depth+1) || mentionsTypeParam(t.Elem(), depth+1)
	case *types.Named:
		for arg := range t.TypeArgs().Types() {
			if mentionsTypeParam(arg, depth+1) {
				return true
			}
		}
	case *types.Struct:
		for i := range t.NumFields() {
			if mentionsTypeParam(t.Field(i).Type(), depth+1) {
				return true
			}
		}
	case *types.Signature:
		for v := range t.Params().Variables() {
			if mentionsTypeParam(v.Type(), depth+1) {
				return true
			}
		}
		for v := range t.Results().Variables() {
			if mentionsTypeParam(v.Type(), depth+1) {
				return true
			}
		}
	}
	return false
}

// writtenFields returns the fields the package may assign (in any file, tests included): assigned,
// set by a composite literal, address taken, assigned by a range, or compared with nil (the code knows
// it may be nil).
func (c *checker) writtenFields(owners map[*types.Var]*types.Struct) fieldWrites {
	var out fieldWrites
	add := func(f *types.Var) {
		if owner := owners[f.Origin()]; owner != nil {
			out.keys = append(out.keys, fieldKey{owner, f.Name()})
		}
	}
	in := c.pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for cur := range in.Root().Preorder((*ast.CompositeLit)(nil), (*ast.SelectorExpr)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.CompositeLit:
			c.literalWrites(n, add)
		case *ast.SelectorExpr:
			s := c.pass.TypesInfo.Selections[n]
			if s == nil || s.Kind() != types.FieldVal {
				continue
			}
			if f, ok := s.Obj().(*types.Var); ok && c.writes(cur) {
				add(f)
			}
		}
	}
	return out
}

// literalWrites calls add for each field a composite literal sets.
func (c *checker) literalWrites(lit *ast.CompositeLit, add func(*types.Var)) {
	t := c.pass.TypesInfo.TypeOf(lit)
	if t == nil {
		return
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return
	}
	for i, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			if i < st.NumFields() {
				add(st.Field(i))
			}
			continue
		}
		if id, ok := kv.Key.(*ast.Ident); ok {
			if f, ok := c.pass.TypesInfo.Uses[id].(*types.Var); ok {
				add(f)
			}
		}
	}
}

// writes reports whether the field selection at cur may assign the field, or compares it with nil.
func (c *checker) writes(cur inspector.Cursor) bool {
	n := cur.Node().(ast.Expr)
	parent := cur.Parent()
	for {
		p, ok := parent.Node().(*ast.ParenExpr)
		if !ok {
			break
		}
		n, parent = p, parent.Parent()
	}
	switch p := parent.Node().(type) {
	case *ast.AssignStmt:
		for _, lhs := range p.Lhs {
			if lhs == n {
				return true
			}
		}
	case *ast.UnaryExpr:
		return p.Op == token.AND
	case *ast.RangeStmt:
		return p.Key == n || p.Value == n
	case *ast.BinaryExpr:
		return (p.Op == token.EQL || p.Op == token.NEQ) && (c.isNilIdent(p.X) || c.isNilIdent(p.Y))
	case *ast.SwitchStmt:
		return p.Tag == n // switch s.ch { case nil: ... }
	}
	return false
}

// isNilIdent reports whether e is the predeclared nil.
func (c *checker) isNilIdent(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && c.pass.TypesInfo.Uses[id] == types.Universe.Lookup("nil")
}

func importsUnsafe(pkg *types.Package) bool {
	for _, p := range pkg.Imports() {
		if p.Path() == "unsafe" {
			return true
		}
	}
	return false
}

// reportNil reports the first of the ops on one nil channel outside test code, with the others as
// related positions: one finding per channel.
func (c *checker) reportNil(ops []chanOp, why string, declPos token.Pos, declMsg string) {
	var live []chanOp
	for _, op := range ops {
		if !c.isTest(op.node.Pos()) {
			live = append(live, op)
		}
	}
	if len(live) == 0 {
		return
	}
	sort.Slice(live, func(i, j int) bool { return live[i].node.Pos() < live[j].node.Pos() })
	first := live[0]
	d := analysis.Diagnostic{
		Pos: first.node.Pos(), End: opEnd(first), Category: catNil,
		Message: fmt.Sprintf("%s %s, %s: %s", first.verb(), types.ExprString(first.ch), why, first.consequence()),
	}
	if declPos.IsValid() {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: declPos, Message: declMsg})
	}
	for _, op := range live[1:] {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: op.node.Pos(), Message: fmt.Sprintf("%s %s here too", op.verb(), types.ExprString(op.ch))})
	}
	c.r.Report(d)
}

// opEnd returns the end of the narrow range of an op: the send statement, the receive expression, the
// range clause.
func opEnd(op chanOp) token.Pos {
	if r, ok := op.node.(*ast.RangeStmt); ok {
		return r.X.End()
	}
	return op.node.End()
}

// checkNilLocals reports the sends, receives and ranges on a local channel variable that is nil on every
// path to them: its SSA value is the constant nil, a phi of nils, or a variable shared with closures
// that only ever stores nil in it. A variable whose only uses are receive statements is the idiom that
// blocks on purpose (var forever chan struct{}; <-forever) and is not reported.
func (c *checker) checkNilLocals(ops []chanOp) {
	cands := c.nilLocalCandidates(ops)
	if len(cands) == 0 {
		return // no op on a local that is declared without a value or assigned nil: no need to build SSA
	}
	byVar := make(map[*types.Var][]chanOp)
	var order []*types.Var
	for _, fn := range c.form.Funcs() {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				var ch ssa.Value
				switch instr := instr.(type) {
				case *ssa.Send:
					ch = instr.Chan
				case *ssa.UnOp:
					if instr.Op != token.ARROW {
						continue
					}
					ch = instr.X
				default:
					continue
				}
				op, ok := cands[c.form.Node(instr)]
				if !ok || !isNil(ch, make(map[ssa.Value]bool)) {
					continue
				}
				v := c.pass.TypesInfo.Uses[op.ch.(*ast.Ident)].(*types.Var)
				if byVar[v] == nil {
					order = append(order, v)
				}
				byVar[v] = append(byVar[v], op)
			}
		}
	}
	idiom := c.onlyBareReceives(byVar)
	for _, v := range order {
		if idiom[v] {
			continue // var forever chan struct{}; <-forever blocks on purpose
		}
		c.reportNil(byVar[v], "which is nil on every path to here (never assigned a channel)", v.Pos(), v.Name()+" declared here")
	}
}

// nilLocalCandidates returns the ops on a local variable of channel type that is declared without a
// value, assigned nil, or a named result, and never compared with nil, keyed by their syntax.
func (c *checker) nilLocalCandidates(ops []chanOp) map[ast.Node]chanOp {
	zero := make(map[*types.Var]bool)
	in := c.pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	mark := func(id *ast.Ident, defs bool) {
		var obj types.Object
		if defs {
			obj = c.pass.TypesInfo.Defs[id]
		} else {
			obj = c.pass.TypesInfo.Uses[id]
		}
		if v, ok := obj.(*types.Var); ok {
			zero[v] = true
		}
	}
	compared := make(map[*types.Var]bool) // v == nil, v != nil: the code knows it may be nil
	for cur := range in.Root().Preorder((*ast.ValueSpec)(nil), (*ast.AssignStmt)(nil), (*ast.FuncType)(nil), (*ast.BinaryExpr)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.BinaryExpr:
			if n.Op != token.EQL && n.Op != token.NEQ {
				continue
			}
			for _, pair := range [][2]ast.Expr{{n.X, n.Y}, {n.Y, n.X}} {
				if id, ok := ast.Unparen(pair[0]).(*ast.Ident); ok && c.isNilIdent(pair[1]) {
					if v, ok := c.pass.TypesInfo.Uses[id].(*types.Var); ok {
						compared[v] = true
					}
				}
			}
		case *ast.ValueSpec:
			if len(n.Values) == 0 {
				for _, id := range n.Names {
					mark(id, true)
				}
			}
		case *ast.AssignStmt:
			if len(n.Lhs) != len(n.Rhs) {
				continue
			}
			for i, rhs := range n.Rhs {
				if id, ok := ast.Unparen(n.Lhs[i]).(*ast.Ident); ok && c.isNilIdent(rhs) {
					mark(id, false)
				}
			}
		case *ast.FuncType:
			if n.Results != nil {
				for _, fld := range n.Results.List {
					for _, id := range fld.Names {
						mark(id, true)
					}
				}
			}
		}
	}
	out := make(map[ast.Node]chanOp)
	for _, op := range ops {
		id, ok := op.ch.(*ast.Ident)
		if !ok {
			continue
		}
		v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
		if ok && zero[v] && !compared[v] && !v.IsField() && v.Parent() != c.pass.Pkg.Scope() {
			out[op.node] = op
		}
	}
	return out
}

// onlyBareReceives returns the variables among byVar's whose every use is a receive statement.
func (c *checker) onlyBareReceives(byVar map[*types.Var][]chanOp) map[*types.Var]bool {
	uses := make(map[*types.Var]int)
	for _, obj := range c.pass.TypesInfo.Uses {
		if v, ok := obj.(*types.Var); ok && byVar[v] != nil {
			uses[v]++
		}
	}
	out := make(map[*types.Var]bool)
	for v, ops := range byVar {
		bare := 0
		for _, op := range ops {
			if op.bare {
				bare++
			}
		}
		out[v] = bare == len(ops) && bare == uses[v]
	}
	return out
}

// isNil reports whether v is nil on every path: the constant nil, a conversion of it, a phi of such
// values, or a load of a variable that only ever holds nil.
func isNil(v ssa.Value, seen map[ssa.Value]bool) bool {
	if seen[v] {
		return true // a cycle of phis adds no non-nil value
	}
	seen[v] = true
	switch v := v.(type) {
	case *ssa.Const:
		return v.IsNil()
	case *ssa.ChangeType:
		return isNil(v.X, seen)
	case *ssa.Phi:
		for _, e := range v.Edges {
			if !isNil(e, seen) {
				return false
			}
		}
		return true
	case *ssa.UnOp:
		return v.Op == token.MUL && onlyNilStored(v.X, seen)
	}
	return false
}

// onlyNilStored reports whether the variable at addr (a local Alloc, or a closure's FreeVar bound to one)
// is only loaded, stored nil, or shared with closures that do the same: its address goes nowhere else.
func onlyNilStored(addr ssa.Value, seen map[ssa.Value]bool) bool {
	if fv, ok := addr.(*ssa.FreeVar); ok {
		mc := makeClosureOf(fv.Parent())
		if mc == nil {
			return false
		}
		for i, x := range fv.Parent().FreeVars {
			if x == fv {
				return onlyNilStored(mc.Bindings[i], seen)
			}
		}
		return false
	}
	alloc, ok := addr.(*ssa.Alloc)
	if !ok {
		return false
	}
	var visit func(addr ssa.Value) bool
	visit = func(addr ssa.Value) bool {
		for _, ref := range *addr.Referrers() {
			switch ref := ref.(type) {
			case *ssa.DebugRef:
			case *ssa.UnOp:
				if ref.Op != token.MUL {
					return false
				}
			case *ssa.Store:
				if ref.Addr != addr || !isNil(ref.Val, seen) {
					return false
				}
			case *ssa.MakeClosure:
				fn := ref.Fn.(*ssa.Function)
				for i, b := range ref.Bindings {
					if b == addr && !visit(fn.FreeVars[i]) {
						return false
					}
				}
			default:
				return false
			}
		}
		return true
	}
	return visit(alloc)
}

// checkNilPackageVars reports the sends, receives and ranges on an unexported package variable of
// channel type that has no initializer and that the package never assigns, nor takes the address of,
// nor compares with nil.
func (c *checker) checkNilPackageVars(ops []chanOp) {
	byVar := make(map[*types.Var][]chanOp)
	var order []*types.Var
	for _, op := range ops {
		id, ok := op.ch.(*ast.Ident)
		if !ok {
			continue
		}
		v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
		if !ok || v.Exported() || v.Pkg() != c.pass.Pkg || v.Parent() != c.pass.Pkg.Scope() {
			continue // a local, or a variable another package may assign
		}
		if types.NewMethodSet(types.NewPointer(v.Type())).Len() > 0 {
			continue // a method with a pointer receiver may assign it
		}
		if byVar[v] == nil {
			order = append(order, v)
		}
		byVar[v] = append(byVar[v], op)
	}
	if len(order) == 0 {
		return
	}
	written := make(map[*types.Var]bool)
	in := c.pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for cur := range in.Root().Preorder((*ast.ValueSpec)(nil), (*ast.Ident)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.ValueSpec:
			if len(n.Values) > 0 {
				for _, id := range n.Names {
					if v, ok := c.pass.TypesInfo.Defs[id].(*types.Var); ok {
						written[v] = true
					}
				}
			}
		case *ast.Ident:
			if v, ok := c.pass.TypesInfo.Uses[n].(*types.Var); ok && byVar[v] != nil && c.writes(cur) {
				written[v] = true
			}
		}
	}
	for _, v := range order {
		if !written[v] {
			c.reportNil(byVar[v], "which is never assigned in this package (nil)", v.Pos(), v.Name()+" declared here, and never assigned")
		}
	}
}
