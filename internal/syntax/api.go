package syntax

import "go/types"

// An API is what code of other packages can reach of a package: its exported package-level objects, and
// every type defined in the package that an expression of another package can have, as it reaches it
// through them (a result, an exported field, an embedded field, an element, a type argument, ...).
// Another package calls a function of the package by name only if it is exported and package-level, or
// an exported method of such a type (directly, or promoted through an embedded field): a fact about any
// other function is never looked up by another package.
type API struct {
	pkg     *types.Package
	reached map[*types.TypeName]bool // the package's defined types that other packages reach
	seen    map[types.Type]bool
}

// NewAPI returns the API of pkg.
func NewAPI(pkg *types.Package) *API {
	a := &API{pkg: pkg, reached: make(map[*types.TypeName]bool), seen: make(map[types.Type]bool)}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		if tn, ok := obj.(*types.TypeName); ok && !tn.IsAlias() {
			a.named(tn.Type())
			continue
		}
		a.walk(obj.Type()) // a func's signature, a var's or const's type, an alias's target
	}
	a.seen = nil
	return a
}

// Callable reports whether code of another package can call fn by name: a package-level function with an
// exported name, or a method with an exported name of a type that other packages reach.
func (a *API) Callable(fn *types.Func) bool {
	if !fn.Exported() {
		return false
	}
	recv := fn.Origin().Signature().Recv()
	if recv == nil {
		return true
	}
	t := types.Unalias(recv.Type())
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, ok := t.(*types.Named)
	if !ok {
		return true // an interface method: not a declared function
	}
	return n.Obj().Pkg() != a.pkg || a.reached[n.Origin().Obj()]
}

// named marks a type the package defines and walks what its values give access to: its underlying type
// (the fields, the elements) and the signatures of its exported methods.
func (a *API) named(t types.Type) {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		a.walk(t)
		return
	}
	if args := n.TypeArgs(); args != nil {
		for t := range args.Types() {
			a.walk(t)
		}
	}
	n = n.Origin()
	if n.Obj().Pkg() != a.pkg || a.reached[n.Obj()] {
		return // another package's type: its own API says what it gives access to
	}
	a.reached[n.Obj()] = true
	if tps := n.TypeParams(); tps != nil {
		for tp := range tps.TypeParams() {
			a.walk(tp.Constraint())
		}
	}
	a.walk(n.Underlying())
	for m := range n.Methods() {
		if m.Exported() {
			a.walk(m.Type())
		}
	}
}

// walk walks the types that a value of type t gives access to.
func (a *API) walk(t types.Type) {
	if t == nil || a.seen[t] {
		return
	}
	a.seen[t] = true
	switch t := t.(type) {
	case *types.Alias:
		if args := t.TypeArgs(); args != nil {
			for t := range args.Types() {
				a.walk(t)
			}
		}
		a.walk(types.Unalias(t))
	case *types.Named:
		a.named(t)
	case *types.Pointer:
		a.walk(t.Elem())
	case *types.Slice:
		a.walk(t.Elem())
	case *types.Array:
		a.walk(t.Elem())
	case *types.Chan:
		a.walk(t.Elem())
	case *types.Map:
		a.walk(t.Key())
		a.walk(t.Elem())
	case *types.Signature:
		if tps := t.TypeParams(); tps != nil {
			for tp := range tps.TypeParams() {
				a.walk(tp.Constraint())
			}
		}
		a.walk(t.Params())
		a.walk(t.Results())
	case *types.Tuple:
		for v := range t.Variables() {
			a.walk(v.Type())
		}
	case *types.Struct:
		for f := range t.Fields() {
			if f.Exported() || f.Embedded() {
				a.walk(f.Type()) // an embedded field promotes its exported fields and methods
			}
		}
	case *types.Interface:
		for m := range t.ExplicitMethods() {
			a.walk(m.Type())
		}
		for e := range t.EmbeddedTypes() {
			a.walk(e)
		}
	case *types.Union:
		for term := range t.Terms() {
			a.walk(term.Type())
		}
	case *types.TypeParam:
		a.walk(t.Constraint())
	}
}
