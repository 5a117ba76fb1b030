package blocking

import (
	"go/ast"
	"go/constant"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// Buffered says on which channels of a package a send cannot block, or most likely does not.
type Buffered struct {
	locals map[types.Object]bool // local variables whose buffer holds every send on them
	fields map[types.Object]bool // struct fields assigned only buffered channels made in this package
}

// findBuffered finds the local channel variables whose sends can never block: made once with
// make(chan T, n) for a constant n, never assigned again, and sent on at most n times, never in a loop the
// channel outlives; and the struct fields to which the package assigns only channels made buffered.
func findBuffered(pass *analysis.Pass) *Buffered {
	type info struct {
		capacity int64
		made     ast.Node // the make call
		assigns  int
		sends    int
		inLoop   bool
	}
	vars := make(map[types.Object]*info)
	fields := make(fieldMakes)
	get := func(e ast.Expr) *info {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return nil
		}
		obj := pass.TypesInfo.ObjectOf(id)
		if v, ok := obj.(*types.Var); !ok || v.Parent() == nil || v.Parent() == pass.Pkg.Scope() {
			return nil // not a local variable
		}
		if vars[obj] == nil {
			vars[obj] = &info{capacity: -1}
		}
		return vars[obj]
	}
	for _, f := range pass.Files {
		var loops []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				return true
			}
			switch n := n.(type) {
			case *ast.ForStmt, *ast.RangeStmt:
				loops = append(loops, n)
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					if len(n.Rhs) == len(n.Lhs) {
						fields.assign(pass, lhs, n.Rhs[i])
					}
					v := get(lhs)
					if v == nil {
						continue
					}
					v.assigns++
					if len(n.Rhs) == len(n.Lhs) {
						v.capacity, v.made = makeCap(pass, n.Rhs[i]), n.Rhs[i]
					}
				}
			case *ast.ValueSpec:
				for i, name := range n.Names {
					if v := get(name); v != nil && len(n.Values) == len(n.Names) {
						v.assigns++
						v.capacity, v.made = makeCap(pass, n.Values[i]), n.Values[i]
					}
				}
			case *ast.KeyValueExpr:
				fields.assign(pass, n.Key, n.Value)
			case *ast.SendStmt:
				if v := get(n.Chan); v != nil {
					v.sends++
					for _, l := range loops {
						if within(n, l) && (v.made == nil || !within(v.made, l)) {
							v.inLoop = true // sent on each iteration of a loop the channel outlives
						}
					}
				}
			}
			return true
		})
	}
	out := &Buffered{locals: make(map[types.Object]bool), fields: make(map[types.Object]bool)}
	for obj, v := range vars {
		if v.assigns == 1 && v.capacity >= 1 && int64(v.sends) <= v.capacity && !v.inLoop {
			out.locals[obj] = true
		}
	}
	for obj, buffered := range fields {
		if buffered {
			out.fields[obj] = true
		}
	}
	return out
}

// fieldMakes records, for each channel-typed struct field assigned in the package, whether every value
// assigned to it is a channel made buffered: make(chan T, n) with n a non-zero constant or not a constant.
type fieldMakes map[types.Object]bool

func (f fieldMakes) assign(pass *analysis.Pass, lhs, rhs ast.Expr) {
	var id *ast.Ident
	switch e := ast.Unparen(lhs).(type) {
	case *ast.SelectorExpr:
		id = e.Sel
	case *ast.Ident:
		id = e // a key of a struct literal
	}
	if id == nil {
		return
	}
	v, ok := pass.TypesInfo.ObjectOf(id).(*types.Var)
	if !ok || !v.IsField() {
		return
	}
	if _, ok := v.Type().Underlying().(*types.Chan); !ok {
		return
	}
	buffered := isBufferedMake(pass, rhs)
	if prev, seen := f[v]; seen {
		buffered = buffered && prev
	}
	f[v] = buffered
}

// isBufferedMake reports whether e is make(chan T, n) with n not the constant 0.
func isBufferedMake(pass *analysis.Pass, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 2 || pass.TypesInfo.Uses[identOf(call.Fun)] != types.Universe.Lookup("make") {
		return false
	}
	tv := pass.TypesInfo.Types[call.Args[1]]
	return tv.Value == nil || constant.Sign(tv.Value) > 0
}

// makeCap returns n for make(chan T, n) with a constant n, else -1.
func makeCap(pass *analysis.Pass, e ast.Expr) int64 {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 2 {
		return -1
	}
	if pass.TypesInfo.Uses[identOf(call.Fun)] != types.Universe.Lookup("make") {
		return -1
	}
	tv := pass.TypesInfo.Types[call.Args[1]]
	if tv.Value == nil || tv.Value.Kind() != constant.Int {
		return -1
	}
	n, _ := constant.Int64Val(tv.Value)
	return n
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

func within(n, outer ast.Node) bool { return outer.Pos() <= n.Pos() && n.End() <= outer.End() }

// Send classifies a send: on a local channel whose buffer holds every send on it (it cannot block), or on a
// struct field to which the package assigns only channels made buffered (it blocks only when the buffer is
// full).
func (b *Buffered) Send(info *types.Info, send *ast.SendStmt) (local, field bool) {
	switch e := ast.Unparen(send.Chan).(type) {
	case *ast.Ident:
		return b.locals[info.Uses[e]], false
	case *ast.SelectorExpr:
		return false, b.fields[info.Uses[e.Sel]]
	}
	return false, false
}
