package goroutineerr

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/conclint/conclint/internal/syntax"
)

// checkGoStmt reports a go statement whose function returns an error that matters.
func (c *checker) checkGoStmt(cur inspector.Cursor) {
	g := cur.Node().(*ast.GoStmt)
	idx, ok := c.errorResult(g.Call)
	fn := c.callee(g.Call)
	if !ok || !c.cfg.gostmt && !bindsAndServes(fn) || c.quiet(g.Call) || c.reportsOwnError(fn, idx) || c.testVariant(fn, g) || isCleanup(fn) {
		return
	}
	lost, why := c.lost(g.Call, cur)
	if !lost {
		return
	}
	c.report(g.Pos(), g.Call.Lparen, catGoStmt, nil,
		"error returned by %s%s is discarded by the go statement; send it on a channel or use errgroup", callName(g.Call), why)
}

// bindsAndServes reports whether fn both binds an address and serves on it (ListenAndServe,
// ListenAndServeTLS): its error, "address already in use", is the one nothing else reports. Other go
// statements are reported with -goroutineerr.gostmt.
func bindsAndServes(fn *types.Func) bool {
	return fn != nil && strings.HasPrefix(fn.Name(), "ListenAndServe")
}

// isCleanup reports whether fn, run by a goroutine of its own (a go statement, or a goroutine body that
// exists to run it), is a best-effort cleanup (Close, Shutdown…, Delete…, Remove…, Unsubscribe…): the caller
// moved on without the resource, or waits for the cleanup and judges it by its own means (a shutdown
// context's Err), and whatever the call fails to release is released later or by someone else (a server's
// inactivity timeout, the next run).
func isCleanup(fn *types.Func) bool {
	if fn == nil {
		return false
	}
	for _, p := range []string{"Close", "Shutdown", "Delete", "Remove", "Cleanup", "CleanUp", "Unsubscribe", "Release", "Purge", "Unregister",
		"Deregister", "close", "shutdown", "delete", "remove", "cleanup", "unsubscribe", "release", "purge", "unregister", "deregister"} {
		if strings.HasPrefix(fn.Name(), p) {
			return true
		}
	}
	return false
}

// reportsOwnError reports whether fn is a function of the package whose error result idx is named and read
// by a function it defers: it hands its error on itself, as in
//
//	func (c *Conn) run() (err error) {
//		defer func() { c.closeWith(err) }()
func (c *checker) reportsOwnError(fn *types.Func, idx int) bool {
	if fn == nil || fn.Pkg() != c.pass.Pkg {
		return false
	}
	res := fn.Origin().Signature().Results().At(idx)
	decl := c.decl(fn)
	if decl == nil || decl.Body == nil || res.Name() == "" || res.Name() == "_" {
		return false
	}
	found := false
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		if d, ok := n.(*ast.DeferStmt); ok {
			if lit, ok := d.Call.Fun.(*ast.FuncLit); ok && c.mentions(lit, res) {
				found = true
			}
		}
		_, isLit := n.(*ast.FuncLit)
		return !found && !isLit
	})
	return found
}

// testVariant reports whether fn is declared in a _test.go file while the node n is not: in the test build
// of the package, a test hook stands in for the function that the package itself calls.
func (c *checker) testVariant(fn *types.Func, n ast.Node) bool {
	return fn != nil && fn.Pkg() == c.pass.Pkg && syntax.InTestFile(c.pass.Fset, fn.Pos()) && !syntax.InTestFile(c.pass.Fset, n.Pos())
}

// decl returns the declaration of a function of the package.
func (c *checker) decl(fn *types.Func) *ast.FuncDecl {
	if c.decls == nil {
		c.decls = syntax.FuncDecls(c.pass.Files, c.pass.TypesInfo)
	}
	return c.decls[fn.Origin()]
}
