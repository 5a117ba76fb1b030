package wgmisuse

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/conclint/conclint/internal/syntax"
)

// Suggested fixes. Each is offered only where applying it keeps everything but the bug: the edits are
// computed from positions (statements alone on their lines, indentation by tabs as gofmt writes it),
// and any doubt about the layout or the meaning means no fix.

// deferDoneFix returns the fix for a goroutine literal that can end without its Done: defer the Done as
// the body's first statement and delete the Done statements. It returns nil unless every Done on the
// group is a statement that ends the goroutine (followed by a bare return, or last on its way to the end
// of the body), so deferring it changes when Done runs on no path that already calls it; and nil when the
// body defers anything else (the deferred Done would then run after it, not before).
func (c *checker) deferDoneFix(lit *ast.FuncLit, dones []*ast.CallExpr) []analysis.SuggestedFix {
	info := c.pass.TypesInfo
	body := lit.Body
	file := syntax.FileOf(c.pass.Files, lit.Pos())
	if file == nil || len(body.List) == 0 || c.line(body.List[0].Pos()) == c.line(body.Lbrace) {
		return nil // a one-line body: no line to insert on
	}
	if stmtCall(body.List[0]) != nil {
		if _, ok := wgCallOf(info, stmtCall(body.List[0])); ok {
			return nil // the body starts with a WaitGroup call: its own edit may start where ours does
		}
	}
	if deferOrAssigns(info, body, dones[0]) {
		return nil
	}
	parents := stmtParents(body)
	var edits []analysis.TextEdit
	for _, done := range dones {
		st := parents.stmtOf(done)
		if st == nil || !parents.endsGoroutine(st, body) {
			return nil // Done inside an expression, or work after it that Wait does not wait for today
		}
		from, ok := c.deletionStart(file, parents, st)
		if !ok {
			return nil
		}
		edits = append(edits, analysis.TextEdit{Pos: from, End: st.End()})
	}
	recv := c.source(ast.Unparen(dones[0].Fun).(*ast.SelectorExpr).X)
	text := "\n" + syntax.Indent(c.pass.Fset, body.List[0].Pos()) + "defer " + recv + ".Done()"
	at := c.lineEnd(file, body.Lbrace+1)
	edits = append([]analysis.TextEdit{{Pos: at, End: at, NewText: []byte(text)}}, edits...)
	return []analysis.SuggestedFix{{Message: "Defer " + recv + ".Done() at the start of the goroutine", TextEdits: edits}}
}

// deferOrAssigns reports whether body defers a call outside nested function literals, or assigns to a
// variable or field that the receiver of done names (the deferred receiver is evaluated at the start).
func deferOrAssigns(info *types.Info, body *ast.BlockStmt, done *ast.CallExpr) bool {
	recv := map[types.Object]bool{}
	ast.Inspect(done.Fun, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && info.Uses[id] != nil {
			recv[info.Uses[id]] = true
		}
		return true
	})
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.DeferStmt:
			found = true
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				ast.Inspect(l, func(m ast.Node) bool {
					if id, ok := m.(*ast.Ident); ok && recv[info.ObjectOf(id)] {
						found = true // s = other, or s.inner = other: the receiver changes
					}
					return !found
				})
			}
		}
		return !found
	})
	return found
}

// A parentMap gives the parent of each node of a function body outside nested function literals: for a
// statement, the block, case clause or comm clause whose list holds it.
type parentMap map[ast.Node]ast.Node

func stmtParents(body *ast.BlockStmt) parentMap {
	m := parentMap{}
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if len(stack) > 0 {
			m[n] = stack[len(stack)-1]
		}
		stack = append(stack, n)
		return true
	})
	return m
}

// stmtOf returns the expression statement whose expression is call, or nil.
func (m parentMap) stmtOf(call *ast.CallExpr) ast.Stmt {
	var e ast.Node = call
	for {
		p := m[e]
		if _, ok := p.(*ast.ParenExpr); !ok {
			es, _ := p.(*ast.ExprStmt)
			if es == nil {
				return nil
			}
			return es
		}
		e = p
	}
}

