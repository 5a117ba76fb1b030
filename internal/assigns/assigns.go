// Package assigns records, for each variable and struct field of a package, the places the package
// writes it and the value each writes, when one is known: the one answer to "what values are ever
// assigned to v", shared by blocking (fields assigned only buffered channels), closemisuse (channel fields
// assigned only in constructors) and lockblock (durations that only ever hold short constants). It walks
// the package once, at the first query, so that a package whose clients ask nothing costs nothing. The
// blocking fact engine requires it, so it runs on every dependency, std included: it walks with
// ast.Inspect, since requiring inspect.Analyzer, an inspector for every package, cost lockblock a third
// more memory on net/http and its dependencies. It reports nothing.
package assigns

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// Analyzer provides the assignment sites of a package. It reports nothing.
var Analyzer = &analysis.Analyzer{
	Name:       "conclint_assigns",
	Doc:        "record the values the package assigns to each variable and struct field; reports nothing",
	URL:        "https://github.com/conclint/conclint/blob/main/docs/CONTRIBUTING.md#5-facts-and-engines",
	Run:        run,
	ResultType: reflect.TypeFor[*Result](),
}

// A Site is one place where the package writes a variable or a field.
//
// At is the written expression: an identifier declared or assigned (x, the name in var x = 1), a selector
// (s.f, pkg.V), the key of a struct literal (T{f: v}) or a positional element (T{v}), a range key or
// value, the operand of ++ or --, the operand of & (its address is taken, so it may be written through
// the pointer), the receiver x of a call or method value x.m of a pointer method (an implicit &x), or the
// variable of a type switch (x := y.(type)). A client with an inspector finds its parent, which tells
// which, with FindByPos(At.Pos(), At.End()).
//
// Value is the value written, or nil when it is unknown: an operator assignment (x += 1), ++ and --, one
// of the results of a multi-value call or of a comma-ok form, a range key or value, a type switch variable,
// an address taken.
type Site struct {
	At    ast.Expr
	Value ast.Expr
}

// Result holds the assignment sites of one package. Its methods are safe for concurrent use.
//
// A variable or field's zero value is not an assignment: a var declaration without a value, a struct
// literal that leaves a field out. Nor is the copy of a whole struct (a = b, *p = T{}): its fields get
// values assigned elsewhere, or zero. Reflection and unsafe are out of scope. Only the package's own
// writes are known: a client must decide whether another package may write v (v exported, or declared
// in another package).
type Result struct {
	files []*ast.File
	info  *types.Info

	once  sync.Once
	sites map[*types.Var][]Site
}

func run(pass *analysis.Pass) (any, error) {
	return New(pass.Files, pass.TypesInfo), nil
}

// New returns the Result for the package whose syntax is files and whose types are info.
func New(files []*ast.File, info *types.Info) *Result {
	return &Result{files: files, info: info}
}

// Sites returns the places the package writes v (the generic origin of v), in source order.
func (r *Result) Sites(v *types.Var) []Site {
	r.once.Do(r.build)
	return r.sites[v.Origin()]
}

// Every reports whether every value the package assigns to v is known and satisfies ok; it does when
// the package assigns nothing to v.
func (r *Result) Every(v *types.Var, ok func(ast.Expr) bool) bool {
	for _, s := range r.Sites(v) {
		if s.Value == nil || !ok(s.Value) {
			return false
		}
	}
	return true
}

// build walks the package once, with ast.Inspect (see the package doc).
func (r *Result) build() {
	r.sites = make(map[*types.Var][]Site)
	for _, f := range r.files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				r.assign(n)
			case *ast.TypeSwitchStmt:
				r.typeSwitch(n)
			case *ast.ValueSpec:
				if len(n.Values) == 0 {
					break // the zero value
				}
				for i, name := range n.Names {
					var value ast.Expr // the results of a call when the counts differ
					if len(n.Values) == len(n.Names) {
						value = n.Values[i]
					}
					r.add(name, value)
				}
			case *ast.CompositeLit:
				r.literal(n)
			case *ast.RangeStmt:
				if n.Key != nil {
					r.add(n.Key, nil)
				}
				if n.Value != nil {
					r.add(n.Value, nil)
				}
			case *ast.IncDecStmt:
				r.add(n.X, nil)
			case *ast.UnaryExpr:
				if n.Op == token.AND {
					r.add(n.X, nil) // it may be written through the pointer
				}
			case *ast.SelectorExpr:
				r.pointerMethod(n)
			}
			return true
		})
	}
}

