package boolguard

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/cfg"

	"github.com/conclint/conclint/internal/syncapi"
)

// Guards are the parts of a function body that run only when one of its parameters is on: a bool
// parameter true, or a parameter of a type that can be nil (a pointer, an interface, a map, a slice, a
// function, a channel) nil, as in func (c *Client) post(key crypto.Signer) { if key == nil { key =
// c.Key; c.lockAndLookup() } }. A bool parameter guards when it keeps its caller's value (see Params);
// a nil-able one may also be assigned, but only in parts it guards, so that wherever it is off it still
// holds its caller's value.
//
// A part is guarded by p when it lies in a block of the body's control flow graph that the entry cannot
// reach once p is off (the body of if p, of if p && x, of for p, of if p == nil; what follows if !p {
// return } or if p != nil { return }), or in a part of an expression that p off skips (the right operand
// of p && x, of !p || x), which the graph does not split. A bool parameter also guards, negated (Unless),
// the parts that the entry cannot reach once it is true (the body of if !p).
type Guards struct {
	params map[*types.Var]Param // the guarding parameters
	blocks [][]Guard            // by block index: the guards of the block, sorted
	nodes  []node               // the nodes of the graph's live blocks, for At
	spans  []span               // the operands that a parameter off (or, negated, on) skips
}

type node struct {
	pos, end token.Pos
	block    int32
}

type span struct {
	pos, end token.Pos
	guard    Guard
}

// Find returns the guards of body, the body of fn, whose control flow graph is g (built by cfg.New if nil).
func Find(info *types.Info, fn *types.Func, body *ast.BlockStmt, g *cfg.CFG) *Guards {
	gs := &Guards{params: make(map[*types.Var]Param)}
	kept := Params(info, fn, body)
	var nilChecked map[*types.Var]bool // the nil-able parameters that body compares with nil
	var cands []*types.Var
	for v, p := range allParams(fn) {
		if v.Name() == "" || v.Name() == "_" {
			continue
		}
		if Nilable(v.Type()) && nilChecked == nil {
			nilChecked = comparedWithNil(info, body)
		}
		_, isKept := kept[v]
		if isKept && Nilable(v.Type()) && !nilChecked[v] {
			gs.params[v] = p // guards nothing here, but may be passed on to a callee's guard (see Passed)
			continue
		}
		if isKept && isBool(v.Type()) || Nilable(v.Type()) && nilChecked[v] {
			gs.params[v] = p
			cands = append(cands, v)
		}
	}
	if len(cands) == 0 {
		return gs
	}
	slices.SortFunc(cands, func(a, b *types.Var) int { return int(gs.params[a] - gs.params[b]) })
	if g == nil {
		g = cfg.New(body, func(call *ast.CallExpr) bool { return syncapi.MayReturn(info, call) })
	}
	for _, b := range g.Blocks {
		if b.Live {
			for _, n := range b.Nodes {
				gs.nodes = append(gs.nodes, node{n.Pos(), n.End(), b.Index})
			}
		}
	}
	notConds := tagCases(body)
	gs.blocks = make([][]Guard, len(g.Blocks))
	for _, v := range cands {
		reached := reachedWith(info, g, v, false, notConds)
		if _, ok := kept[v]; !ok && !gs.changedOnlyWhenOn(info, body, v, reached) {
			delete(gs.params, v)
			continue
		}
		p := gs.params[v]
		gs.addBlocks(g, reached, p.Guard())
		if isBool(v.Type()) {
			gs.addBlocks(g, reachedWith(info, g, v, true, notConds), p.Unless())
		}
	}
	for _, b := range gs.blocks {
		slices.Sort(b)
	}
	ast.Inspect(body, func(n ast.Node) bool {
		var cond ast.Expr
		var skipped []ast.Node // by cond false, and by cond true
		switch n := n.(type) {
		case *ast.BinaryExpr:
			switch n.Op {
			case token.LAND:
				cond, skipped = n.X, []ast.Node{n.Y, nil}
			case token.LOR:
				cond, skipped = n.X, []ast.Node{nil, n.Y}
			}
		case *ast.IfStmt:
			// The graph places the body's nodes; a statement that has none (select {}) needs the span.
			cond, skipped = n.Cond, []ast.Node{n.Body, n.Else}
		}
		if cond == nil {
			return true
		}
		for _, v := range cands {
			p, ok := gs.params[v]
			if !ok {
				continue
			}
			if val, known := valueWith(info, cond, v, false); known {
				if s := skipped[boolIndex(val)]; s != nil {
					gs.spans = append(gs.spans, span{s.Pos(), s.End(), p.Guard()})
				}
			}
			if !isBool(v.Type()) {
				continue
			}
			if val, known := valueWith(info, cond, v, true); known {
				if s := skipped[boolIndex(val)]; s != nil {
					gs.spans = append(gs.spans, span{s.Pos(), s.End(), p.Unless()})
				}
			}
		}
		return true
	})
	return gs
}

