package blocking

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/conclint/conclint/internal/syntax"
)

// A token channel is a buffered channel whose tokens never outnumber its capacity: every send on it either
// fills it in the function that makes it (at most its capacity: as many sends as a constant capacity, or
// one send in a loop that runs as many times as the capacity says), or gives back a token that the same
// goroutine received from it just before. No send on it can block: the tokens in the buffer and in the
// hands of takers are at most the fills done so far, so a fill finds room, and so does a give-back, whose
// token left the buffer.
type tokenChan struct {
	bad    bool                         // assigned something else than a buffered make, or used otherwise
	linked bool                         // assigned to or from another candidate: the same channel under two names
	makes  map[*ast.FuncDecl][]ast.Expr // the capacity of each make, by the function that makes it
	sends  []tokenSend
}

type tokenSend struct {
	send     *ast.SendStmt
	decl     *ast.FuncDecl // the function declaration the send is in
	giveBack bool          // a receive from the same channel, in the same goroutine, runs before it
	loops    []ast.Node    // the loops of decl around the send, innermost last
	reused   bool          // in a function literal that may run any number of times
}

// tokenSends returns the sends on token channels, which cannot block. A token channel is a local
// variable, an unexported package variable or an unexported struct field, used only to send on, receive
// from, range over, close, measure (len, cap) or compare, and assigned only channels made buffered.
func tokenSends(pass *analysis.Pass) (map[*ast.SendStmt]bool, map[types.Object]*tokenChan) {
	info := pass.TypesInfo
	chans := make(map[types.Object]*tokenChan)
	get := func(obj types.Object) *tokenChan {
		if chans[obj] == nil {
			chans[obj] = &tokenChan{makes: make(map[*ast.FuncDecl][]ast.Expr)}
		}
		return chans[obj]
	}
	var links [][2]types.Object // pairs of names of the same channel
	for _, f := range pass.Files {
		var decl *ast.FuncDecl
		var stack []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				if stack[len(stack)-1] == decl {
					decl = nil // back at package level
				}
				stack = stack[:len(stack)-1]
				return true
			}
			switch n := n.(type) {
			case *ast.FuncDecl:
				decl = n
			case *ast.CompositeLit:
				unkeyedFields(pass, n, get)
			case *ast.Ident:
				if obj := tokenCandidate(pass, n); obj != nil {
					useOf(pass, get(obj), n, stack, decl, func(other types.Object) {
						get(obj).linked, get(other).linked = true, true
						links = append(links, [2]types.Object{obj, other})
					})
				}
			case *ast.SendStmt:
				if obj := chanObject(pass, n.Chan); obj != nil {
					c := get(obj)
					s := tokenSend{send: n, decl: decl, giveBack: receivedBefore(info, n, stack)}
					for i, p := range stack {
						switch p := p.(type) {
						case *ast.ForStmt, *ast.RangeStmt:
							s.loops = append(s.loops, p)
						case *ast.FuncLit:
							s.reused = s.reused || !runsOnce(info, p, stack[:i])
						}
					}
					c.sends = append(c.sends, s)
				}
			}
			stack = append(stack, n)
			return true
		})
	}
	out := make(map[*ast.SendStmt]bool)
	for _, c := range merge(chans, links) {
		if c.bad || !c.filledWithin(info) {
			continue
		}
		for _, s := range c.sends {
			out[s.send] = true
		}
	}
	return out, chans
}

// merge returns the token channel candidates with those linked by an assignment merged into one: a
// channel made in a local variable and stored in a field, or copied from one field to another.
func merge(chans map[types.Object]*tokenChan, links [][2]types.Object) []*tokenChan {
	parent := make(map[types.Object]types.Object)
	var find func(o types.Object) types.Object
	find = func(o types.Object) types.Object {
		if p, ok := parent[o]; ok && p != o {
			r := find(p)
			parent[o] = r
			return r
		}
		return o
	}
	for _, l := range links {
		if a, b := find(l[0]), find(l[1]); a != b {
			parent[a] = b
		}
	}
	merged := make(map[types.Object]*tokenChan)
	var out []*tokenChan
	for obj, c := range chans {
		root := find(obj)
		m := merged[root]
		if m == nil {
			m = &tokenChan{makes: make(map[*ast.FuncDecl][]ast.Expr)}
			merged[root] = m
			out = append(out, m)
		}
		m.bad = m.bad || c.bad
		for d, caps := range c.makes {
			m.makes[d] = append(m.makes[d], caps...)
		}
		m.sends = append(m.sends, c.sends...)
	}
	return out
}