func (r *Result) assign(n *ast.AssignStmt) {
	for i, lhs := range n.Lhs {
		var value ast.Expr // an operator assignment, or the results of a call
		if (n.Tok == token.ASSIGN || n.Tok == token.DEFINE) && len(n.Lhs) == len(n.Rhs) {
			value = n.Rhs[i]
		}
		r.add(lhs, value) // not the x of x := y.(type), which names no variable
	}
}

// typeSwitch records x := y.(type), which declares one variable per clause, holding y.
func (r *Result) typeSwitch(n *ast.TypeSwitchStmt) {
	guard, ok := n.Assign.(*ast.AssignStmt)
	if !ok || len(guard.Lhs) != 1 {
		return
	}
	for _, cc := range n.Body.List {
		if v, ok := r.info.Implicits[cc].(*types.Var); ok {
			r.sites[v] = append(r.sites[v], Site{At: guard.Lhs[0]})
		}
	}
}

// literal records the fields that a struct literal sets, keyed or positional, including a literal whose
// &T is elided in a slice or map of *T.
func (r *Result) literal(lit *ast.CompositeLit) {
	t := r.info.TypeOf(lit)
	if t == nil {
		return
	}
	if ptr, ok := t.Underlying().(*types.Pointer); ok {
		t = ptr.Elem() // an elided &T
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return // a map's keys are not written
	}
	for i, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if key, ok := kv.Key.(*ast.Ident); ok {
				if v, ok := r.info.Uses[key].(*types.Var); ok && v.IsField() {
					r.sites[v.Origin()] = append(r.sites[v.Origin()], Site{At: key, Value: kv.Value})
				}
			}
		} else if i < st.NumFields() {
			v := st.Field(i).Origin()
			r.sites[v] = append(r.sites[v], Site{At: elt, Value: elt})
		}
	}
}

// pointerMethod records x as written, value unknown, when sel is x.m for a method m with a pointer
// receiver and x is not a pointer: the call takes x's address. For a method promoted from an embedded
// field, the embedded field that holds it is written.
func (r *Result) pointerMethod(sel *ast.SelectorExpr) {
	s := r.info.Selections[sel]
	if s == nil || s.Kind() != types.MethodVal {
		return
	}
	recv := s.Obj().(*types.Func).Signature().Recv()
	if recv == nil {
		return
	}
	if _, ok := recv.Type().(*types.Pointer); !ok {
		return // a value receiver gets a copy
	}
	t := s.Recv()
	var field *types.Var // the embedded field that holds the method, if promoted
	path := s.Index()
	for _, i := range path[:len(path)-1] {
		if ptr, ok := t.Underlying().(*types.Pointer); ok {
			t = ptr.Elem()
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok {
			return
		}
		field = st.Field(i)
		t = field.Type()
	}
	if _, ok := t.Underlying().(*types.Pointer); ok {
		return // the method gets the pointer held, not the address of the variable
	}
	if field != nil {
		v := field.Origin()
		r.sites[v] = append(r.sites[v], Site{At: sel.X})
		return
	}
	r.add(sel.X, nil)
}

// add records a write of value (nil: unknown) to the variable or field that at names.
func (r *Result) add(at, value ast.Expr) {
	if v := VarOf(r.info, at); v != nil {
		r.sites[v] = append(r.sites[v], Site{At: at, Value: value})
	}
}

// VarOf returns the variable or field (its generic origin) that e names directly (x, s.f, pkg.V), or nil:
// the key of Sites for the expression e.
func VarOf(info *types.Info, e ast.Expr) *types.Var {
	var id *ast.Ident
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		id = e
	case *ast.SelectorExpr:
		if s := info.Selections[e]; s != nil && s.Kind() != types.FieldVal {
			return nil
		}
		id = e.Sel // a field, or a package-level variable of another package
	default:
		return nil
	}
	if v, ok := info.ObjectOf(id).(*types.Var); ok {
		return v.Origin()
	}
	return nil
}