// endsGoroutine reports whether nothing runs after statement s but the end of the goroutine: s is
// followed by a bare return, or is the last statement of its list, and that list is the body's, or
// belongs to an if, a block, a switch or a select that ends the goroutine in turn.
func (m parentMap) endsGoroutine(s ast.Stmt, body *ast.BlockStmt) bool {
	holder := m[s]
	list, ok := syntax.StmtList(holder)
	if !ok {
		return false
	}
	i := slices.Index(list, s)
	if i < 0 {
		return false
	}
	if i+1 < len(list) {
		r, ok := list[i+1].(*ast.ReturnStmt)
		return ok && len(r.Results) == 0
	}
	if holder == body {
		return true
	}
	var outer ast.Node
	switch holder.(type) {
	case *ast.BlockStmt:
		switch p := m[holder].(type) {
		case *ast.IfStmt:
			outer = p
			for {
				q, ok := m[outer].(*ast.IfStmt)
				if !ok || q.Else != outer {
					break
				}
				outer = q // an else if: the chain ends with the outermost if
			}
		case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
			outer = holder // a plain block statement
		default:
			return false // a loop body, a labeled statement, anything else
		}
	case *ast.CaseClause, *ast.CommClause:
		outer = m[m[holder]] // the clause's parent is the body block of a switch or select
		switch outer.(type) {
		case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
		default:
			return false
		}
	}
	st, ok := outer.(ast.Stmt)
	return ok && m.endsGoroutine(st, body)
}

// deletionStart returns where the deletion of statement s begins: at the end of what precedes it (the
// previous statement, the opening brace or colon, or a comment between), so that removing up to s.End()
// leaves no empty line. It returns false when s does not have its lines to itself.
func (c *checker) deletionStart(file *ast.File, m parentMap, s ast.Stmt) (token.Pos, bool) {
	holder := m[s]
	list, _ := syntax.StmtList(holder)
	i := slices.Index(list, s)
	prev, next := opening(holder), token.NoPos
	if b, ok := holder.(*ast.BlockStmt); ok {
		next = b.Rbrace
	}
	if i > 0 {
		prev = list[i-1].End()
	}
	if i+1 < len(list) {
		next = list[i+1].Pos()
	}
	if c.line(prev) == c.line(s.Pos()) || (next.IsValid() && c.line(next) == c.line(s.End())) || c.commentOnLines(file, s) {
		return 0, false
	}
	return c.afterOpening(file, prev, s.Pos()), true
}

// afterOpening returns the end of the last comment that lies between from and to, or from.
func (c *checker) afterOpening(file *ast.File, from, to token.Pos) token.Pos {
	at := from
	for _, cg := range file.Comments {
		if cg.Pos() >= from && cg.End() <= to {
			at = max(at, cg.End())
		}
	}
	return at
}

// lineEnd returns the end of the last comment that starts on pos's line at or after pos, or pos: where
// a new line can start without taking a trailing comment with it.
func (c *checker) lineEnd(file *ast.File, pos token.Pos) token.Pos {
	at := pos
	for _, cg := range file.Comments {
		if cg.Pos() >= pos && c.line(cg.Pos()) == c.line(pos) {
			at = max(at, cg.End())
		}
	}
	return at
}

// commentOnLines reports whether a comment shares a line with s.
func (c *checker) commentOnLines(file *ast.File, s ast.Stmt) bool {
	first, last := c.line(s.Pos()), c.line(s.End())
	for _, cg := range file.Comments {
		if c.line(cg.Pos()) <= last && c.line(cg.End()) >= first {
			return true
		}
	}
	return false
}

// source returns e as gofmt prints it.
func (c *checker) source(e ast.Expr) string {
	var buf bytes.Buffer
	if err := format.Node(&buf, c.pass.Fset, e); err != nil {
		return types.ExprString(e) // an expression always prints; this is the same text, spaced differently
	}
	return buf.String()
}

func (c *checker) line(pos token.Pos) int { return c.pass.Fset.Position(pos).Line }

// opening returns the position just after the brace or colon that opens a statement list's holder.
func opening(holder ast.Node) token.Pos {
	switch h := holder.(type) {
	case *ast.BlockStmt:
		return h.Lbrace + 1
	case *ast.CaseClause:
		return h.Colon + 1
	case *ast.CommClause:
		return h.Colon + 1
	}
	return token.NoPos
}