// filledWithin reports whether the sends that are not give-backs fill the channel with at most its
// capacity, in the function that makes it.
func (c *tokenChan) filledWithin(info *types.Info) bool {
	fills := make(map[*ast.FuncDecl][]tokenSend)
	for _, s := range c.sends {
		if !s.giveBack {
			fills[s.decl] = append(fills[s.decl], s)
		}
	}
	for decl, ss := range fills {
		makes := c.makes[decl]
		if decl == nil || len(makes) != 1 {
			return false // not filled where it is made, or made twice there
		}
		for _, s := range ss {
			if s.reused {
				return false // a fill in a literal that may run again
			}
		}
		capacity := makes[0]
		var looped []tokenSend // fills in a loop that the channel outlives
		plain := 0
		for _, s := range ss {
			if len(s.loops) > 0 && !within(capacity, s.loops[len(s.loops)-1]) {
				looped = append(looped, s)
			} else {
				plain++
			}
		}
		switch {
		case len(looped) == 0:
			n := int64(1) // a capacity that is not constant is at least one: the make is buffered
			if tv := info.Types[capacity]; tv.Value != nil && tv.Value.Kind() == constant.Int {
				n, _ = constant.Int64Val(tv.Value)
			}
			if int64(plain) > n {
				return false
			}
		case len(looped) == 1 && plain == 0:
			loops := looped[0].loops
			if !loopsCapacity(info, loops[len(loops)-1], capacity) || len(loops) > 1 && !within(capacity, loops[len(loops)-2]) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// loopsCapacity reports whether loop runs as many times as the capacity says: for range n, or
// for i := 0; i < n; i++, with n spelled as the make's capacity.
func loopsCapacity(info *types.Info, loop ast.Node, capacity ast.Expr) bool {
	same := func(e ast.Expr) bool {
		return types.ExprString(ast.Unparen(e)) == types.ExprString(ast.Unparen(capacity))
	}
	switch l := loop.(type) {
	case *ast.RangeStmt:
		_, isInt := info.TypeOf(l.X).Underlying().(*types.Basic)
		return isInt && same(l.X)
	case *ast.ForStmt:
		cond, ok := ast.Unparen(l.Cond).(*ast.BinaryExpr)
		if !ok || cond.Op != token.LSS || !same(cond.Y) {
			return false
		}
		init, ok := l.Init.(*ast.AssignStmt)
		post, ok2 := l.Post.(*ast.IncDecStmt)
		if !ok || !ok2 || len(init.Lhs) != 1 || len(init.Rhs) != 1 || post.Tok != token.INC {
			return false
		}
		zero := info.Types[init.Rhs[0]].Value
		return zero != nil && constant.Sign(zero) == 0 && sameVar(info, init.Lhs[0], cond.X) && sameVar(info, post.X, cond.X)
	}
	return false
}

// tokenCandidate returns the channel variable id denotes when it may be a token channel: a local
// variable, or an unexported package variable or struct field, of channel type.
func tokenCandidate(pass *analysis.Pass, id *ast.Ident) types.Object {
	v, ok := pass.TypesInfo.ObjectOf(id).(*types.Var)
	if !ok || v.Pkg() != pass.Pkg || v.Exported() && (v.IsField() || v.Parent() == pass.Pkg.Scope()) {
		return nil
	}
	if _, ok := v.Type().Underlying().(*types.Chan); !ok {
		return nil
	}
	return v.Origin()
}

// chanObject returns the variable or field e denotes, or nil.
func chanObject(pass *analysis.Pass, e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return tokenCandidate(pass, e)
	case *ast.SelectorExpr:
		if sel := pass.TypesInfo.Selections[e]; sel != nil && sel.Kind() == types.FieldVal {
			return tokenCandidate(pass, e.Sel)
		}
	}
	return nil
}

// useOf checks one use of a token channel candidate, the identifier id with its ancestors in stack: a use
// other than a send, a receive, a range, close, len, cap, a comparison or an assignment of a buffered make
// marks it bad; an assignment records the make's capacity.
func useOf(pass *analysis.Pass, c *tokenChan, id *ast.Ident, stack []ast.Node, decl *ast.FuncDecl, link func(types.Object)) {
	info := pass.TypesInfo
	var e ast.Expr = id
	i := len(stack) - 1
	if sel, ok := stack[i].(*ast.SelectorExpr); ok && sel.Sel == id {
		e, i = sel, i-1
	}
	for i >= 0 {
		if p, ok := stack[i].(*ast.ParenExpr); ok {
			e, i = p, i-1
			continue
		}
		break
	}
	if i < 0 {
		c.bad = true
		return
	}
	made := func(rhs ast.Expr) {
		if other := chanObject(pass, rhs); other != nil {
			link(other) // the same channel under another name
			return
		}
		call, ok := ast.Unparen(rhs).(*ast.CallExpr)
		if !ok || len(call.Args) != 2 || !syntax.IsBuiltin(info, call, "make") {
			c.bad = true
			return
		}
		if tv := info.Types[call.Args[1]]; tv.Value != nil && constant.Sign(tv.Value) <= 0 {
			c.bad = true // unbuffered
			return
		}
		c.makes[decl] = append(c.makes[decl], call.Args[1])
	}
	switch p := stack[i].(type) {
	case *ast.Field:
		if i < 2 {
			c.bad = true
		} else if _, ok := stack[i-2].(*ast.StructType); !ok {
			c.bad = true // a parameter: made elsewhere
		}
	case *ast.SendStmt:
		c.bad = c.bad || p.Chan != e
	case *ast.UnaryExpr:
		c.bad = c.bad || p.Op != token.ARROW
	case *ast.RangeStmt:
		c.bad = c.bad || p.X != e
	case *ast.BinaryExpr:
		c.bad = c.bad || p.Op != token.EQL && p.Op != token.NEQ
	case *ast.CallExpr:
		c.bad = c.bad || !syntax.IsBuiltin(info, p, "len", "cap", "close")
	case *ast.ReturnStmt:
		c.bad = c.bad || !receiveOnlyResult(info, p, e, stack[:i])
	case *ast.KeyValueExpr:
		if p.Key != e {
			key, _ := p.Key.(*ast.Ident)
			c.bad = c.bad || key == nil || tokenCandidate(pass, key) == nil // stored in a field that is no candidate
			return
		}
		made(p.Value)
	case *ast.AssignStmt:
		for j, lhs := range p.Lhs {
			if lhs == e {
				if len(p.Lhs) != len(p.Rhs) {
					c.bad = true
					return
				}
				made(p.Rhs[j])
				return
			}
		}
		for j, rhs := range p.Rhs {
			if rhs == e && len(p.Lhs) == len(p.Rhs) && chanObject(pass, p.Lhs[j]) != nil {
				return // copied to another candidate, which links them
			}
		}
		c.bad = true // copied to another variable
	case *ast.ValueSpec:
		for j, name := range p.Names {
			if name == e {
				if len(p.Values) == len(p.Names) {
					made(p.Values[j])
				} else if len(p.Values) > 0 {
					c.bad = true
				}
				return
			}
		}
		for j, v := range p.Values {
			if v == e && len(p.Values) == len(p.Names) && tokenCandidate(pass, p.Names[j]) != nil {
				return // copied to another candidate, which links them
			}
		}
		c.bad = true
	default:
		c.bad = true
	}
}

// receivedBefore reports whether a receive from the channel of send runs before it in the same goroutine
// on every path: a statement <-ch or x := <-ch earlier in an enclosing statement list, or the
// communication of the select case whose body holds the send. Function literals are crossed when they are
// called at once or deferred, not when they run in another goroutine.
func receivedBefore(info *types.Info, send *ast.SendStmt, stack []ast.Node) bool {
	var child ast.Node = send
	for i := len(stack) - 1; i >= 0; i-- {
		switch p := stack[i].(type) {
		case *ast.FuncDecl:
			return false
		case *ast.FuncLit:
			if i < 1 {
				return false
			}
			call, ok := stack[i-1].(*ast.CallExpr)
			if !ok || ast.Unparen(call.Fun) != p {
				return false // a literal passed on: when it runs is unknown
			}
			if i >= 2 {
				if _, ok := stack[i-2].(*ast.GoStmt); ok {
					return false
				}
			}
		case *ast.CommClause:
			if p.Comm != child && receives(info, p.Comm, send.Chan) {
				return true
			}
		case *ast.ForStmt, *ast.RangeStmt:
			return false // the send runs on each iteration; a take before the loop runs once
		}
		if list, ok := syntax.StmtList(stack[i]); ok {
			for j, s := range list {
				if s != child {
					continue
				}
				for k := j - 1; k >= 0; k-- {
					if receives(info, list[k], send.Chan) {
						return true
					}
					if sendsOn(info, list[k], send.Chan) {
						return false // the token taken before was given back already
					}
				}
			}
		}
		child = stack[i]
	}
	return false
}

// sendsOn reports whether a send on ch appears in stmt, leaving out the body of an if statement without
// else that ends with a return: the paths through it do not reach what follows.
func sendsOn(info *types.Info, stmt ast.Stmt, ch ast.Expr) bool {
	if ifStmt, ok := stmt.(*ast.IfStmt); ok && ifStmt.Else == nil && len(ifStmt.Body.List) > 0 {
		if _, ok := ifStmt.Body.List[len(ifStmt.Body.List)-1].(*ast.ReturnStmt); ok {
			return ifStmt.Init != nil && sendsOn(info, ifStmt.Init, ch) || containsSend(info, ifStmt.Cond, ch)
		}
	}
	return containsSend(info, stmt, ch)
}

// containsSend reports whether a send on ch appears in n.
func containsSend(info *types.Info, n ast.Node, ch ast.Expr) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if s, ok := n.(*ast.SendStmt); ok && sameVar(info, s.Chan, ch) {
			found = true
		}
		return !found
	})
	return found
}

