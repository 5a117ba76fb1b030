package boolguard

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/cfg"

	"github.com/conclint/conclint/internal/syncapi"
)

// Guards are the parts of a function body that run only when one of its bool parameters is true. Only a
// parameter that keeps its caller's value guards (see Params): a named one of a type whose underlying
// type is bool.
//
// A part is guarded by p when it lies in a block of the body's control flow graph that the entry cannot
// reach once p is false (the body of if p, of if p && x, of for p; what follows if !p { return }), or
// in a part of an expression that p false skips (the right operand of p && x, of !p || x), which the
// graph does not split.
type Guards struct {
	params map[*types.Var]Param // the guarding parameters
	blocks [][]Param            // by block index: the parameters that guard the block, sorted
	nodes  []node               // the nodes of the graph's live blocks, for At
	spans  []span               // the operands that a parameter false skips
}

type node struct {
	pos, end token.Pos
	block    int32
}

type span struct {
	pos, end token.Pos
	param    Param
}

// Find returns the guards of body, a function's body: params are its parameters as Params returns them,
// and g its control flow graph, built by cfg.New if nil.
func Find(info *types.Info, params map[*types.Var]Param, body *ast.BlockStmt, g *cfg.CFG) *Guards {
	gs := &Guards{params: make(map[*types.Var]Param)}
	var bools []*types.Var
	for v, p := range params {
		if b, ok := v.Type().Underlying().(*types.Basic); ok && b.Kind() == types.Bool && v.Name() != "" && v.Name() != "_" {
			gs.params[v] = p
			bools = append(bools, v)
		}
	}
	if len(bools) == 0 {
		return gs
	}
	slices.SortFunc(bools, func(a, b *types.Var) int { return int(params[a] - params[b]) })
	if g == nil {
		g = cfg.New(body, func(call *ast.CallExpr) bool { return syncapi.MayReturn(info, call) })
	}
	notConds := tagCases(body)
	gs.blocks = make([][]Param, len(g.Blocks))
	for _, v := range bools {
		reached := reachedWhenFalse(info, g, v, notConds)
		for _, b := range g.Blocks {
			if b.Live && !reached[b.Index] {
				gs.blocks[b.Index] = append(gs.blocks[b.Index], params[v])
			}
		}
	}
	for _, b := range g.Blocks {
		if b.Live {
			for _, n := range b.Nodes {
				gs.nodes = append(gs.nodes, node{n.Pos(), n.End(), b.Index})
			}
		}
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
		for _, v := range bools {
			if val, known := whenFalse(info, cond, v); known {
				if s := skipped[boolIndex(val)]; s != nil {
					gs.spans = append(gs.spans, span{s.Pos(), s.End(), params[v]})
				}
			}
		}
		return true
	})
	return gs
}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

// reachedWhenFalse returns, by block index, the blocks of g that the entry reaches when v is false.
func reachedWhenFalse(info *types.Info, g *cfg.CFG, v *types.Var, notConds map[ast.Expr]bool) []bool {
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
				if val, known := whenFalse(info, e, v); known && val {
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

// whenFalse evaluates the condition e when the bool variable v is false: its value, if v decides it
// (v, !v, v && x, !v || x, and so on).
func whenFalse(info *types.Info, e ast.Expr, v *types.Var) (val, known bool) {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return false, info.Uses[e] == v
	case *ast.UnaryExpr:
		if e.Op == token.NOT {
			x, ok := whenFalse(info, e.X, v)
			return !x, ok
		}
	case *ast.BinaryExpr:
		x, xok := whenFalse(info, e.X, v)
		y, yok := whenFalse(info, e.Y, v)
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

// Block returns the parameters that must be true for the block b of the graph Find was given to run,
// sorted.
func (gs *Guards) Block(b *cfg.Block) []Param {
	if int(b.Index) >= len(gs.blocks) {
		return nil
	}
	return gs.blocks[b.Index]
}

// At returns the parameters that must be true for n, a node of the body, to run, sorted: the guards of the
// block of the innermost graph node around n (or, for a statement the graph splits, of its first node),
// and of the operands and if bodies around it.
func (gs *Guards) At(n ast.Node) []Param {
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
	var out []Param
	if best >= 0 {
		out = append(out, gs.blocks[gs.nodes[best].block]...)
	}
	for _, s := range gs.spans {
		if s.pos <= pos && pos < s.end {
			out = append(out, s.param)
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
