package syntax_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"testing"

	"github.com/conclint/conclint/internal/syntax"
)

// apiSrc declares, for each way a type can be reached from another package or not, a type named after
// it with one exported method M (and one unexported method m).
const apiSrc = `package p

type Exported struct {
	Field      *viaField   // an exported field
	hiddenF    *viaHidden  // an unexported field: not reached from it
	*viaEmbed              // an embedded field promotes its methods
	viaEmbedIface
}

func New() *viaResult                        { return nil }
func Walk(f func(*viaCallback))               {}
func Gen() Box[viaTypeArg]                    { return Box[viaTypeArg]{} }
func (Exported) Get() map[string][]viaMethod  { return nil }
func (Exported) getHidden() *viaUnexpMethod   { return nil }
func hidden() *viaUnexpFunc                   { return nil }

type Box[T any] struct{ V T }

var Var chan viaVar
const Const viaConst = 1
type Alias = viaAlias

type viaEmbedIface interface{ Do() *viaIfaceMethod }

type viaField struct{}
type viaHidden struct{}
type viaEmbed struct{}
type viaResult struct{ Next *viaNested }
type viaNested struct{}
type viaCallback struct{}
type viaTypeArg struct{}
type viaMethod struct{}
type viaUnexpMethod struct{}
type viaUnexpFunc struct{}
type viaVar struct{}
type viaConst int
type viaAlias struct{}
type viaIfaceMethod struct{}
type unused struct{}

func (*viaField) M()       {}
func (*viaHidden) M()      {}
func (*viaEmbed) M()       {}
func (*viaResult) M()      {}
func (*viaNested) M()      {}
func (*viaCallback) M()    {}
func (viaTypeArg) M()      {}
func (viaMethod) M()       {}
func (*viaUnexpMethod) M() {}
func (*viaUnexpFunc) M()   {}
func (viaVar) M()          {}
func (viaConst) M()        {}
func (viaAlias) M()        {}
func (*viaIfaceMethod) M() {}
func (unused) M()          {}
func (*viaEmbed) m()       {}
`

func TestAPICallable(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", apiSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: importer.Default()}
	info := &types.Info{Defs: make(map[*ast.Ident]types.Object)}
	pkg, err := conf.Check("p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	api := syntax.NewAPI(pkg)
	var callable, not []string
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		fn := info.Defs[fd.Name].(*types.Func)
		name := fn.Name()
		if fd.Recv != nil {
			name = strings.TrimPrefix(types.ExprString(fd.Recv.List[0].Type), "*") + "." + name
		}
		if api.Callable(fn) {
			callable = append(callable, name)
		} else {
			not = append(not, name)
		}
	}
	slices.Sort(callable)
	slices.Sort(not)
	wantCallable := []string{
		"Exported.Get", "New", "Walk", "Gen",
		"viaAlias.M", "viaCallback.M", "viaConst.M", "viaEmbed.M", "viaField.M", "viaIfaceMethod.M",
		"viaMethod.M", "viaNested.M", "viaResult.M", "viaTypeArg.M", "viaVar.M",
	}
	wantNot := []string{
		"Exported.getHidden", "hidden", "unused.M", "viaEmbed.m", "viaHidden.M", "viaUnexpFunc.M", "viaUnexpMethod.M",
	}
	slices.Sort(wantCallable)
	slices.Sort(wantNot)
	if !slices.Equal(callable, wantCallable) {
		t.Errorf("callable:\n got %v\nwant %v", callable, wantCallable)
	}
	if !slices.Equal(not, wantNot) {
		t.Errorf("not callable:\n got %v\nwant %v", not, wantNot)
	}
}
