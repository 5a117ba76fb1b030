package wgmisuse

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

// walkUntilDone follows every path of a goroutine's body from its entry until a Done on g. It returns the
// nodes reached before a Done, and the exits reached before one: a return, a runtime.Goexit, or nil for
// the end of the body. Paths that end in a call that does not return (panic, os.Exit, log.Fatal) end
// there.
func (c *checker) walkUntilDone(graph *cfg.CFG, g group) (reached, exits []ast.Node) {
	if graph == nil || len(graph.Blocks) == 0 {
		return nil, nil
	}
	seen := map[*cfg.Block]bool{}
	var visit func(b *cfg.Block)
	visit = func(b *cfg.Block) {
		if seen[b] || !b.Live {
			return
		}
		seen[b] = true
		for _, n := range b.Nodes {
			if c.hasCall(n, g, "Done") {
				return
			}
			reached = append(reached, n)
			if _, ok := n.(*ast.ReturnStmt); ok || c.isGoexit(n) {
				exits = append(exits, n)
				return
			}
		}
		if len(b.Succs) == 0 {
			if len(b.Nodes) > 0 && c.noReturn(b.Nodes[len(b.Nodes)-1]) {
				return
			}
			if b.Kind == cfg.KindSelectAfterCase {
				return // past the last case of a select without default: it waits there, it does not end
			}
			exits = append(exits, nil)
			return
		}
		for _, s := range b.Succs {
			visit(s)
		}
	}
	visit(graph.Blocks[0])
	return reached, exits
}

// hasCall reports whether n calls g's method outside nested function literals.
func (c *checker) hasCall(n ast.Node, g group, method string) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok || found {
			return false
		}
		if wc, ok := wgCallOf(c.pass.TypesInfo, n); ok && wc.group == g && wc.method == method {
			found = true
		}
		return !found
	})
	return found
}

func (c *checker) isGoexit(n ast.Node) bool {
	call := stmtCall(n)
	return call != nil && syncapi.IsFunc(typeutil.StaticCallee(c.pass.TypesInfo, call), "runtime", "Goexit")
}

// noReturn reports whether n is a call statement that never returns.
func (c *checker) noReturn(n ast.Node) bool {
	call := stmtCall(n)
	if call == nil {
		return false
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && c.pass.TypesInfo.Uses[id] == types.Universe.Lookup("panic") {
		return true
	}
	fn := typeutil.StaticCallee(c.pass.TypesInfo, call)
	return fn != nil && c.cfgs.NoReturn(fn)
}

func stmtCall(n ast.Node) *ast.CallExpr {
	if s, ok := n.(*ast.ExprStmt); ok {
		call, _ := ast.Unparen(s.X).(*ast.CallExpr)
		return call
	}
	return nil
}

// checkSkippedDone reports the first exit of a counted goroutine reached without its Done, when its body
// calls Done on other paths. When fixable is set (the goroutine counts with one group only), a function
// literal may get the fix that defers the Done.
func (c *checker) checkSkippedDone(k counted, u use, add, wait *ast.CallExpr, fixable bool) {
	if len(u.dones) == 0 {
		return
	}
	_, exits := c.walkUntilDone(k.graph, k.inner)
	if len(exits) == 0 {
		return
	}
	done := u.dones[0]
	wg := c.name(done)
	pos, end, what := k.body.Rbrace, k.body.Rbrace+1, "goroutine can reach its end without calling "+wg+".Done"
	if exits[0] != nil && exits[0].Pos() != k.body.Rbrace { // go/cfg makes falling off the end an implicit return at the brace
		pos, end = exits[0].Pos(), exits[0].Pos()+token.Pos(len("return"))
		what = "goroutine returns without calling " + wg + ".Done"
		if c.isGoexit(exits[0]) {
			what = "runtime.Goexit ends the goroutine without calling " + wg + ".Done"
			end = exits[0].End()
		}
	}
	waits := "a Wait on " + c.name(add) + " blocks forever"
	if wait != nil {
		waits = fmt.Sprintf("%s (%s) blocks forever", types.ExprString(wait.Fun), c.at(wait.Pos()))
	}
	related := []analysis.RelatedInformation{
		{Pos: add.Pos(), End: add.Lparen, Message: "counted by " + types.ExprString(add.Fun) + " here"},
		{Pos: done.Pos(), End: done.Lparen, Message: wg + ".Done called here on another path"},
	}
	for _, e := range exits[1:] {
		if e != nil {
			related = append(related, analysis.RelatedInformation{Pos: e.Pos(), End: e.Pos() + token.Pos(len("return")), Message: "another exit without " + wg + ".Done"})
		}
	}
	var fixes []analysis.SuggestedFix
	if fixable && k.lit != nil {
		fixes = c.deferDoneFix(k.lit, u.dones)
	}
	c.r.Report(analysis.Diagnostic{
		Pos:            pos,
		End:            end,
		Message:        fmt.Sprintf("%s, which it calls on other paths (%s): %s; defer %s.Done() at the start of the goroutine", what, c.at(done.Pos()), waits, wg),
		Related:        related,
		SuggestedFixes: fixes,
	})
}

// checkSelfWait reports a Wait on the goroutine's own group reached before its Done.
func (c *checker) checkSelfWait(k counted, u use) {
	reached := map[*ast.CallExpr]bool{}
	if u.deferDone {
		for _, w := range u.waits {
			reached[w] = true
		}
	} else {
		nodes, _ := c.walkUntilDone(k.graph, k.inner)
		for _, n := range nodes {
			for _, w := range u.waits {
				if n.Pos() <= w.Pos() && w.End() <= n.End() {
					reached[w] = true
				}
			}
		}
	}
	for _, w := range u.waits {
		if !reached[w] {
			continue
		}
		c.r.Report(analysis.Diagnostic{
			Pos: w.Pos(), End: w.Lparen,
			Message: types.ExprString(w.Fun) + " called in a goroutine that " + c.name(w) +
				" counts, before its own Done: it waits for itself and never returns",
		})
	}
}

// at returns "file.go:line" for pos.
func (c *checker) at(pos token.Pos) string {
	return syntax.ShortPos(c.pass.Fset, pos)
}
