package assigns

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// load type-checks src (package p, no imports) and returns its Result.
func load(t *testing.T, src string) *Result {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{
		Types: make(map[ast.Expr]types.TypeAndValue), Defs: make(map[*ast.Ident]types.Object),
		Uses: make(map[*ast.Ident]types.Object), Implicits: make(map[ast.Node]types.Object),
		Selections: make(map[*ast.SelectorExpr]*types.Selection),
	}
	if _, err := new(types.Config).Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	return New([]*ast.File{f}, info)
}

// render lists, per variable or field name, its sites: the value, or "?" when unknown, followed by the
// kind of node that writes it.
func render(r *Result) map[string]string {
	r.once.Do(r.build)
	in := inspector.New(r.files)
	out := make(map[string]string)
	for _, v := range slices.SortedFunc(maps.Keys(r.sites), func(a, b *types.Var) int { return int(a.Pos() - b.Pos()) }) {
		var parts []string
		for _, s := range r.Sites(v) {
			val := "?"
			if s.Value != nil {
				val = types.ExprString(s.Value)
			}
			cur, _ := in.Root().FindByPos(s.At.Pos(), s.At.End())
			parts = append(parts, val+" @"+strings.TrimPrefix(fmt.Sprintf("%T", cur.Parent().Node()), "*ast."))
		}
		if prev, ok := out[v.Name()]; ok {
			out[v.Name()] = prev + " | " + strings.Join(parts, ", ") // another variable of that name
		} else {
			out[v.Name()] = strings.Join(parts, ", ")
		}
	}
	return out
}

func TestSites(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      map[string]string
	}{
		{
			name: "declarations and assignments",
			src: `package p
var a, b = 1, 2
var c, d = two()
var zero int
func two() (int, int) { return 1, 2 }
func f() {
	e := 3
	e = 4
	e += 5
	e++
	g, h := two()
	_, _ = g, h
	var i int = 6
	_ = i
	a, b = b, a
}`,
			want: map[string]string{
				"a": "1 @ValueSpec, b @AssignStmt",
				"b": "2 @ValueSpec, a @AssignStmt",
				"c": "? @ValueSpec",
				"d": "? @ValueSpec",
				"e": "3 @AssignStmt, 4 @AssignStmt, ? @AssignStmt, ? @IncDecStmt",
				"g": "? @AssignStmt",
				"h": "? @AssignStmt",
				"i": "6 @ValueSpec",
			},
		},
		{
			name: "comma-ok, range, type switch, address",
			src: `package p
func f(m map[int]int, ch chan int, x any) {
	v, ok := m[1]
	_, _ = v, ok
	w := <-ch
	_ = w
	for k, e := range m {
		_, _ = k, e
	}
	var kk int
	for kk = range m {
	}
	_ = kk
	switch y := x.(type) {
	case int:
		_ = y
	default:
		_ = y
	}
	p := 1
	_ = &p
}`,
			want: map[string]string{
				"v":  "? @AssignStmt",
				"ok": "? @AssignStmt",
				"w":  "<-ch @AssignStmt",
				"k":  "? @RangeStmt",
				"e":  "? @RangeStmt",
				"kk": "? @RangeStmt",
				"y":  "? @AssignStmt | ? @AssignStmt", // one variable per clause
				"p":  "1 @AssignStmt, ? @UnaryExpr",
			},
		},
		{
			name: "struct fields",
			src: `package p
type T struct {
	f, g int
	h    *int
}
type U struct{ T }
func (t *T) set() {}
func (t T) get() int { return t.f }
func mk() (T, []*T, map[int]T, []T) {
	var t T
	t.f = 1
	(t.g) = 2
	p := &t.h
	_ = p
	t.set()
	_ = t.get()
	var u U
	u.set()
	up := &U{}
	up.set()
	return T{f: 3}, []*T{{g: 4}}, map[int]T{5: {6, 7, nil}}, []T{{}}
}`,
			want: map[string]string{
				"f":  "1 @AssignStmt, 3 @KeyValueExpr, 6 @CompositeLit",
				"g":  "2 @AssignStmt, 4 @KeyValueExpr, 7 @CompositeLit",
				"h":  "? @UnaryExpr, nil @CompositeLit",
				"t":  "? @SelectorExpr", // t.set() takes &t; t.get() does not
				"p":  "&t.h @AssignStmt",
				"T":  "? @SelectorExpr, ? @SelectorExpr", // u.set() takes &u.T; up.set() too (the field, whatever the instance)
				"u":  "",
				"up": "&U{} @AssignStmt",
			},
		},
		{
			name: "generic fields are their origin; map keys are not written",
			src: `package p
type G[E any] struct{ x E }
func (g *G[E]) set(v E) { g.x = v } // the method's own instance of the field
var key = 1
func f() {
	var a G[int]
	a.x = 1
	b := G[string]{x: "s"}
	_ = b
	_ = map[int]int{key: 2}
}`,
			want: map[string]string{
				"key": "1 @ValueSpec",
				"a":   "",
				"x":   "v @AssignStmt, 1 @AssignStmt, \"s\" @KeyValueExpr",
				"b":   "G[string]{…} @AssignStmt",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := render(load(t, tc.src))
			for name, w := range tc.want {
				if w == "" {
					if g, ok := got[name]; ok {
						t.Errorf("%s: got %q, want no site", name, g)
					}
					continue
				}
				if got[name] != w {
					t.Errorf("%s: got %q, want %q", name, got[name], w)
				}
			}
			for name, g := range got {
				if _, ok := tc.want[name]; !ok {
					t.Errorf("%s: unexpected sites %q", name, g)
				}
			}
		})
	}
}

func TestEvery(t *testing.T) {
	r := load(t, `package p
var one, two = 1, 2
var some = 3
var none int
func f() { some++ }`)
	small := func(e ast.Expr) bool { return types.ExprString(e) < "3" }
	scope := r.info.Defs
	vars := make(map[string]*types.Var)
	for id, obj := range scope {
		if v, ok := obj.(*types.Var); ok {
			vars[id.Name] = v
		}
	}
	for name, want := range map[string]bool{"one": true, "two": true, "some": false, "none": true} {
		if got := r.Every(vars[name], small); got != want {
			t.Errorf("Every(%s) = %v, want %v", name, got, want)
		}
	}
}

func TestValidate(t *testing.T) {
	if err := analysis.Validate([]*analysis.Analyzer{Analyzer}); err != nil {
		t.Fatal(err)
	}
}
