package lockblock

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/blocking"
	"github.com/conclint/conclint/internal/lockset"
	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

// A section is one critical section: what runs while the lock taken by one Lock, RLock, TryLock or
// TryRLock call may be held, by lockset's state at each instruction.
type section struct {
	pos    token.Pos    // the Lock call's Lparen, lockset.Lock.Pos
	class  types.Object // the lock class (see classOf)
	name   string       // the mutex as written
	read   bool         // taken by RLock or TryRLock
	fn     string       // the function declaration it is in
	test   bool         // in test code
	blocks bool         // some operation in it may block, or is unknown (a call through an interface or a function value)

	wgs   []types.Object // the WaitGroups whose Add, Done or Wait it calls
	stops []token.Pos    // its calls of a context.CancelFunc and of close: stop signals
}

// roles holds the critical sections of the package by lock class, for deciding whether a lock guards
// state that other work waits for.
type roles struct {
	sections map[token.Pos]*section        // by Lock call
	byClass  map[types.Object][]*section   // in source order
	funcs    map[*types.Func]*ast.FuncDecl // the package's function declarations, for goroutine bodies
	pacer    *pacer                        // which sleeps are pacing
}

// collectRoles finds every critical section of the package and what runs in it.
func collectRoles(pass *analysis.Pass, locks *lockset.Result, facts *blocking.Result, isTest func(token.Pos) bool) *roles {
	ro := &roles{
		sections: make(map[token.Pos]*section),
		byClass:  make(map[types.Object][]*section),
		funcs:    make(map[*types.Func]*ast.FuncDecl),
		pacer:    newPacer(pass),
	}
	info := pass.TypesInfo
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			d, ok := decl.(*ast.FuncDecl)
			if !ok || d.Body == nil {
				continue
			}
			if fn, ok := info.Defs[d.Name].(*types.Func); ok {
				ro.funcs[fn] = d
			}
			ast.Inspect(d.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				op := syncapi.LockOpOf(calleeFunc(info, call))
				if op == syncapi.NotLock || op == syncapi.Unlock || op == syncapi.RUnlock {
					return true
				}
				class := classOf(info, call)
				if class == nil {
					return true // the mutex is reached through an element or a call: its other sections are unknown
				}
				s := &section{
					pos: call.Lparen, class: class, name: lockName(call), read: op == syncapi.RLock || op == syncapi.TryRLock,
					fn: d.Name.Name, test: isTest(call.Pos()),
				}
				ro.sections[s.pos] = s
				ro.byClass[class] = append(ro.byClass[class], s)
				return true
			})
		}
	}
	if len(ro.sections) == 0 {
		return ro
	}
	in := func(pos token.Pos, update func(s *section)) {
		for _, l := range locks.Held(pos) {
			if s := ro.sections[l.Pos]; s != nil {
				update(s)
			}
		}
	}
	for _, f := range pass.Files {
		blocking.Ops(info, f, blocking.AllLiterals, func(op blocking.Op) {
			mayBlock, wg := opBlocks(pass, facts, op)
			in(op.Pos, func(s *section) {
				if wg != nil && !slices.Contains(s.wgs, wg) {
					s.wgs = append(s.wgs, wg)
				}
				if mayBlock {
					s.blocks = true
				}
			})
		})
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GoStmt:
				return false // runs in another goroutine
			case *ast.DeferStmt:
				// The deferred call runs at return, under the locks held where it is deferred at the latest.
				if unknownCall(info, n.Call) || deferredBlocks(info, facts, n.Call) {
					in(n.Defer, func(s *section) { s.blocks = true })
				}
				return false
			case *ast.CallExpr:
				if isStop(info, n) {
					in(n.Lparen, func(s *section) { s.stops = append(s.stops, n.Lparen) })
				}
				if unknownCall(info, n) {
					in(n.Lparen, func(s *section) { s.blocks = true })
				}
			}
			return true
		})
	}
	return ro
}

