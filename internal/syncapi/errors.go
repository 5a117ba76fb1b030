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

// quietMethods lists, by interface, the methods whose error is conventionally dropped on any receiver that
// implements the interface: hash.Hash's Write "never returns an error", a Close error is rarely actionable
// (errcheck's most common exclusion), and setting a deadline fails only on a closed connection.
var quietMethods = []struct{ pkg, iface, method string }{
	{"hash", "Hash", "Write"},
	{"io", "Closer", "Close"},
	{"net", "Conn", "SetDeadline"},
	{"net", "Conn", "SetReadDeadline"},
	{"net", "Conn", "SetWriteDeadline"},
}

// drains are the io functions that, copying to io.Discard, drain a reader whose errors no one needs.
var drains = map[string]bool{"Copy": true, "CopyN": true}

// QuietError reports whether the error returned by a call to fn can be dropped: it is documented never to be
// non-nil, it is not a failure (errors.New), errcheck ignores it by default, or it is conventionally
// dropped (Close, SetDeadline, io.Copy(io.Discard, r)). recv is the static type of the method call's
// receiver (nil for a function), args are the call's arguments.
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
	case pkg == "io" && drains[fn.Name()] && len(args) > 0:
		return isPkgVar(info, args[0], "io", "Discard")
	case recv != nil:
		for _, m := range quietMethods {
			if fn.Name() == m.method && implements(recv, m.pkg, m.iface) {
				return true
			}
		}
	}
	return false
}

// isQuietWriter reports whether e is os.Stdout, os.Stderr, or a *bytes.Buffer or *strings.Builder.
func isQuietWriter(info *types.Info, e ast.Expr) bool {
	t := info.TypeOf(e)
	return IsNamed(t, "bytes", "Buffer") || IsNamed(t, "strings", "Builder") ||
		isPkgVar(info, e, "os", "Stdout") || isPkgVar(info, e, "os", "Stderr")
}

// isPkgVar reports whether e denotes the package-level variable pkg.name.
func isPkgVar(info *types.Info, e ast.Expr, pkg, name string) bool {
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
	return ok && v.Pkg() != nil && v.Pkg().Path() == pkg && v.Name() == name && v.Parent() == v.Pkg().Scope()
}

// implements reports whether t implements the interface pkg.name, looked up among the packages that t's
// package imports, directly or not (t cannot implement an interface its package never sees, except through
// method sets that happen to match, which this misses).
func implements(t types.Type, pkg, name string) bool {
	t = types.Unalias(t)
	named, _ := t.(*types.Named)
	if p, ok := t.(*types.Pointer); ok {
		named, _ = types.Unalias(p.Elem()).(*types.Named)
	}
	if named == nil || named.Obj().Pkg() == nil {
		return false
	}
	p := findPackage(named.Obj().Pkg(), pkg, make(map[*types.Package]bool))
	if p == nil {
		return false
	}
	obj, _ := p.Scope().Lookup(name).(*types.TypeName)
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
