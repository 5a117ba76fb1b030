package syncapi

import (
	"go/ast"
	"go/types"
)

// IsError reports whether t is the predeclared interface type error.
func IsError(t types.Type) bool {
	return t != nil && types.Identical(t, types.Universe.Lookup("error").Type())
}

// ErrorResult returns the index of the last result of sig whose type is error, or -1.
func ErrorResult(sig *types.Signature) int {
	if sig == nil {
		return -1
	}
	for i := sig.Results().Len() - 1; i >= 0; i-- {
		if IsError(sig.Results().At(i).Type()) {
			return i
		}
	}
	return -1
}

// quietErrors lists, as "pkgpath.Func" or "pkgpath.Type.Method", the standard calls whose error result is
// documented to be always nil, or is not a failure of the call, or is ignored by errcheck's default
// exclusions.
var quietErrors = map[string]bool{
	"bytes.Buffer.Write":            true, // "err is always nil" (errcheck default)
	"bytes.Buffer.WriteByte":        true,
	"bytes.Buffer.WriteRune":        true,
	"bytes.Buffer.WriteString":      true,
	"strings.Builder.Write":         true, // "always returns ... a nil error" (errcheck default)
	"strings.Builder.WriteByte":     true,
	"strings.Builder.WriteRune":     true,
	"strings.Builder.WriteString":   true,
	"hash/maphash.Hash.Write":       true, // "always writes all of b and never fails"
	"hash/maphash.Hash.WriteByte":   true,
	"hash/maphash.Hash.WriteString": true,
	"math/rand.Read":                true, // "always returns len(p) and a nil error" (errcheck default)
	"math/rand.Rand.Read":           true,
	"crypto/rand.Read":              true, // never returns an error since Go 1.24
	"io.PipeReader.CloseWithError":  true, // "always returns nil" (errcheck default)
	"io.PipeWriter.CloseWithError":  true,
	"fmt.Print":                     true, // errcheck default
	"fmt.Printf":                    true,
	"fmt.Println":                   true,
	"errors.New":                    true, // constructors: the error is a value, not a failure (vet's unusedresult)
	"errors.Join":                   true,
	"errors.Unwrap":                 true,
	"fmt.Errorf":                    true,
	"context.Context.Err":           true, // the state of the context, not a failure of the call
}

// fprints are the fmt functions whose error errcheck ignores when they write to os.Stdout, os.Stderr, a
// bytes.Buffer or a strings.Builder.
var fprints = map[string]bool{"Fprint": true, "Fprintf": true, "Fprintln": true}

// QuietError reports whether the error returned by a call to fn can be dropped: it is documented never to be
// non-nil, it is not a failure (errors.New), or errcheck ignores it by default. recv is the static type of
// the method call's receiver (nil for a function), args are the call's arguments. hash.Hash's Write, which
// "never returns an error", is recognized on any receiver that implements hash.Hash.
func QuietError(info *types.Info, fn *types.Func, recv types.Type, args []ast.Expr) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	pkg := fn.Pkg().Path()
	key := pkg + "." + fn.Name()
	if sig := fn.Signature(); sig.Recv() != nil {
		key = pkg + "." + RecvTypeName(sig.Recv().Type()) + "." + fn.Name()
	}
	switch {
	case quietErrors[key]:
		return true
	case pkg == "fmt" && fprints[fn.Name()] && len(args) > 0:
		return isQuietWriter(info, args[0])
	case fn.Name() == "Write" && recv != nil:
		return implementsHash(recv)
	}
	return false
}

// isQuietWriter reports whether e is os.Stdout, os.Stderr, or a *bytes.Buffer or *strings.Builder.
func isQuietWriter(info *types.Info, e ast.Expr) bool {
	if IsNamed(info.TypeOf(e), "bytes", "Buffer") || IsNamed(info.TypeOf(e), "strings", "Builder") {
		return true
	}
	var id *ast.Ident
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		id = e.Sel
	case *ast.Ident:
		id = e
	default:
		return false
	}
	v, ok := info.Uses[id].(*types.Var)
	return ok && v.Pkg() != nil && v.Pkg().Path() == "os" && v.Parent() == v.Pkg().Scope() && (v.Name() == "Stdout" || v.Name() == "Stderr")
}

// implementsHash reports whether t implements hash.Hash, looked up among the packages t's package imports,
// directly or not.
func implementsHash(t types.Type) bool {
	named, _ := types.Unalias(t).(*types.Named)
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		named, _ = types.Unalias(p.Elem()).(*types.Named)
	}
	if named == nil || named.Obj().Pkg() == nil {
		return false
	}
	hash := findPackage(named.Obj().Pkg(), "hash", make(map[*types.Package]bool))
	if hash == nil {
		return false
	}
	obj, _ := hash.Scope().Lookup("Hash").(*types.TypeName)
	if obj == nil {
		return false
	}
	iface, _ := obj.Type().Underlying().(*types.Interface)
	return iface != nil && types.Implements(t, iface)
}

func findPackage(p *types.Package, path string, seen map[*types.Package]bool) *types.Package {
	if p.Path() == path {
		return p
	}
	if seen[p] {
		return nil
	}
	seen[p] = true
	for _, imp := range p.Imports() {
		if found := findPackage(imp, path, seen); found != nil {
			return found
		}
	}
	return nil
}