// opBlocks reports whether op, found in a critical section, may block, and returns the WaitGroup whose
// Add, Done or Wait it is, if any.
func opBlocks(pass *analysis.Pass, facts *blocking.Result, op blocking.Op) (bool, types.Object) {
	info := pass.TypesInfo
	var wg types.Object
	if call, ok := op.Node.(*ast.CallExpr); ok {
		fn := calleeFunc(info, call)
		if syncapi.IsMethod(fn, "sync", "WaitGroup", "Add") || syncapi.IsMethod(fn, "sync", "WaitGroup", "Done") ||
			syncapi.IsMethod(fn, "sync", "WaitGroup", "Wait") {
			wg = recvClass(info, call)
		}
	}
	switch {
	case op.Cond:
		return true, wg // it waits, though without the lock
	case op.Desc != "":
		if send, ok := op.Node.(*ast.SendStmt); ok {
			if local, field := facts.Buffered().Send(info, send); local || field {
				return false, wg // the buffer holds the value, or most likely has room
			}
		}
		if u, ok := op.Node.(*ast.UnaryExpr); ok && facts.Buffered().Receive(info, u) {
			return false, wg // a semaphore's token
		}
		return facts.Waits(op), wg
	case op.Callee != nil:
		if syncapi.LockOpOf(op.Callee) != syncapi.NotLock {
			return false, wg
		}
		return facts.Blocks(op) != nil, wg
	}
	return false, wg
}

// deferredBlocks reports whether a deferred call may block: a blocking API, a function known to block,
// or a function literal whose body blocks or calls something unknown.
func deferredBlocks(info *types.Info, facts *blocking.Result, call *ast.CallExpr) bool {
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		found := false
		blocking.Ops(info, lit.Body, blocking.Inline, func(op blocking.Op) {
			found = found || op.Desc != "" || op.Cond || op.Callee != nil && syncapi.LockOpOf(op.Callee) == syncapi.NotLock && facts.Blocks(op) != nil
		})
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok && unknownCall(info, c) {
				found = true
			}
			return !found
		})
		return found
	}
	found := false
	blocking.Ops(info, call, blocking.Inline, func(op blocking.Op) {
		if op.Node == call {
			found = op.Desc != "" || op.Cond || op.Callee != nil && syncapi.LockOpOf(op.Callee) == syncapi.NotLock && facts.Blocks(op) != nil
		}
	})
	return found
}

// unknownCall reports whether call goes through an interface method or a function value (what it runs is
// unknown) or calls a function literal at once, and is not a catalogued blocking API or a lock operation.
func unknownCall(info *types.Info, call *ast.CallExpr) bool {
	if tv, ok := info.Types[call.Fun]; ok && (tv.IsType() || tv.IsBuiltin()) {
		return false // a conversion or a builtin
	}
	if typeutil.StaticCallee(info, call) != nil {
		return false
	}
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if _, _, ok := syncapi.Blocking(fn); ok || syncapi.LockOpOf(fn) != syncapi.NotLock {
		return false // judged as an operation, or a lock
	}
	return !describes(fn)
}

// describes reports whether fn is a String() string or Error() string method: through an interface
// (addr.String() of a net.Addr, err.Error()) it describes a value, it does not wait for other work.
func describes(fn *types.Func) bool {
	if fn == nil || fn.Name() != "String" && fn.Name() != "Error" {
		return false
	}
	sig := fn.Signature()
	return sig.Recv() != nil && sig.Params().Len() == 0 && sig.Results().Len() == 1 &&
		types.Identical(sig.Results().At(0).Type(), types.Typ[types.String])
}

// isStop reports whether call signals goroutines to stop: a call of a context.CancelFunc or
// CancelCauseFunc, or close of a channel.
func isStop(info *types.Info, call *ast.CallExpr) bool {
	if syntax.IsClose(info, call) {
		return true
	}
	t := info.TypeOf(call.Fun)
	return t != nil && syncapi.IsCancelFunc(t)
}

