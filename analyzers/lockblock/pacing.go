package lockblock

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/conclint/conclint/internal/blocking"
	"github.com/conclint/conclint/internal/syncapi"
)

// maxPacing is the longest constant sleep that counts as pacing: a rate limiter's or a device's delay
// between two calls, under a lock that serializes those calls.
const maxPacing = 100 * time.Millisecond

// A pacer decides whether a sleep is pacing: its duration is a constant of at most maxPacing, or a
// variable of the package that only ever holds such constants.
type pacer struct {
	pass    *analysis.Pass
	scanned bool
	// declared holds the variables the package declares with var or := (not parameters, results, range
	// or type switch variables, whose values come from elsewhere).
	declared map[*types.Var]bool
	// other holds the variables and fields assigned something other than a short constant somewhere in
	// the package, or whose address is taken.
	other map[*types.Var]bool
}

func newPacer(pass *analysis.Pass) *pacer { return &pacer{pass: pass} }

// isPacing reports whether op is a sleep whose duration is at most maxPacing: a constant, or a
// constant-valued variable (see shortVar).
func (p *pacer) isPacing(op blocking.Op) bool {
	if op.Kind != syncapi.KindSleep {
		return false
	}
	var call *ast.CallExpr
	switch n := op.Node.(type) {
	case *ast.CallExpr:
		call = n
	case *ast.UnaryExpr:
		call, _ = ast.Unparen(n.X).(*ast.CallExpr)
	}
	if call == nil || len(call.Args) != 1 {
		return false
	}
	arg := call.Args[0]
	return p.shortConst(arg) || p.shortVar(arg)
}

// shortConst reports whether e is a constant duration no longer than maxPacing.
func (p *pacer) shortConst(e ast.Expr) bool {
	tv := p.pass.TypesInfo.Types[e]
	if tv.Value == nil {
		return false
	}
	d, ok := constant.Int64Val(constant.ToInt(tv.Value))
	return ok && d >= 0 && time.Duration(d) <= maxPacing
}

// shortVar reports whether e is a variable or a struct field (whatever the instance) that holds only
// constants no longer than maxPacing: declared in this package with var or := (or a field of a struct
// type of this package), unexported when another package could assign it (a package-level variable, a
// field), its address never taken, and every value assigned to it in the package (declaration,
// assignment, composite literal) such a constant, or its zero value.
func (p *pacer) shortVar(e ast.Expr) bool {
	v := p.varOf(e)
	if v == nil || v.Pkg() != p.pass.Pkg {
		return false
	}
	if v.IsField() || v.Parent() == v.Pkg().Scope() {
		if v.Exported() {
			return false // another package may assign it
		}
	}
	p.scan()
	return (v.IsField() || p.declared[v]) && !p.other[v]
}

// varOf returns the variable or field (its generic origin) that e names directly, or nil.
func (p *pacer) varOf(e ast.Expr) *types.Var {
	info := p.pass.TypesInfo
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := info.Uses[e].(*types.Var); ok {
			return v.Origin()
		}
		if v, ok := info.Defs[e].(*types.Var); ok {
			return v.Origin()
		}
	case *ast.SelectorExpr:
		if s := info.Selections[e]; s != nil {
			if s.Kind() == types.FieldVal {
				return s.Obj().(*types.Var).Origin()
			}
			return nil
		}
		if v, ok := info.Uses[e.Sel].(*types.Var); ok {
			return v // a package-level variable of another package
		}
	}
	return nil
}

// scan records, once per package, the variables it declares and those that may hold a value other
// than a short constant.
func (p *pacer) scan() {
	if p.scanned {
		return
	}
	p.scanned = true
	p.declared = make(map[*types.Var]bool)
	p.other = make(map[*types.Var]bool)
	info := p.pass.TypesInfo
	assign := func(lhs, rhs ast.Expr) {
		if v := p.varOf(lhs); v != nil && (rhs == nil || !p.shortConst(rhs)) {
			p.other[v] = true
		}
	}
	for _, f := range p.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for i, name := range n.Names {
					if v, ok := info.Defs[name].(*types.Var); ok {
						p.declared[v.Origin()] = true
					}
					switch {
					case len(n.Values) == 0:
						// the zero value
					case len(n.Values) == len(n.Names):
						assign(name, n.Values[i])
					default:
						assign(name, nil) // the results of a call
					}
				}
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					if id, ok := lhs.(*ast.Ident); ok && n.Tok == token.DEFINE {
						if v, ok := info.Defs[id].(*types.Var); ok {
							p.declared[v.Origin()] = true
						}
					}
					if (n.Tok == token.ASSIGN || n.Tok == token.DEFINE) && len(n.Lhs) == len(n.Rhs) {
						assign(lhs, n.Rhs[i])
					} else {
						assign(lhs, nil) // an operator assignment, or the results of a call
					}
				}
			case *ast.IncDecStmt:
				assign(n.X, nil)
			case *ast.RangeStmt:
				if n.Key != nil {
					assign(n.Key, nil)
				}
				if n.Value != nil {
					assign(n.Value, nil)
				}
			case *ast.UnaryExpr:
				if n.Op == token.AND {
					assign(n.X, nil) // it may be assigned through the pointer
				}
			case *ast.CompositeLit:
				p.fields(n, assign)
			}
			return true
		})
	}
}

// fields calls assign for each field that a struct literal sets.
func (p *pacer) fields(lit *ast.CompositeLit, assign func(lhs, rhs ast.Expr)) {
	info := p.pass.TypesInfo
	t := info.TypeOf(lit)
	if t == nil {
		return
	}
	st, ok := types.Unalias(t).Underlying().(*types.Struct)
	if !ok {
		if ptr, isPtr := types.Unalias(t).Underlying().(*types.Pointer); isPtr {
			st, ok = ptr.Elem().Underlying().(*types.Struct) // an elided &T in a slice of *T
		}
		if !ok {
			return
		}
	}
	for i, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if key, ok := kv.Key.(*ast.Ident); ok {
				if v, ok := info.Uses[key].(*types.Var); ok && v.IsField() && !p.shortConst(kv.Value) {
					p.other[v.Origin()] = true
				}
			}
			continue
		}
		if i < st.NumFields() && !p.shortConst(elt) {
			p.other[st.Field(i).Origin()] = true
		}
	}
}