// receives reports whether stmt is <-ch or x := <-ch (x, ok := <-ch).
func receives(info *types.Info, stmt ast.Stmt, ch ast.Expr) bool {
	from := receivedFrom(stmt)
	return from != nil && sameVar(info, from, ch)
}

// receivedFrom returns the channel that stmt receives from, as <-ch or x := <-ch (x, ok := <-ch, or a
// select case written so), or nil.
func receivedFrom(stmt ast.Stmt) ast.Expr {
	var x ast.Expr
	switch s := stmt.(type) {
	case *ast.ExprStmt:
		x = s.X
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			x = s.Rhs[0]
		}
	}
	if u, ok := ast.Unparen(x).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
		return u.X
	}
	return nil
}

// unkeyedFields marks bad the channel fields of a struct literal without keys: what it assigns them is not
// checked.
func unkeyedFields(pass *analysis.Pass, lit *ast.CompositeLit, get func(types.Object) *tokenChan) {
	if len(lit.Elts) == 0 {
		return
	}
	if _, keyed := lit.Elts[0].(*ast.KeyValueExpr); keyed {
		return
	}
	t := pass.TypesInfo.TypeOf(lit)
	if t == nil {
		return
	}
	if ptr, ok := t.Underlying().(*types.Pointer); ok {
		t = ptr.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return
	}
	for f := range st.Fields() {
		if _, ok := f.Type().Underlying().(*types.Chan); ok {
			get(f).bad = true
		}
	}
}

// receiveOnlyResult reports whether e, a result of ret, is returned as a receive-only channel: the caller
// cannot send on it.
func receiveOnlyResult(info *types.Info, ret *ast.ReturnStmt, e ast.Expr, stack []ast.Node) bool {
	var sig *types.Signature
	for i := len(stack) - 1; i >= 0 && sig == nil; i-- {
		switch f := stack[i].(type) {
		case *ast.FuncLit:
			sig, _ = info.TypeOf(f).(*types.Signature)
		case *ast.FuncDecl:
			if fn, ok := info.Defs[f.Name].(*types.Func); ok {
				sig = fn.Signature()
			}
		}
	}
	if sig == nil || sig.Results().Len() != len(ret.Results) {
		return false
	}
	for j, r := range ret.Results {
		if r == e {
			ch, ok := sig.Results().At(j).Type().Underlying().(*types.Chan)
			return ok && ch.Dir() == types.RecvOnly
		}
	}
	return false
}