// fastPath returns a critical section of the class of the section at lock, other than that one, that
// cannot block and that waits for the holder: a section of a write lock, or any section when the holder
// has the write lock. Sections in exported functions come first, then by position. It returns nil when
// none exists.
func (ro *roles) fastPath(lock lockset.Lock, tests bool) *section {
	s := ro.sections[lock.Pos]
	if s == nil {
		return nil
	}
	var best *section
	for _, o := range ro.byClass[s.class] {
		if o.pos == lock.Pos || o.blocks || o.test && !tests || lock.Read && o.read {
			continue
		}
		if best == nil || ast.IsExported(o.fn) && !ast.IsExported(best.fn) {
			best = o
		}
	}
	return best
}

// addWaitSerializer reports whether every critical section of the class of the section at lock calls
// Add, Done or Wait of the WaitGroup wg: a lock whose job is to keep wg's Add and Wait apart.
func (ro *roles) addWaitSerializer(lock lockset.Lock, wg types.Object) bool {
	s := ro.sections[lock.Pos]
	if s == nil || wg == nil {
		return false
	}
	for _, o := range ro.byClass[s.class] {
		if !slices.Contains(o.wgs, wg) {
			return false
		}
	}
	return true
}

// stoppedBefore reports whether the critical section at lock signals goroutines to stop (cancel, close)
// before pos.
func (ro *roles) stoppedBefore(lock lockset.Lock, pos token.Pos) bool {
	s := ro.sections[lock.Pos]
	return s != nil && slices.ContainsFunc(s.stops, func(p token.Pos) bool { return p < pos })
}

// classOf returns the lock class of the mutex that a Lock-family call acts on: the struct field it is
// (c.mu is the field mu of c's type, whatever the instance), the embedded field through which the method
// is promoted (e.Lock()), or the variable it is (a package-level or local mutex, a parameter). It returns
// nil when the mutex is reached otherwise: a slice or map element, the result of a call.
func classOf(info *types.Info, call *ast.CallExpr) types.Object {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	if s := info.Selections[sel]; s != nil && len(s.Index()) > 1 {
		// A promoted method: the mutex is the last embedded field on the path.
		t := s.Recv()
		var field *types.Var
		for _, i := range s.Index()[:len(s.Index())-1] {
			st := structOf(t)
			if st == nil || i >= st.NumFields() {
				return nil
			}
			field = st.Field(i)
			t = field.Type()
		}
		return field.Origin()
	}
	return objOf(info, sel.X)
}

// recvClass returns the class of the receiver of a method call (the WaitGroup of wg.Wait()), as classOf
// does for mutexes.
func recvClass(info *types.Info, call *ast.CallExpr) types.Object { return classOf(info, call) }

// objOf returns the field or variable that e denotes, through & and *, or nil.
func objOf(info *types.Info, e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		if s := info.Selections[e]; s != nil {
			if s.Kind() != types.FieldVal {
				return nil
			}
			return s.Obj().(*types.Var).Origin()
		}
		if v, ok := info.Uses[e.Sel].(*types.Var); ok {
			return v // a package-level variable of another package
		}
	case *ast.Ident:
		if v, ok := info.Uses[e].(*types.Var); ok {
			return v.Origin()
		}
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return objOf(info, e.X)
		}
	case *ast.StarExpr:
		return objOf(info, e.X)
	}
	return nil
}

func structOf(t types.Type) *types.Struct {
	t = types.Unalias(t)
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	s, _ := t.Underlying().(*types.Struct)
	return s
}

func calleeFunc(info *types.Info, call *ast.CallExpr) *types.Func {
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	return fn
}

// lockName returns the mutex of a Lock-family call as written: "c.mu", or "c" for an embedded mutex.
func lockName(call *ast.CallExpr) string {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		return types.ExprString(sel.X)
	}
	return "the mutex"
}
