// Package blocking computes, for each function, whether calling it may block: sleep, wait on a channel,
// WaitGroup or errgroup, or do network, database or process I/O. It works at AST level so that it is cheap on
// every dependency, std included, and exports the result as a MayBlock fact. It reports nothing.
package blocking

import (
	"fmt"
	"go/ast"
	"go/types"
	"reflect"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/conclint/conclint/internal/assigns"
	"github.com/conclint/conclint/internal/boolguard"
	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

// Analyzer computes MayBlock facts. It reports nothing.
var Analyzer = &analysis.Analyzer{
	Name:       "conclint_blocking",
	Doc:        "compute which functions may block (sleep, channel, wait, I/O); reports nothing",
	URL:        "https://github.com/conclint/conclint/blob/main/docs/analyzers/lockblock.md",
	Run:        run,
	Requires:   []*analysis.Analyzer{assigns.Analyzer},
	ResultType: reflect.TypeFor[*Result](),
	FactTypes:  []analysis.Fact{new(MayBlock)},
}

// maxVia bounds the length of a recorded call chain, to keep facts tiny.
const maxVia = 4

// MayBlock is the fact that a function may block. Op is the first blocking operation reached (by the
// shortest chain of static calls), Via the calls leading to it from the function's body, outermost first.
// Guard, when not zero, says that every blocking operation of the function runs only when its bool
// parameter Guard.Param() is true (numbered as boolguard.Param: the receiver is 0): a call that passes the
// constant false there does not block.
type MayBlock struct {
	Kind  Kind
	Op    string
	Via   []string
	Guard boolguard.Guard
}

func (*MayBlock) AFact() {}

func (m *MayBlock) String() string {
	if m.Guard != 0 {
		return fmt.Sprintf("mayBlock(%s if %s)", m.Op, m.Guard)
	}
	return "mayBlock(" + m.Op + ")"
}

// Chain returns the chain from a call spelled call to the blocking operation, for messages:
// "s.flush → w.Write → net.Conn.Write".
func (m *MayBlock) Chain(call string) string {
	return strings.Join(append(append([]string{call}, m.Via...), m.Op), " → ")
}

// Result answers whether a function may block.
type Result struct {
	pass     *analysis.Pass
	local    map[*types.Func]*MayBlock
	buffered func() *Buffered
}

// Buffered tells the sends of the package that cannot block, or likely do not; facts ignore them. It is
// computed at the first call, so that a package without a send or a receive never pays for it.
func (r *Result) Buffered() *Buffered { return r.buffered() }

// MayBlock returns the fact of fn, or nil if fn is not known to block (including when nothing is known).
func (r *Result) MayBlock(fn *types.Func) *MayBlock {
	if fn == nil {
		return nil
	}
	fn = fn.Origin()
	if fn.Pkg() == r.pass.Pkg {
		return r.local[fn]
	}
	var fact MayBlock
	if r.pass.ImportObjectFact(fn, &fact) {
		return &fact
	}
	return nil
}

// Waits reports whether op, an operation with a Desc, may block: always, except a Wait on a local
// WaitGroup whose goroutines block only if a function they call may.
func (r *Result) Waits(op Op) bool {
	if op.OnlyIf == nil {
		return true
	}
	for _, fn := range op.OnlyIf {
		if r.MayBlock(fn) != nil {
			return true
		}
	}
	return false
}

type summary struct {
	fn     *types.Func
	ops    []Op
	guards func() *boolguard.Guards // computed at the first blocking operation: most functions have none
}

func run(pass *analysis.Pass) (any, error) {
	res := &Result{pass: pass, local: make(map[*types.Func]*MayBlock), buffered: sync.OnceValue(func() *Buffered { return findBuffered(pass) })}
	if syncapi.IsRuntime(pass.Pkg.Path()) {
		return res, nil // the runtime's channel and semaphore use is not what its callers wait on
	}
	var funcs []summary
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			d, ok := decl.(*ast.FuncDecl)
			if !ok || d.Body == nil {
				continue // not a function, or one implemented outside Go
			}
			fn, _ := pass.TypesInfo.Defs[d.Name].(*types.Func)
			if fn == nil {
				continue
			}
			s := summary{fn: fn}
			locked := sync.OnceValue(func() []ast.Expr { return lockedHere(pass.TypesInfo, d.Body) }) // at the first unlock: most functions have none
			released := false
			Ops(pass.TypesInfo, d.Body, Inline, func(op Op) {
				if released {
					return // what follows runs after the caller's lock was released
				}
				if op.Callee != nil && releases(pass.TypesInfo, op, locked) {
					released = true // an …AndUnlock helper: it blocks, if at all, without its caller's lock
					return
				}
				if send, ok := op.Node.(*ast.SendStmt); ok {
					if local, field := res.Buffered().Send(pass.TypesInfo, send); local || field {
						return // the buffer holds the value
					}
				}
				if u, ok := op.Node.(*ast.UnaryExpr); ok && res.Buffered().Receive(pass.TypesInfo, u) {
					return // a semaphore token that every holder gives back, a fired timer's drain, a value sent before the flag
				}
				s.ops = append(s.ops, op)
			})
			if len(s.ops) > 0 {
				s.guards = sync.OnceValue(func() *boolguard.Guards { return boolguard.Find(pass.TypesInfo, fn, d.Body, nil) })
				funcs = append(funcs, s)
			}
		}
	}
	// Round by round, a function blocks if it has a blocking operation or calls a function known to block
	// at the end of the previous round: the chains found are the shortest, and never circular. A function
	// found to block only when a parameter is true may be found later to block whatever its arguments
	// (the fact only ever grows: nothing, guarded, unguarded).
	for {
		found := make(map[*types.Func]*MayBlock)
		for _, s := range funcs {
			if old := res.local[s.fn]; old == nil || old.Guard != 0 {
				if mb := firstBlocking(res, s); mb != nil && (old == nil || mb.Guard == 0) {
					found[s.fn] = mb
				}
			}
		}
		if len(found) == 0 {
			break
		}
		for fn, mb := range found {
			res.local[fn] = mb
		}
	}
	api := syntax.NewAPI(pass.Pkg)
	for _, s := range funcs {
		if mb := res.local[s.fn]; mb != nil && api.Callable(s.fn) {
			pass.ExportObjectFact(s.fn, mb)
		}
	}
	return res, nil
}

