package blocking

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/conclint/conclint/internal/assigns"
	"github.com/conclint/conclint/internal/syntax"
)

// Buffered says on which channels of a package a send cannot block, or most likely does not.
type Buffered struct {
	locals  map[types.Object]bool // local variables whose buffer holds every send on them
	assigns *assigns.Result       // the values assigned to struct fields (see bufferedField)
	sems    map[types.Object]bool // counting semaphores filled at creation (see semaphores)
	// tokens are the sends on token channels, which fill them within capacity or give back a token that the
	// same goroutine took (see tokenSends).
	tokens map[*ast.SendStmt]bool
	// fresh are the sends on a channel just made, before anyone else can have it, that its buffer holds
	// (see freshSends).
	fresh map[*ast.SendStmt]bool
	// drains are the receives that drain an armed timer that fired, from the channel its function closes
	// (see timerDrains).
	drains map[*ast.UnaryExpr]bool
	// handshakes are the receives that run only after a send on the channel, which nobody else can have
	// received (see handshakes).
	handshakes map[*ast.UnaryExpr]bool
}

// findBuffered finds the local channel variables whose sends can never block: made once with
// make(chan T, n) for a constant n, never assigned again, and sent on at most n times, never in a loop the
// channel outlives; or made once, used only to send, receive, range, close, measure and return as a
// receive-only channel, and sent on at most n times on any path (see holdsAll); and the struct fields to
// which the package assigns only channels made buffered.
func findBuffered(pass *analysis.Pass) *Buffered {
	type info struct {
		capacity int64
		made     ast.Node // the make call
		assigns  int
		sends    int
		inLoop   bool
	}
	vars := make(map[types.Object]*info)
	get := func(e ast.Expr) *info {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return nil
		}
		obj := pass.TypesInfo.ObjectOf(id)
		if v, ok := obj.(*types.Var); !ok || v.Parent() == nil || v.Parent() == pass.Pkg.Scope() {
			return nil // not a local variable
		}
		if vars[obj] == nil {
			vars[obj] = &info{capacity: -1}
		}
		return vars[obj]
	}
	for _, f := range pass.Files {
		var loops []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				return true
			}
			switch n := n.(type) {
			case *ast.ForStmt, *ast.RangeStmt:
				loops = append(loops, n)
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					v := get(lhs)
					if v == nil {
						continue
					}
					v.assigns++
					if len(n.Rhs) == len(n.Lhs) {
						v.capacity, v.made = makeCap(pass, n.Rhs[i]), n.Rhs[i]
					}
				}
			case *ast.ValueSpec:
				for i, name := range n.Names {
					if v := get(name); v != nil && len(n.Values) == len(n.Names) {
						v.assigns++
						v.capacity, v.made = makeCap(pass, n.Values[i]), n.Values[i]
					}
				}
			case *ast.SendStmt:
				if v := get(n.Chan); v != nil {
					v.sends++
					for _, l := range loops {
						if within(n, l) && (v.made == nil || !within(v.made, l)) {
							v.inLoop = true // sent on each iteration of a loop the channel outlives
						}
					}
				}
			}
			return true
		})
	}
	tokens, chans := tokenSends(pass)
	as := pass.ResultOf[assigns.Analyzer].(*assigns.Result)
	out := &Buffered{locals: make(map[types.Object]bool), assigns: as, tokens: tokens, fresh: freshSends(pass), drains: timerDrains(pass, as), handshakes: handshakes(pass, as)}
	out.sems = semaphores(pass, out)
	for obj, v := range vars {
		switch {
		case v.assigns != 1:
		case v.capacity >= 1 && int64(v.sends) <= v.capacity && !v.inLoop:
			out.locals[obj] = true
		case v.sends > 0 && chans[obj] != nil && !chans[obj].bad && !chans[obj].linked && holdsEverySend(pass, obj, v.made):
			out.locals[obj] = true // the channel does not escape, and no path sends more than it holds
		}
	}
	return out
}

// semaphores finds the channels used as counting semaphores filled at creation: a channel (a struct field
// or a variable) made buffered, and sent on in a loop by the function that makes it (filled with tokens),
// such that every function that receives from it also sends on it (takes a token and gives it back). A
// receive from it waits only while other holders do the work between their take and their give-back.
func semaphores(pass *analysis.Pass, b *Buffered) map[types.Object]bool {
	chanOf := func(e ast.Expr) types.Object {
		switch e := ast.Unparen(e).(type) {
		case *ast.Ident:
			return pass.TypesInfo.ObjectOf(e)
		case *ast.SelectorExpr:
			return pass.TypesInfo.ObjectOf(e.Sel)
		}
		return nil
	}
	made := make(map[types.Object]map[*ast.FuncDecl]bool) // where a buffered make is assigned to it
	filled := make(map[types.Object]map[*ast.FuncDecl]bool)
	sends := make(map[types.Object]map[*ast.FuncDecl]bool)
	recvs := make(map[types.Object]map[*ast.FuncDecl]bool)
	add := func(m map[types.Object]map[*ast.FuncDecl]bool, obj types.Object, d *ast.FuncDecl) {
		if obj == nil {
			return
		}
		if m[obj] == nil {
			m[obj] = make(map[*ast.FuncDecl]bool)
		}
		m[obj][d] = true
	}
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			d, ok := decl.(*ast.FuncDecl)
			if !ok || d.Body == nil {
				continue
			}
			var loops []ast.Node
			ast.Inspect(d.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.ForStmt, *ast.RangeStmt:
					loops = append(loops, n)
				case *ast.AssignStmt:
					if len(n.Lhs) == len(n.Rhs) {
						for i, lhs := range n.Lhs {
							if isBufferedMake(pass.TypesInfo, n.Rhs[i]) {
								add(made, chanOf(lhs), d)
							}
						}
					}
				case *ast.KeyValueExpr:
					if isBufferedMake(pass.TypesInfo, n.Value) {
						add(made, chanOf(n.Key), d)
					}
				case *ast.SendStmt:
					obj := chanOf(n.Chan)
					add(sends, obj, d)
					for _, l := range loops {
						if within(n, l) {
							add(filled, obj, d)
						}
					}
				case *ast.UnaryExpr:
					if n.Op == token.ARROW {
						add(recvs, chanOf(n.X), d)
					}
				}
				return true
			})
		}
	}
	out := make(map[types.Object]bool)
	for obj, ds := range filled {
		if v, ok := obj.(*types.Var); !ok || v.IsField() && !b.bufferedField(pass.TypesInfo, v) {
			continue // a field also assigned a channel that is not made buffered here
		}
		fill := false
		for d := range ds {
			fill = fill || made[obj][d]
		}
		if !fill {
			continue
		}
		sem := true
		for d := range recvs[obj] {
			sem = sem && sends[obj][d]
		}
		if sem {
			out[obj] = true
		}
	}
	return out
}

