package driver_test

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"go/types"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/conclint/conclint/analyzers"
)

// This file checks what Bazel's nogo, and go vet, need of the analyzers: each package exports its
// analyzer as Analyzer, and each fact type survives the gob encoding that carries facts between
// packages (go vet's build cache, nogo's archives).

const module = "github.com/conclint/conclint/"

// factTypes returns the fact types of the analyzers of the suite and of every analyzer they require,
// each once, with the analyzer that declares it.
func factTypes() map[reflect.Type]*analysis.Analyzer {
	types := make(map[reflect.Type]*analysis.Analyzer)
	seen := make(map[*analysis.Analyzer]bool)
	var visit func([]*analysis.Analyzer)
	visit = func(list []*analysis.Analyzer) {
		for _, a := range list {
			if seen[a] {
				continue
			}
			seen[a] = true
			for _, f := range a.FactTypes {
				types[reflect.TypeOf(f)] = a
			}
			visit(a.Requires)
		}
	}
	visit(analyzers.Suite())
	return types
}

// Each fact type, filled with non-zero values, comes back equal from a gob round trip through the
// analysis.Fact interface, as the drivers encode facts, and encodes to the same bytes twice. conclint's
// own fact types must also follow the house rules that make this hold by construction: exported
// fields only (gob drops the others silently), no maps (gob writes them in random order), no
// interfaces, functions or channels.
func TestFactsGob(t *testing.T) {
	facts := factTypes()
	var own int
	for typ, a := range facts {
		ours := strings.HasPrefix(typ.Elem().PkgPath(), module)
		if ours {
			own++
		}
		t.Run(typ.String(), func(t *testing.T) {
			if typ.Kind() != reflect.Pointer {
				t.Fatalf("fact type %s of %s is not a pointer", typ, a.Name)
			}
			v := reflect.New(typ.Elem())
			if ours {
				fill(t, typ.Elem().String(), v.Elem(), 1)
			}
			in := v.Interface().(analysis.Fact)
			gob.Register(in)

			var buf, again bytes.Buffer
			if err := gob.NewEncoder(&buf).Encode(&in); err != nil {
				t.Fatalf("encode %s: %v", typ, err)
			}
			if err := gob.NewEncoder(&again).Encode(&in); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), again.Bytes()) {
				t.Errorf("%s encodes to different bytes each time", typ)
			}
			var out analysis.Fact
			if err := gob.NewDecoder(&buf).Decode(&out); err != nil {
				t.Fatalf("decode %s: %v", typ, err)
			}
			if !reflect.DeepEqual(in, out) {
				t.Errorf("gob round trip of %s:\n got %#v\nwant %#v", typ, out, in)
			}
		})
	}
	// internal/blocking's MayBlock and internal/loops's LoopsForever at least.
	if own < 2 {
		t.Errorf("found %d fact types of conclint's own, want at least 2: is the suite's Requires graph walked?", own)
	}
}

// fill sets every field of v, reached by path, to a non-zero value derived from n, and fails on the
// kinds of values that facts must not hold.
func fill(t *testing.T, path string, v reflect.Value, n int) {
	t.Helper()
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(n))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(n) + 0.5)
	case reflect.String:
		v.SetString(fmt.Sprintf("%s-%d", path, n))
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(t, fmt.Sprintf("%s[%d]", path, i), s.Index(i), n+i)
		}
		v.Set(s)
	case reflect.Array:
		for i := range v.Len() {
			fill(t, fmt.Sprintf("%s[%d]", path, i), v.Index(i), n+i)
		}
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(t, "*"+path, p.Elem(), n)
		v.Set(p)
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				t.Errorf("%s.%s is unexported: gob drops it, so the fact loses it between packages", path, f.Name)
				continue
			}
			fill(t, path+"."+f.Name, v.Field(i), n+i)
		}
	default:
		t.Errorf("%s is a %s: facts hold no maps, interfaces, functions or channels", path, v.Kind())
	}
}

// Each of conclint's own analyzers is the exported variable Analyzer of its package,
// github.com/conclint/conclint/analyzers/NAME, which is what a nogo rule lists.
func TestNogoExports(t *testing.T) {
	var paths []string
	for _, a := range analyzers.Own() {
		fn := runtime.FuncForPC(reflect.ValueOf(a.Run).Pointer()).Name() // "path/to/pkg.run"
		slash := strings.LastIndexByte(fn, '/')
		dot := strings.IndexByte(fn[slash+1:], '.')
		path := fn[:slash+1+dot]
		if want := module + "analyzers/" + a.Name; path != want {
			t.Errorf("analyzer %s runs code of package %s, want %s", a.Name, path, want)
		}
		paths = append(paths, path)
	}
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedTypes}, paths...)
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("packages do not load")
	}
	analyzerType := reflect.TypeFor[analysis.Analyzer]()
	for _, p := range pkgs {
		obj, ok := p.Types.Scope().Lookup("Analyzer").(*types.Var)
		if !ok {
			t.Errorf("package %s has no variable Analyzer", p.PkgPath)
			continue
		}
		if ptr, ok := obj.Type().(*types.Pointer); !ok || !isType(ptr.Elem(), analyzerType) {
			t.Errorf("%s.Analyzer has type %s, want *analysis.Analyzer", p.PkgPath, obj.Type())
		}
	}
	docs, err := os.ReadFile(filepath.Join("..", "..", "docs", "integrations.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		if label := `"@com_github_conclint_conclint//` + strings.TrimPrefix(path, module) + `"`; !strings.Contains(string(docs), label) {
			t.Errorf("the nogo rule of docs/integrations.md does not list %s", label)
		}
	}
	if len(pkgs) != len(analyzers.Own()) || slices.ContainsFunc(pkgs, func(p *packages.Package) bool { return p.Types == nil }) {
		t.Errorf("loaded %d packages for %d analyzers", len(pkgs), len(analyzers.Own()))
	}
}

// isType reports whether t is the named type of rt.
func isType(t types.Type, rt reflect.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == rt.PkgPath() && named.Obj().Name() == rt.Name()
}