// lockedHere returns the receivers of the Lock and RLock calls of body, as written.
func lockedHere(info *types.Info, body *ast.BlockStmt) []ast.Expr {
	var out []ast.Expr
	ast.Inspect(body, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			fn, _ := typeutil.Callee(info, c).(*types.Func)
			if op := syncapi.LockOpOf(fn); op == syncapi.Lock || op == syncapi.RLock || op == syncapi.TryLock || op == syncapi.TryRLock {
				if sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok {
					out = append(out, sel.X)
				}
			}
		}
		return true
	})
	return out
}

// releases reports whether op is an Unlock or RUnlock of a mutex that the function does not lock itself
// (locked returns the receivers of its locks): it releases its caller's lock.
func releases(info *types.Info, op Op, locked func() []ast.Expr) bool {
	if l := syncapi.LockOpOf(op.Callee); l != syncapi.Unlock && l != syncapi.RUnlock {
		return false
	}
	sel, ok := ast.Unparen(op.Node.(*ast.CallExpr).Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	for _, x := range locked() {
		if sameVar(info, x, sel.X) {
			return false
		}
	}
	return true
}

// firstBlocking returns the fact implied by the first operation of s that blocks whatever the function's
// arguments, or else by the first one that blocks, guarded by the parameter that guards all those that
// block; nil if none blocks.
func firstBlocking(res *Result, s summary) *MayBlock {
	var first *MayBlock
	var common []boolguard.Guard // the guards of every blocking operation seen
	for _, op := range s.ops {
		var mb, callee *MayBlock
		switch {
		case op.Cond:
			continue // Cond.Wait releases its locker: blocking only relative to the caller's locks
		case op.Desc != "":
			if res.Waits(op) {
				mb = &MayBlock{Kind: op.Kind, Op: op.Desc}
			}
		case op.Callee != nil:
			if callee = res.MayBlock(op.Callee); callee != nil {
				via := append([]string{callName(op)}, callee.Via...)
				if len(via) > maxVia {
					via = append(via[:maxVia-1], "…")
				}
				mb = &MayBlock{Kind: callee.Kind, Op: callee.Op, Via: via}
			}
		}
		if mb == nil {
			continue
		}
		params, blocks := guardsOf(res.pass.TypesInfo, s.guards(), op, callee)
		switch {
		case !blocks:
			continue // the call passes false where the callee needs true to block
		case len(params) == 0:
			return mb
		case first == nil:
			first, common = mb, params
		default:
			common = slices.DeleteFunc(common, func(g boolguard.Guard) bool { return !slices.Contains(params, g) })
		}
	}
	if first != nil {
		if len(common) == 0 {
			return first // guarded by different parameters: it blocks when either is true
		}
		first.Guard = slices.Min(common)
	}
	return first
}

func callName(op Op) string {
	return CallName(op.Node.(*ast.CallExpr), op.Callee)
}

// CallName returns how messages name a call: its function as written ("s.flush", "dep.Backoff"), or, when that
// is long or contains a call itself, the callee's package, type and name ("redis.StatusCmd.Err").
func CallName(call *ast.CallExpr, callee *types.Func) string {
	name := types.ExprString(call.Fun)
	if len(name) <= 40 && !containsCall(call.Fun) || callee == nil {
		return name
	}
	if recv := callee.Signature().Recv(); recv != nil {
		if t := syncapi.RecvTypeName(recv.Type()); t != "" {
			return callee.Pkg().Name() + "." + t + "." + callee.Name()
		}
	}
	return callee.Name()
}

func containsCall(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if _, ok := n.(*ast.CallExpr); ok {
			found = true
		}
		return !found
	})
	return found
}
