package boolguard

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"testing"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"
)

// check parses and type-checks one file of package p.
func check(t *testing.T, src string) (*ast.File, *types.Info) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", "package p\n"+src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{
		Types: make(map[ast.Expr]types.TypeAndValue), Defs: make(map[*ast.Ident]types.Object),
		Uses: make(map[*ast.Ident]types.Object), Selections: make(map[*ast.SelectorExpr]*types.Selection),
	}
	if _, err := new(types.Config).Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	return f, info
}

func TestAt(t *testing.T) {
	// Each f has one target: the call of work, or a select statement. want lists the parameters that
	// must be true for it to run, unless those that must be false.
	for _, tc := range []struct {
		name, src string
		want      []Param
		unless    []Param
	}{
		{"if p", `func f(p bool) { if p { work() } }`, []Param{0}, nil},
		{"if x && p", `func f(p bool, n int) { if n > 0 && p { work() } }`, []Param{0}, nil},
		{"if p && q", `func f(p, q bool) { if p && q { work() } }`, []Param{0, 1}, nil},
		{"p && x in an expression", `func f(n int, p bool) bool { return n > 0 && p && work() }`, []Param{1}, nil},
		{"!p || x in an expression", `func f(p bool) bool { return !p || work() }`, []Param{0}, nil},
		{"if !p return", `func f(p bool) { if !p { return }; work() }`, []Param{0}, nil},
		{"if !p || x return", `func f(p, x bool) { if !p || x { return }; work() }`, []Param{0}, []Param{1}},
		{"if !p panic", `func f(p bool) { if !p { panic("no") }; work() }`, []Param{0}, nil},
		{"else of !p", `func f(p bool) { if !p { return } else { work() } }`, []Param{0}, nil},
		{"for p", `func f(p bool) { for p { work() } }`, []Param{0}, nil},
		{"case p", `func f(p bool) { switch { case p: work() } }`, []Param{0}, nil},
		{"nested", `func f(p, q bool) { if p { if q { work() } } }`, []Param{0, 1}, nil},
		{"method: receiver is 0", `func (T) f(p bool) { if p { work() } }`, []Param{1}, nil},
		{"literal called at once", `func f(p bool) { if p { func() { work() }() } }`, []Param{0}, nil},
		{"empty select", `func f(p bool) { if p { select {} } }`, []Param{0}, nil},
		{"select", `func f(p bool, c chan int) { if !p { return }; select { case <-c: } }`, []Param{0}, nil},
		{"after if p", `func f(p bool) { if p { return }; work() }`, nil, []Param{0}},
		{"if !p", `func f(p bool) { if !p { work() } }`, nil, []Param{0}},
		{"if !p && q", `func f(p, q bool) { if !p && q { work() } }`, []Param{1}, []Param{0}},
		{"p || x in an expression", `func f(p bool) bool { return p || work() }`, nil, []Param{0}},
		{"else of p", `func f(p bool) { if p { work2() } else { work() } }`, nil, []Param{0}},
		{"if !p, nil-able", `func f(p *int) { if p != nil { work() } }`, nil, nil},
		{"if p || x", `func f(p, x bool) { if p || x { work() } }`, nil, nil},
		{"if p then join", `func f(p bool) { if p { work2() }; work() }`, nil, nil},
		{"assigned", `func f(p bool) { p = !p; if p { work() } }`, nil, nil},
		{"address taken", `func f(p bool) { g(&p); if p { work() } }`, nil, nil},
		{"assigned in a literal", `func f(p bool) { func() { p = true }(); if p { work() } }`, nil, nil},
		{"not bool", `func f(p int) { if p > 0 { work() } }`, nil, nil},
		{"tagged switch", `func f(p, q bool) { switch q { case p: work() } }`, nil, nil},
		{"if p == nil", `func f(p *int) { if p == nil { work() } }`, []Param{0}, nil},
		{"if nil == p", `func f(p error) { if nil == p { work() } }`, []Param{0}, nil},
		{"if p != nil return", `func f(p map[int]int) { if p != nil { return }; work() }`, []Param{0}, nil},
		{"p == nil && x", `func f(p *int, x bool) bool { return p == nil && x && work() }`, []Param{0, 1}, nil},
		{"assigned only when nil", `func f(p, q *int) { if p == nil { p = q; work() } }`, []Param{0}, nil},
		{"assigned when nil, checked again", `func f(p, q *int) { if p == nil { p = q }; if p == nil { work() } }`, []Param{0}, nil},
		{"assigned on every path", `func f(p, q *int) { p = q; if p == nil { work() } }`, nil, nil},
		{"assigned in a literal, nil-able", `func f(p, q *int) { func() { p = q }(); if p == nil { work() } }`, nil, nil},
		{"if p != nil", `func f(p *int) { if p != nil { work() } }`, nil, nil},
		{"nil-able, not compared to nil", `func f(p *int) { if *p > 0 { work() } }`, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, info := check(t, tc.src+`
type T struct{}
func work() bool { return true }
func work2() {}
func g(*bool) {}`)
			fd := f.Decls[0].(*ast.FuncDecl)
			fn := info.Defs[fd.Name].(*types.Func)
			gs := Find(info, fn, fd.Body, nil)
			var target ast.Node
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "work" && target == nil {
						target = n
					}
				case *ast.SelectStmt:
					target = n
				}
				return target == nil
			})
			if target == nil {
				t.Fatal("no target")
			}
			var want []Guard
			for _, p := range tc.want {
				want = append(want, p.Guard())
			}
			for _, p := range tc.unless {
				want = append(want, p.Unless())
			}
			slices.Sort(want)
			if got := gs.At(target); !slices.Equal(got, want) {
				t.Errorf("At = %v, want %v", got, want)
			}
		})
	}
}