// addBlocks adds g to the guards of the live blocks of the graph that are not reached.
func (gs *Guards) addBlocks(graph *cfg.CFG, reached []bool, g Guard) {
	for _, b := range graph.Blocks {
		if b.Live && !reached[b.Index] {
			gs.blocks[b.Index] = append(gs.blocks[b.Index], g)
		}
	}
}

// comparedWithNil returns the variables that body compares with nil (v == nil, nil != v), outside
// function literals: the only nil-able parameters that can guard a part of body, found in one pass so
// that a body that compares none (most methods, whose receiver is a pointer) builds no graph for them.
// The others may still pass their caller's value on to a callee that compares it (Passed).
func comparedWithNil(info *types.Info, body *ast.BlockStmt) map[*types.Var]bool {
	out := make(map[*types.Var]bool)
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BinaryExpr:
			if n.Op != token.EQL && n.Op != token.NEQ {
				return true
			}
			for _, pair := range [2][2]ast.Expr{{n.X, n.Y}, {n.Y, n.X}} {
				if id, ok := ast.Unparen(pair[0]).(*ast.Ident); ok && info.Types[pair[1]].IsNil() {
					if v, ok := info.Uses[id].(*types.Var); ok {
						out[v] = true
					}
				}
			}
		}
		return true
	})
	return out
}

// changedOnlyWhenOn reports whether every assignment to the parameter v in body lies in a block that the
// entry does not reach once v is off (reached), outside function literals, and v's address is never
// taken: where v is off, it keeps its caller's value.
func (gs *Guards) changedOnlyWhenOn(info *types.Info, body *ast.BlockStmt, v *types.Var, reached []bool) bool {
	ok := true
	is := func(e ast.Expr) bool {
		id, isID := ast.Unparen(e).(*ast.Ident)
		return isID && info.Uses[id] == v
	}
	var lits int
	ast.Inspect(body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			lits++
			ast.Inspect(n.Body, func(m ast.Node) bool {
				switch m := m.(type) {
				case *ast.AssignStmt:
					ok = ok && !slices.ContainsFunc(m.Lhs, is)
				case *ast.UnaryExpr:
					ok = ok && !(m.Op == token.AND && is(m.X))
				}
				return ok
			})
			return false
		case *ast.AssignStmt:
			if slices.ContainsFunc(n.Lhs, is) {
				b, found := gs.blockOf(n)
				ok = found && !reached[b]
			}
		case *ast.UnaryExpr:
			ok = !(n.Op == token.AND && is(n.X))
		case *ast.RangeStmt:
			ok = !(n.Tok == token.ASSIGN && (is(n.Key) || n.Value != nil && is(n.Value)))
		}
		return ok
	})
	return ok
}

// blockOf returns the index of the block whose node is the innermost one around n.
func (gs *Guards) blockOf(n ast.Node) (int32, bool) {
	best := -1
	for i, x := range gs.nodes {
		if x.pos <= n.Pos() && n.Pos() < x.end && (best < 0 || x.end-x.pos < gs.nodes[best].end-gs.nodes[best].pos) {
			best = i
		}
	}
	if best < 0 {
		return 0, false
	}
	return gs.nodes[best].block, true
}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

