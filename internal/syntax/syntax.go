// Package syntax answers small questions about the source that several analyzers ask: which function
// encloses a node, whether a position is in a test file, what a boolean flag of the pass says. It reports
// nothing.
package syntax

import (
	"flag"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// InTestFile reports whether pos is in a _test.go file.
func InTestFile(fset *token.FileSet, pos token.Pos) bool {
	f := fset.File(pos)
	return f != nil && strings.HasSuffix(f.Name(), "_test.go")
}

// EnclosingFunc returns the innermost function declaration or literal around cur, or nil.
func EnclosingFunc(cur inspector.Cursor) ast.Node {
	for f := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		return f.Node()
	}
	return nil
}

// Has reports whether n contains a node of type T outside function literals (which may run at another
// time): Has[*ast.ReturnStmt](ifStmt), Has[*ast.SendStmt](stmt).
func Has[T ast.Node](n ast.Node) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if _, ok := m.(*ast.FuncLit); ok {
			return false
		}
		if _, ok := m.(T); ok {
			found = true
		}
		return !found
	})
	return found
}

// FuncDecls maps the functions and methods that files declare to their declarations.
func FuncDecls(files []*ast.File, info *types.Info) map[*types.Func]*ast.FuncDecl {
	out := make(map[*types.Func]*ast.FuncDecl)
	for _, f := range files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				if obj, ok := info.Defs[fd.Name].(*types.Func); ok {
					out[obj] = fd
				}
			}
		}
	}
	return out
}

// FuncBody returns the body of a function declaration or literal, or nil.
func FuncBody(fn ast.Node) *ast.BlockStmt {
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		return fn.Body
	case *ast.FuncLit:
		return fn.Body
	}
	return nil
}

// BoolFlag returns the value of the pass's analyzer's boolean flag name.
func BoolFlag(pass *analysis.Pass, name string) bool {
	return pass.Analyzer.Flags.Lookup(name).Value.(flag.Getter).Get().(bool)
}

// StmtList returns the statements of a block, a case clause or a select's comm clause, and false for
// any other node.
func StmtList(n ast.Node) ([]ast.Stmt, bool) {
	switch n := n.(type) {
	case *ast.BlockStmt:
		return n.List, true
	case *ast.CaseClause:
		return n.Body, true
	case *ast.CommClause:
		return n.Body, true
	}
	return nil, false
}

// FileOf returns the file of files that holds pos, or nil.
func FileOf(files []*ast.File, pos token.Pos) *ast.File {
	for _, f := range files {
		if f.FileStart <= pos && pos < f.FileEnd {
			return f
		}
	}
	return nil
}

// IsClose reports whether call is a call of the builtin close.
func IsClose(info *types.Info, call *ast.CallExpr) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	return ok && info.Uses[id] == types.Universe.Lookup("close")
}

// Indent returns the indentation of a suggested fix's new lines next to the code at pos, as gofmt writes
// it: one tab per column before pos (gofmt'd code is indented with tabs only).
func Indent(fset *token.FileSet, pos token.Pos) string {
	return strings.Repeat("\t", max(fset.Position(pos).Column-1, 0))
}

// ShortPos returns pos as messages and facts name it: "file.go:12", the file's base name and the line.
func ShortPos(fset *token.FileSet, pos token.Pos) string {
	p := fset.Position(pos)
	return filepath.Base(p.Filename) + ":" + strconv.Itoa(p.Line)
}

// IsBuiltin reports whether call calls one of the builtin functions names ("make", "len", ...), not a
// function of the package that shadows one.
func IsBuiltin(info *types.Info, call *ast.CallExpr, names ...string) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	for _, name := range names {
		if info.Uses[id] == types.Universe.Lookup(name) {
			return true
		}
	}
	return false
}