func TestPassed(t *testing.T) {
	f, info := check(t, `
func f(n int, p, q bool) { q = false; g(n, p, q, true) }
func g(int, bool, bool, bool) {}`)
	fd := f.Decls[0].(*ast.FuncDecl)
	fn := info.Defs[fd.Name].(*types.Func)
	gs := Find(info, fn, fd.Body, nil)
	var call *ast.CallExpr
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			call = c
		}
		return true
	})
	for i, want := range []struct {
		p  Param
		ok bool
	}{{0, false}, {1, true}, {0, false}, {0, false}} { // not bool; a guard; assigned; a constant
		p, ok := gs.Passed(info, call.Args[i])
		if p != want.p || ok != want.ok {
			t.Errorf("Passed(%s) = %d, %t; want %d, %t", types.ExprString(call.Args[i]), p, ok, want.p, want.ok)
		}
	}
}

const callSrc = `
type T struct{}
func (T) m(b bool) {}
func (*T) pm(n int, b bool) {}
type E struct{ T }
type I interface{ m(bool) }
func g(n int, b bool) {}
func v(b bool, xs ...int) {}
func two() (int, bool) { return 0, false }
const off = 1 > 2

func calls(t T, e E, i I, fv func(bool), xs []int, b bool) {
	g(1, false)
	g(1, b)
	g(1, off)
	g(1, !true)
	t.m(false)
	t.pm(1, false)
	T.m(t, false)
	(*T).pm(&t, 1, false)
	e.m(false)
	E.m(e, false)
	v(false, 1, 2)
	v(false, xs...)
	g(two())
	i.m(false)
	fv(false)
	bm := t.m
	bm(false)
}`

func TestArg(t *testing.T) {
	f, info := check(t, callSrc)
	var calls []*ast.CallExpr
	ast.Inspect(f.Decls[len(f.Decls)-1], func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			calls = append(calls, c)
		}
		return true
	})
	for _, tc := range []struct {
		call  int
		p     Param
		want  string // "" for nil
		false bool
	}{
		{0, 1, "false", true},
		{0, 0, "1", false},
		{0, 2, "", false},
		{1, 1, "b", false},
		{2, 1, "off", true},
		{3, 1, "!true", true},
		{4, 1, "false", true}, // the receiver is 0
		{4, 0, "t", false},
		{5, 2, "false", true},
		{6, 1, "false", true}, // method expression: the receiver is the first argument
		{6, 0, "t", false},
		{7, 2, "false", true},
		{8, 1, "false", true}, // promoted method
		{8, 0, "", false},     // its receiver is e.T, not written
		{9, 1, "false", true}, // promoted method expression
		{9, 0, "", false},
		{10, 0, "false", true},
		{10, 1, "", false}, // variadic
		{11, 0, "false", true},
		{11, 1, "", false}, // variadic, with ...
		{12, 1, "", false}, // g(two())
		{13, 1, "", false}, // interface call
		{14, 0, "", false}, // function value
		{15, 1, "", false}, // bound method value
	} {
		call := calls[tc.call]
		arg := Arg(info, call, tc.p)
		got := ""
		if arg != nil {
			got = types.ExprString(arg)
		}
		if got != tc.want {
			t.Errorf("Arg(%s, %d) = %q, want %q", types.ExprString(call), tc.p, got, tc.want)
		}
		if off := Off(info, call, tc.p.Guard()); off != tc.false {
			t.Errorf("Off(%s, %v) = %t, want %t", types.ExprString(call), tc.p.Guard(), off, tc.false)
		}
	}
	if Off(info, calls[0], 0) {
		t.Errorf("Off with no guard = true")
	}
}

