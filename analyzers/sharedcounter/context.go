package sharedcounter

import (
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/lockset"
	"github.com/conclint/conclint/internal/syncapi"
)

// A heldLock is a lock held at a point of a function, in that function's terms: the root value it is reached
// from and the field path, or a package-level lock (global).
type heldLock struct {
	root   ssa.Value
	path   string
	global bool
	class  string    // the lock's class, for a package-level lock
	read   bool      // held by RLock
	name   string    // as written at its Lock call
	pos    token.Pos // its Lock call
}

func (h heldLock) same(o heldLock) bool { return h.root == o.root && h.path == o.path }

func fromLockset(hs []lockset.Held) []heldLock {
	out := make([]heldLock, 0, len(hs))
	for _, h := range hs {
		root, path := h.ID.Root()
		out = append(out, heldLock{root: root, path: path, global: h.ID.Kind == lockset.Global, class: h.ID.Class, read: h.Read, name: h.Name, pos: h.Pos})
	}
	return out
}

// A context is what is known of a function's callers: the locks that every caller in the package holds
// (mapped to the function's inputs), and the inputs that every caller passes a value it just created.
type context struct {
	state ctxState
	locks []heldLock // for known: in the function's terms (roots are its inputs, or package-level)
	fresh []bool     // for known: by input
}

type ctxState int

const (
	ctxTop     ctxState = iota // no caller seen yet (the fixed point starts here)
	ctxKnown                   // every use of the function is a call or a goroutine start we can read
	ctxUnknown                 // a use we cannot follow: a function value, a defer, a caller we lost track of
)

func meet(a, b context) context {
	switch {
	case a.state == ctxTop:
		return b
	case b.state == ctxTop:
		return a
	case a.state == ctxUnknown || b.state == ctxUnknown:
		return context{state: ctxUnknown}
	}
	out := context{state: ctxKnown, fresh: make([]bool, len(a.fresh))}
	for i := range out.fresh {
		out.fresh[i] = a.fresh[i] && i < len(b.fresh) && b.fresh[i]
	}
	for _, h := range a.locks {
		if i := slices.IndexFunc(b.locks, h.same); i >= 0 {
			h.read = h.read || b.locks[i].read
			out.locks = append(out.locks, h)
		}
	}
	return out
}

func equalCtx(a, b context) bool {
	return a.state == b.state && slices.Equal(a.fresh, b.fresh) &&
		slices.EqualFunc(a.locks, b.locks, func(x, y heldLock) bool { return x.same(y) && x.read == y.read })
}

// contexts computes the context of every function of p, as a greatest fixed point over its sites: a
// function used only in calls made while its caller holds s.mu runs with s.mu held.
func (c *guardCheck) contexts(p *program) map[*ssa.Function]context {
	ctx := make(map[*ssa.Function]context, len(p.funcs))
	for _, fn := range p.funcs {
		switch {
		case len(p.sites[fn]) > 0:
			ctx[fn] = context{state: ctxTop}
		case fn.Parent() != nil || fn.Synthetic != "":
			ctx[fn] = context{state: ctxUnknown} // a literal or wrapper never called: used in ways not followed
		default:
			ctx[fn] = context{state: ctxKnown, fresh: make([]bool, len(inputs(fn)))} // called from outside only
		}
	}
	for round := 0; round < 20; round++ {
		changed := false
		for _, fn := range p.funcs {
			if len(p.sites[fn]) == 0 {
				continue
			}
			next := context{state: ctxTop}
			for _, s := range p.sites[fn] {
				next = meet(next, c.contribution(fn, s, ctx))
			}
			if !equalCtx(next, ctx[fn]) {
				ctx[fn], changed = next, true
			}
		}
		if !changed {
			break
		}
	}
	for fn, x := range ctx {
		if x.state == ctxTop || x.state == ctxKnown && c.opaque(fn, x) {
			ctx[fn] = context{state: ctxUnknown} // only called from itself, or it loses track of its locks
		}
	}
	return ctx
}

// contribution returns what one site says about the callee's context.
func (c *guardCheck) contribution(callee *ssa.Function, s site, ctx map[*ssa.Function]context) context {
	in := inputs(callee)
	switch s.kind {
	case goSite:
		return context{state: ctxKnown, fresh: make([]bool, len(in))} // a new goroutine holds nothing
	case deferSite, valueSite:
		return context{state: ctxUnknown}
	}
	caller := ctx[s.caller]
	switch {
	case caller.state == ctxTop:
		return caller
	case caller.state == ctxUnknown || c.opaque(s.caller, caller) || len(s.args) != len(in):
		return context{state: ctxUnknown}
	case c.joinedBefore(s.caller, s.call.Pos()):
		return context{state: ctxUnknown} // called after a Wait: as for the caller's own accesses there
	}
	held := append(fromLockset(c.locks.MustAt(s.call)), caller.locks...)
	out := context{state: ctxKnown, fresh: make([]bool, len(in))}
	callerIn := inputs(s.caller)
	for j, a := range s.args {
		id, ok := lockset.IDOf(a)
		if !ok {
			continue
		}
		root, path := id.Root()
		if k := slices.Index(callerIn, root); id.Kind == lockset.Local || freshRoot(a) || k >= 0 && path == "" && caller.fresh[k] {
			out.fresh[j] = true
		}
		if !isPointerValue(a) {
			continue // a copy: its locks are not the caller's
		}
		for _, h := range held {
			if !h.global && h.root == root && len(h.path) > len(path) && strings.HasPrefix(h.path, path) && strings.ContainsRune(".[", rune(h.path[len(path)])) {
				m := h
				m.root, m.path = in[j], h.path[len(path):]
				out.locks = append(out.locks, m)
			}
		}
	}
	for _, h := range held {
		if h.global {
			out.locks = append(out.locks, h)
		}
	}
	return out
}

// joinedBefore reports whether fn calls sync.WaitGroup.Wait or errgroup.Group.Wait before pos.
func (c *guardCheck) joinedBefore(fn *ssa.Function, pos token.Pos) bool {
	join, ok := c.joins[fn]
	if !ok {
		join = firstJoin(fn)
		c.joins[fn] = join
	}
	return join.IsValid() && join < pos
}

// opaque reports whether the lock state of fn cannot be trusted: the engine lost track of a lock, fn
// unlocks a lock its callers hold, or it calls a helper that acquires or releases its caller's locks.
func (c *guardCheck) opaque(fn *ssa.Function, x context) bool {
	if f := c.locks.Func(fn); f != nil {
		if f.Lost {
			return true
		}
		for _, op := range f.Ops {
			if op.Kind != syncapi.Unlock && op.Kind != syncapi.RUnlock {
				continue
			}
			root, path := op.ID.Root()
			if slices.ContainsFunc(x.locks, func(h heldLock) bool { return h.root == root && h.path == path || h.global && h.class == op.ID.Class }) {
				return true
			}
		}
	}
	if v, ok := c.helperCalls[fn]; ok {
		return v
	}
	found := false
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(ssa.CallInstruction); ok {
				if obj := calleeObj(call.Common()); obj != nil && syncapi.LockOpOf(funcObj(obj)) == syncapi.NotLock {
					if sum := c.summaries.Of(funcObj(obj)); sum != nil && (len(sum.Holds) > 0 || len(sum.Releases) > 0) {
						found = true
					}
				}
			}
		}
	}
	c.helperCalls[fn] = found
	return found
}