// reachedWith returns, by block index, the blocks of g that the entry reaches when v is off, or, with on,
// when v, a bool, is true.
func reachedWith(info *types.Info, g *cfg.CFG, v *types.Var, on bool, notConds map[ast.Expr]bool) []bool {
	reached := make([]bool, len(g.Blocks))
	if len(g.Blocks) == 0 {
		return reached
	}
	work := []*cfg.Block{g.Blocks[0]}
	reached[0] = true
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		succs := b.Succs
		if len(succs) == 2 && len(b.Nodes) > 0 {
			if e, ok := b.Nodes[len(b.Nodes)-1].(ast.Expr); ok && !notConds[e] {
				if val, known := valueWith(info, e, v, on); known && val {
					succs = succs[:1] // if !v, if !v || x: only the true edge
				} else if known {
					succs = succs[1:] // if v, if v && x: only the false edge
				}
			}
		}
		for _, s := range succs {
			if !reached[s.Index] {
				reached[s.Index] = true
				work = append(work, s)
			}
		}
	}
	return reached
}

// tagCases returns the case expressions of the switch statements of body that have a tag: the graph
// branches on tag == x after x, not on x.
func tagCases(body *ast.BlockStmt) map[ast.Expr]bool {
	var out map[ast.Expr]bool
	ast.Inspect(body, func(n ast.Node) bool {
		if s, ok := n.(*ast.SwitchStmt); ok && s.Tag != nil {
			if out == nil {
				out = make(map[ast.Expr]bool)
			}
			for _, c := range s.Body.List {
				for _, x := range c.(*ast.CaseClause).List {
					out[x] = true
				}
			}
		}
		return true
	})
	return out
}

// valueWith evaluates the condition e when the parameter v is off (false, or not nil), or, with on, when
// v, a bool, is true: its value, if v decides it (v, !v, v == nil, v != nil, v && x, !v || x, and so on).
func valueWith(info *types.Info, e ast.Expr, v *types.Var, on bool) (val, known bool) {
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[id] == v
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return on, isBool(v.Type()) && info.Uses[e] == v
	case *ast.UnaryExpr:
		if e.Op == token.NOT {
			x, ok := valueWith(info, e.X, v, on)
			return !x, ok
		}
	case *ast.BinaryExpr:
		if (e.Op == token.EQL || e.Op == token.NEQ) && Nilable(v.Type()) {
			if on {
				return false, false // only a bool is on by a value of its own
			}
			if is(e.X) && info.Types[e.Y].IsNil() || is(e.Y) && info.Types[e.X].IsNil() {
				return e.Op == token.NEQ, true // v != nil is true, v == nil false
			}
			return false, false
		}
		x, xok := valueWith(info, e.X, v, on)
		y, yok := valueWith(info, e.Y, v, on)
		switch e.Op {
		case token.LOR:
			if xok && x || yok && y {
				return true, true
			}
			return false, xok && yok
		case token.LAND:
			if xok && !x || yok && !y {
				return false, true
			}
			return true, xok && yok
		}
	}
	return false, false
}

// Block returns the guards of the block b of the graph Find was given, sorted: the parameters that must
// be on (or, negated, false) for it to run.
func (gs *Guards) Block(b *cfg.Block) []Guard {
	if int(b.Index) >= len(gs.blocks) {
		return nil
	}
	return gs.blocks[b.Index]
}

// At returns the guards of n, a node of the body, sorted: the parameters that must be on (or, negated,
// false) for it to run: the guards of the block of the innermost graph node around n (or, for a statement
// the graph splits, of its first node), and of the operands and if bodies around it.
func (gs *Guards) At(n ast.Node) []Guard {
	if len(gs.params) == 0 {
		return nil
	}
	pos := n.Pos()
	best := -1
	for i, x := range gs.nodes {
		if x.pos <= pos && pos < x.end && (best < 0 || x.end-x.pos < gs.nodes[best].end-gs.nodes[best].pos) {
			best = i
		}
	}
	if best < 0 { // a statement whose parts are nodes: its first part
		for i, x := range gs.nodes {
			if pos <= x.pos && x.end <= n.End() && (best < 0 || x.pos < gs.nodes[best].pos) {
				best = i
			}
		}
	}
	var out []Guard
	if best >= 0 {
		out = append(out, gs.blocks[gs.nodes[best].block]...)
	}
	for _, s := range gs.spans {
		if s.pos <= pos && pos < s.end {
			out = append(out, s.guard)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Passed returns the guarding parameter that e names, if any: a call that passes it on to a guarded
// parameter runs what its callee guards only when that parameter is true.
func (gs *Guards) Passed(info *types.Info, e ast.Expr) (Param, bool) {
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		if v, ok := info.Uses[id].(*types.Var); ok {
			p, ok := gs.params[v]
			return p, ok
		}
	}
	return 0, false
}