func TestArgValue(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", "package p\n"+callSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, _, err := ssautil.BuildPackage(new(types.Config), fset, types.NewPackage("p", "p"), []*ast.File{f}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var calls []*ssa.CallCommon
	for _, b := range pkg.Func("calls").Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(ssa.CallInstruction); ok {
				calls = append(calls, c.Common())
			}
		}
	}
	// The calls in source order, as TestArg has them; SSA folds !true and off, and two() is one more call.
	for _, tc := range []struct {
		call  int
		p     Param
		want  string // the value's name, "" for nil, "?" for any other value
		false bool
	}{
		{0, 1, "false:bool", true},
		{0, 2, "", false},
		{1, 1, "b", false},
		{2, 1, "false:bool", true},
		{3, 1, "false:bool", true},
		{4, 1, "false:bool", true}, // the receiver is 0
		{4, 0, "?", false},
		{5, 2, "false:bool", true},
		{6, 1, "false:bool", true}, // method expression
		{7, 2, "false:bool", true},
		{8, 1, "false:bool", true}, // promoted method: the receiver is a field of e
		{9, 1, "false:bool", true}, // promoted method expression: a thunk
		{9, 0, "", false},          // whose receiver is e, of which the method's is a field
		{10, 0, "false:bool", true},
		{10, 1, "", false},          // variadic
		{11, 1, "", false},          // variadic, with ...
		{14, 1, "", false},          // interface call
		{15, 0, "", false},          // function value
		{16, 1, "false:bool", true}, // bound method value: no receiver among the arguments
		{16, 0, "", false},
	} {
		c := calls[tc.call]
		v := ArgValue(c, tc.p)
		got := ""
		if v != nil {
			got = v.Name()
			if tc.want == "?" && !FalseValue(v) {
				got = "?"
			}
		}
		if got != tc.want {
			t.Errorf("ArgValue(%s, %d) = %q, want %q", c, tc.p, got, tc.want)
		}
		if off := OffValue(c, tc.p.Guard()); off != tc.false {
			t.Errorf("OffValue(%s, %v) = %t, want %t", c, tc.p.Guard(), off, tc.false)
		}
	}
}

func TestGuard(t *testing.T) {
	if p, ok := Param(2).Guard().Param(); p != 2 || !ok {
		t.Errorf("Param(2).Guard().Param() = %d, %t", p, ok)
	}
	if _, ok := Guard(0).Param(); ok {
		t.Errorf("Guard(0) has a parameter")
	}
	if got := Param(1).Guard().String(); got != "p1" {
		t.Errorf("String = %q", got)
	}
}

func TestNilGuardOff(t *testing.T) {
	const src = `
type T struct{ key *int }
func g(k *int, on bool) {}
func calls(t *T, k *int) {
	g(nil, true)   // 0: nil: on
	g(k, true)     // 1: a variable: may be nil, or the caller's own guard
	g(t.key, true) // 2: a field: taken to be set
	g(new(int), true) // 3: an address
	var l *int
	g(l, true)     // 4: a local variable
}`
	f, info := check(t, src)
	var calls []*ast.CallExpr
	ast.Inspect(f, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if id, ok := c.Fun.(*ast.Ident); ok && id.Name == "g" {
				calls = append(calls, c)
			}
		}
		return true
	})
	want := []bool{false, false, true, true, false}
	for i, c := range calls {
		if got := Off(info, c, Param(0).Guard()); got != want[i] {
			t.Errorf("Off(%s) = %t, want %t", types.ExprString(c), got, want[i])
		}
	}

	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "p.go", "package p\n"+src, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, _, err := ssautil.BuildPackage(new(types.Config), fset, types.NewPackage("p", "p"), []*ast.File{file}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var ssaCalls []*ssa.CallCommon
	for _, b := range pkg.Func("calls").Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(ssa.CallInstruction); ok && c.Common().StaticCallee() == pkg.Func("g") {
				ssaCalls = append(ssaCalls, c.Common())
			}
		}
	}
	// In SSA the local l is the constant nil: on.
	wantSSA := []bool{false, false, true, true, false}
	for i, c := range ssaCalls {
		if got := OffValue(c, Param(0).Guard()); got != wantSSA[i] {
			t.Errorf("OffValue(%s) = %t, want %t", c, got, wantSSA[i])
		}
	}
}