// Receive reports whether a receive takes a token from a counting semaphore filled at creation, whose
// every taker gives its token back: it waits only while other holders work; or whether it drains an
// armed timer that fired, and waits only for its function to close the channel; or whether it runs only
// after a send on the channel that no other receive took, under a flag set after the send.
func (b *Buffered) Receive(info *types.Info, u *ast.UnaryExpr) bool {
	if b.drains[u] || b.handshakes[u] {
		return true
	}
	switch e := ast.Unparen(u.X).(type) {
	case *ast.Ident:
		return b.sems[info.Uses[e]]
	case *ast.SelectorExpr:
		return b.sems[info.Uses[e.Sel]]
	}
	return false
}

// bufferedField reports whether v is a struct field to which the package assigns channels, every one
// made buffered: make(chan T, n) with n a non-zero constant or not a constant.
func (b *Buffered) bufferedField(info *types.Info, v *types.Var) bool {
	return v.IsField() && len(b.assigns.Sites(v)) > 0 && b.assigns.Every(v, func(e ast.Expr) bool { return isBufferedMake(info, e) })
}

// isBufferedMake reports whether e is make(chan T, n) with n not the constant 0.
func isBufferedMake(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 2 || !syntax.IsBuiltin(info, call, "make") {
		return false
	}
	tv := info.Types[call.Args[1]]
	return tv.Value == nil || constant.Sign(tv.Value) > 0
}

// makeCap returns n for make(chan T, n) with a constant n, else -1.
func makeCap(pass *analysis.Pass, e ast.Expr) int64 {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 2 || !syntax.IsBuiltin(pass.TypesInfo, call, "make") {
		return -1
	}
	tv := pass.TypesInfo.Types[call.Args[1]]
	if tv.Value == nil || tv.Value.Kind() != constant.Int {
		return -1
	}
	n, _ := constant.Int64Val(tv.Value)
	return n
}

func within(n, outer ast.Node) bool { return outer.Pos() <= n.Pos() && n.End() <= outer.End() }

// Send classifies a send: on a local channel whose buffer holds every send on it, on a token channel, or
// on a channel just made that nobody else has yet and that has room (local: it cannot block), or on a struct field to which the package assigns only
// channels made buffered (field: it blocks only when the buffer is full).
func (b *Buffered) Send(info *types.Info, send *ast.SendStmt) (local, field bool) {
	if b.tokens[send] || b.fresh[send] {
		return true, false
	}
	switch e := ast.Unparen(send.Chan).(type) {
	case *ast.Ident:
		return b.locals[info.Uses[e]], false
	case *ast.SelectorExpr:
		v, ok := info.Uses[e.Sel].(*types.Var)
		return false, ok && b.bufferedField(info, v)
	}
	return false, false
}

// holdsEverySend reports whether the channel ch, made by made (make(chan T, n)) in the function that
// declares ch, holds every send that one run of that function can make on it.
func holdsEverySend(pass *analysis.Pass, ch types.Object, made ast.Node) bool {
	e, ok := made.(ast.Expr)
	if !ok {
		return false
	}
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 2 || !syntax.IsBuiltin(pass.TypesInfo, call, "make") {
		return false
	}
	body := enclosingBody(pass, call.Pos())
	if body == nil || body != enclosingBody(pass, ch.Pos()) {
		return false // made in a literal that may run more than once
	}
	return holdsAll(pass.TypesInfo, ch, body, call.Args[1], call.Pos())
}

// enclosingBody returns the body of the innermost function declaration or literal around pos, or nil.
func enclosingBody(pass *analysis.Pass, pos token.Pos) *ast.BlockStmt {
	file := syntax.FileOf(pass.Files, pos)
	if file == nil {
		return nil
	}
	path, _ := astutil.PathEnclosingInterval(file, pos, pos)
	for _, n := range path {
		switch f := n.(type) {
		case *ast.FuncLit:
			return f.Body
		case *ast.FuncDecl:
			return f.Body
		}
	}
	return nil
}
