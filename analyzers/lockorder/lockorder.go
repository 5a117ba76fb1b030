package lockorder

import (
	"cmp"
	_ "embed"
	"flag"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/analyzerdoc"
	"github.com/conclint/conclint/internal/boolguard"
	"github.com/conclint/conclint/internal/lockset"
	"github.com/conclint/conclint/internal/locksummary"
	"github.com/conclint/conclint/internal/report"
	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

//go:embed doc.go
var doc string

// Analyzer reports locks acquired in opposite orders.
var Analyzer = &analysis.Analyzer{
	Name:     "lockorder",
	Doc:      analyzerdoc.MustExtract(doc, "lockorder"),
	URL:      "https://github.com/conclint/conclint/blob/main/docs/analyzers/lockorder.md",
	Requires: []*analysis.Analyzer{lockset.Analyzer, locksummary.Analyzer, ssaform.Analyzer},
	Flags:    newFlags(),
	Run:      run,
}

func newFlags() flag.FlagSet {
	fs := flag.NewFlagSet("lockorder", flag.ExitOnError)
	fs.Bool("cycles", false, "report cycles of lock classes taken in opposite orders (may report false positives: reviewers judged none of the corpus's real, the two paths ran on one goroutine or on different instances)")
	return *fs
}

const maxCycle = 3 // longest cycle reported, in classes

// Categories of findings.
const (
	catCycle     = "cycle"     // locks of two or three classes taken in orders that form a cycle
	catInstances = "instances" // two parameters' locks of one class taken with nothing ordering them
)

func run(pass *analysis.Pass) (any, error) {
	r := report.New(pass)
	defer r.Finish() // reports //conclint:ignore lockorder directives that silenced nothing
	locks := pass.ResultOf[lockset.Analyzer].(*lockset.Result)
	if len(locks.Funcs()) == 0 {
		return nil, nil // no lock operation in the package: it closes no cycle
	}
	g := &graph{
		pass:  pass,
		sums:  pass.ResultOf[locksummary.Analyzer].(*locksummary.Result),
		form:  pass.ResultOf[ssaform.Analyzer].(*ssaform.Form),
		funcs: locks.Funcs(),
		edges: make(map[pair][]*edge),
	}
	for _, f := range locks.Funcs() {
		if f.Lost {
			continue // an Unlock the analysis could not match: what it holds may be wrong
		}
		g.addFunc(f)
	}
	if len(g.edges) == 0 {
		for _, d := range g.instances {
			r.Report(d)
		}
		return nil, nil // no lock acquired while another is held here: no cycle to close
	}
	if syntax.BoolFlag(pass, "cycles") {
		g.addImported()
		for _, c := range g.cycles() {
			g.report(r, c)
		}
	}
	for _, d := range g.instances {
		r.Report(d)
	}
	return nil, nil
}

// A pair is an order: class to acquired while class from is held.
type pair struct{ from, to string }

// An edge is one acquisition of a lock of class to while a lock of class from is held.
type edge struct {
	pair
	heldRead, read bool // from is held by RLock; to is taken by RLock
	local          bool // in this package (pos, names); otherwise from a dependency's summary (fn)

	pos, end       token.Pos // local: the acquisition (the Lock call, or the call that locks)
	heldPos        token.Pos // local: the Lock of from
	heldName, name string    // local: the locks as written ("s.mu", "s.peer.mu")
	fn             *types.Func
	chain          string // "Server.notify → s.peer.deliver"
	at             string // where to is locked: "peer.go:40"
}

type graph struct {
	pass      *analysis.Pass
	sums      *locksummary.Result
	form      *ssaform.Form
	funcs     []*lockset.Func
	edges     map[pair][]*edge
	instances []analysis.Diagnostic // two instances of one class taken with nothing ordering them
}

func (g *graph) add(e *edge) {
	if e.from == "" || e.to == "" || e.from == e.to {
		return // no class, or two instances of one class: not reported (see the Doc)
	}
	if e.local && e.heldName == "" {
		e.heldName = displayClass(e.from, g.pass.Pkg)
	}
	if e.local && e.name == "" {
		e.name = displayClass(e.to, g.pass.Pkg)
	}
	g.edges[e.pair] = append(g.edges[e.pair], e)
}

// addFunc adds the orders a function of the package takes: its Locks and the locks its calls acquire,
// each with the locks held before it.
func (g *graph) addFunc(f *lockset.Func) {
	if syntax.IsTestCode(g.pass.Fset, g.pass.Pkg.Path(), g.pass.Pkg.Name(), f.Fn.Pos()) {
		return // tests take locks in any order on purpose, one goroutine at a time
	}
	helped := g.helped(f)
	name := funcName(f.Fn, g.pass.Pkg)
	for _, op := range f.Ops {
		if op.Deferred || op.Kind != syncapi.Lock && op.Kind != syncapi.RLock {
			continue // a TryLock does not block, and a deferred Lock runs at exit
		}
		pos, end := g.callRange(op.Instr)
		g.checkInstances(f, op, pos, end)
		g.acquire(f, op.Before, helped, &edge{
			pair: pair{to: op.ID.Class}, read: op.Kind == syncapi.RLock, local: true,
			pos: pos, end: end, name: op.Name, chain: name, at: g.position(op.Instr.Pos()),
		})
	}
	for _, call := range f.Calls {
		sum := g.sums.Of(call.Callee)
		if sum == nil {
			continue // no summary: the callee locks nothing its caller can name, or it is unknown
		}
		pos, end := g.callRange(call.Instr)
		callName := g.callName(call)
		for _, a := range sum.Acquires {
			if boolguard.OffValue(call.Instr.Common(), a.Guard) {
				continue // the call passes false for the parameter the acquisition needs true
			}
			class := a.Class
			if a.Param >= 0 {
				id, ok := lockset.ArgID(call.Instr.Common(), a.Param, a.Path)
				if !ok {
					continue // the lock of an element (b.buf[i].mu): which instance, the cycle cannot tell
				}
				if id.Class != "" {
					class = id.Class
				}
			}
			g.acquire(f, call.Before, helped, &edge{
				pair: pair{to: class}, read: a.Read, local: true,
				pos: pos, end: end, name: g.argName(call, a.Lock, class), chain: name + " → " + a.Chain(callName), at: a.At,
			})
		}
	}
}

// acquire adds e once for each lock held before it.
func (g *graph) acquire(f *lockset.Func, before lockset.State, helped []lockset.ID, e *edge) {
	for _, h := range before.May {
		if slices.ContainsFunc(helped, h.ID.Same) {
			continue // acquired or released by a helper of another package: the state may be wrong
		}
		e := *e
		e.from, e.heldRead, e.heldName, e.heldPos = h.ID.Class, h.Read, h.Name, h.Pos
		g.add(&e)
	}
}

// helped returns the locks that some call of f acquires or releases through a helper of another package:
// the lockset state does not follow those.
func (g *graph) helped(f *lockset.Func) []lockset.ID {
	var out []lockset.ID
	for _, call := range f.Calls {
		sum := g.sums.Of(call.Callee)
		if sum == nil || call.Callee.Pkg() == g.pass.Pkg {
			continue // same-package release helpers are part of the lockset state
		}
		for _, l := range append(sum.Holds, sum.Releases...) {
			if l.Param < 0 {
				continue // a package-level variable: its class is what the graph uses
			}
			if id, ok := lockset.ArgID(call.Instr.Common(), l.Param, l.Path); ok {
				out = append(out, id)
			}
		}
	}
	return out
}

// addImported adds the orders of the dependencies' summaries: each pair in the function where it is
// taken (the shortest call chain), for the pairs whose reverse direction this package might close.
func (g *graph) addImported() {
	for _, f := range g.sums.Imported() {
		fn, ok := f.Object.(*types.Func)
		if !ok {
			continue
		}
		for _, o := range f.Fact.(*locksummary.Summary).Order {
			chain := strings.Join(append([]string{funcName(fn, g.pass.Pkg)}, o.Via...), " → ")
			g.add(&edge{pair: pair{o.Held, o.Acquired}, heldRead: o.HeldRead, read: o.Read, fn: fn, chain: chain, at: o.At})
		}
	}
	for p, es := range g.edges {
		slices.SortFunc(es, compareEdges)
		// Keep the first edge of each mode and origin: the others tell the same order.
		g.edges[p] = slices.CompactFunc(es, func(a, b *edge) bool {
			return a.local == b.local && a.heldRead == b.heldRead && a.read == b.read
		})
	}
}

// compareEdges orders the edges of one pair: local first, writers first, then the shortest chain.
func compareEdges(a, b *edge) int {
	return cmp.Or(boolCmp(!a.local, !b.local), boolCmp(a.heldRead, b.heldRead), boolCmp(a.read, b.read),
		cmp.Compare(strings.Count(a.chain, "→"), strings.Count(b.chain, "→")),
		cmp.Compare(a.pos, b.pos), cmp.Compare(a.chain, b.chain), cmp.Compare(a.at, b.at))
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// A cycle is a closed path of edges, one per pair: edges[i].to == edges[i+1].from.
type cycle []*edge

// cycles returns every cycle of at most maxCycle classes that goes through a local edge, that deadlocks
// (each lock requested and held in exclusive modes), and that the dependencies alone do not close, once,
// in a deterministic order.
func (g *graph) cycles() []cycle {
	succ := make(map[string][]string)
	for p := range g.edges {
		succ[p.from] = append(succ[p.from], p.to)
	}
	for _, s := range succ {
		slices.Sort(s)
	}
	pairs := slices.SortedFunc(func(yield func(pair) bool) {
		for p, es := range g.edges {
			if es[0].local && !yield(p) {
				return
			}
		}
	}, func(a, b pair) int { return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to)) })
	seen := make(map[string]bool)
	var out []cycle
	for _, p := range pairs {
		// Simple paths from p.to back to p.from, of at most maxCycle-1 edges.
		var walk func(path []string)
		walk = func(path []string) {
			last := path[len(path)-1]
			for _, next := range succ[last] {
				if next == p.from {
					classes := append([]string{p.from}, path...)
					key := canonical(classes)
					if !seen[key] {
						seen[key] = true
						if c := g.choose(classes); c != nil {
							out = append(out, c)
						}
					}
					continue
				}
				if len(path) < maxCycle-1 && !slices.Contains(path, next) {
					walk(append(slices.Clip(path), next))
				}
			}
		}
		walk([]string{p.to})
	}
	return out
}

// canonical returns a key for a cycle of classes, the same for each rotation.
func canonical(classes []string) string {
	i := slices.Index(classes, slices.Min(classes))
	rot := append(slices.Clone(classes[i:]), classes[:i]...)
	return strings.Join(rot, "\x00")
}

// choose picks an edge for each pair of the cycle of classes such that the cycle deadlocks, with at
// least one local edge; nil when there is none, or when edges of the dependencies alone deadlock (the
// cycle is then theirs, reported where it closes or nowhere).
func (g *graph) choose(classes []string) cycle {
	n := len(classes)
	cands := make([][]*edge, n)
	for i := range classes {
		cands[i] = g.edges[pair{classes[i], classes[(i+1)%n]}]
	}
	var best cycle
	depOnly := false
	cur := make(cycle, n)
	var rec func(i int)
	rec = func(i int) {
		if i == n {
			if !deadlocks(cur) {
				return
			}
			if !slices.ContainsFunc(cur, func(e *edge) bool { return e.local }) {
				depOnly = true
			} else if best == nil {
				best = slices.Clone(cur)
			}
			return
		}
		for _, e := range cands[i] {
			cur[i] = e
			rec(i + 1)
		}
	}
	rec(0)
	if depOnly {
		return nil
	}
	return best
}

// deadlocks reports whether the goroutines taking the edges of c block each other: each lock is requested
// by one edge and held by the next, and read locks do not exclude each other.
func deadlocks(c cycle) bool {
	for i, e := range c {
		next := c[(i+1)%len(c)]
		if e.read && next.heldRead {
			return false
		}
	}
	return true
}

// report reports a cycle at its last local acquisition, with the other orders as related information.
func (g *graph) report(r *report.Reporter, c cycle) {
	at := 0
	for i, e := range c {
		if e.local && (!c[at].local || g.after(e.pos, c[at].pos)) {
			at = i
		}
	}
	c = append(slices.Clone(c[at:]), c[:at]...) // the reported edge first
	e0 := c[0]
	related := []analysis.RelatedInformation{{Pos: e0.heldPos, Message: e0.heldName + " locked here"}}
	var others []string
	for i, e := range c[1:] {
		held, acquired, pos := e.heldName, e.name, e.pos
		if !e.local {
			held, acquired, pos = displayClass(e.from, g.pass.Pkg), displayClass(e.to, g.pass.Pkg), e.fn.Pos()
		}
		is := "is "
		if i > 0 {
			is = ""
		}
		others = append(others, fmt.Sprintf("%s %s%s while %s is %s (%s, %s)", acquired, is, verb(e.read), held, heldMode(e.heldRead), e.chain, e.at))
		related = append(related, analysis.RelatedInformation{Pos: pos, Message: fmt.Sprintf("%s %s while %s is %s here", acquired, verb(e.read), held, heldMode(e.heldRead))})
	}
	count := map[int]string{2: "two", 3: "three"}[len(c)]
	msg := fmt.Sprintf("%s %s while %s is %s (%s, %s), but elsewhere %s: %s goroutines taking these paths deadlock",
		e0.name, verb(e0.read), e0.heldName, heldMode(e0.heldRead), e0.chain, e0.at, strings.Join(others, " and "), count)
	r.Report(analysis.Diagnostic{Pos: e0.pos, End: e0.end, Category: catCycle, Message: msg, Related: related})
}

func verb(read bool) string {
	if read {
		return "read-locked"
	}
	return "acquired"
}

func heldMode(read bool) string {
	if read {
		return "held for reading"
	}
	return "held"
}

// displayClass writes a lock class for a message: packages by name, the current one omitted
// ("(*Peer).mu", "(*dep.Store).mu", "dep.global").
func displayClass(class string, pkg *types.Package) string {
	qualified := func(s string) (path, rest string) {
		head, _, _ := strings.Cut(s, "[") // type arguments have paths of their own
		slash := strings.LastIndex(head, "/")
		dot := strings.Index(s[slash+1:], ".")
		if dot < 0 {
			return "", s
		}
		return s[:slash+1+dot], s[slash+1+dot+1:]
	}
	short := func(path, rest string) string {
		if path == pkg.Path() || path == "" {
			return rest
		}
		return path[strings.LastIndex(path, "/")+1:] + "." + rest
	}
	if strings.HasPrefix(class, "(") {
		end := strings.Index(class, ")")
		if end < 0 {
			return class
		}
		inner, star := class[1:end], ""
		if strings.HasPrefix(inner, "*") {
			inner, star = inner[1:], "*"
		}
		path, rest := qualified(inner)
		return "(" + star + short(path, rest) + ")" + class[end+1:]
	}
	return short(qualified(class))
}

// funcName names a function in a message: "Server.notify", "dep.Peer.onMessage", "run", and a function
// literal by the function it is in.
func funcName(fn any, pkg *types.Package) string {
	switch fn := fn.(type) {
	case *ssa.Function:
		if fn.Parent() != nil {
			return "a func literal in " + funcName(fn.Parent(), pkg)
		}
		if obj, ok := fn.Object().(*types.Func); ok {
			return funcName(obj, pkg)
		}
		return fn.Name()
	case *types.Func:
		name := fn.Name()
		if recv := fn.Signature().Recv(); recv != nil {
			t := types.Unalias(recv.Type())
			if p, ok := t.(*types.Pointer); ok {
				t = types.Unalias(p.Elem())
			}
			if n, ok := t.(*types.Named); ok {
				name = n.Obj().Name() + "." + name
			}
		}
		if fn.Pkg() != nil && fn.Pkg() != pkg {
			name = fn.Pkg().Name() + "." + name
		}
		return name
	}
	return "?"
}

// callRange returns the range to report an acquisition at: from the call to its Lparen.
func (g *graph) callRange(instr ssa.Instruction) (token.Pos, token.Pos) {
	if call, ok := g.form.Node(instr).(*ast.CallExpr); ok {
		return call.Pos(), call.Lparen
	}
	return instr.Pos(), token.NoPos
}

// callName returns the callee of a call as written ("s.flush"), or its name.
func (g *graph) callName(call *lockset.Call) string {
	if n, ok := g.form.Node(call.Instr).(*ast.CallExpr); ok {
		return types.ExprString(n.Fun)
	}
	return call.Callee.Name()
}

// argName returns the lock a call acquires as the caller writes it ("s.peer.mu"), or its class.
func (g *graph) argName(call *lockset.Call, l locksummary.Lock, class string) string {
	n, ok := g.form.Node(call.Instr).(*ast.CallExpr)
	if !ok || l.Param < 0 {
		return displayClass(class, g.pass.Pkg)
	}
	idx := l.Param
	if call.Callee.Signature().Recv() != nil {
		if idx == 0 {
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok {
				return types.ExprString(sel.X) + l.Path
			}
			return displayClass(class, g.pass.Pkg)
		}
		idx--
	}
	if idx >= len(n.Args) {
		return displayClass(class, g.pass.Pkg)
	}
	arg := ast.Unparen(n.Args[idx])
	if u, ok := arg.(*ast.UnaryExpr); ok && u.Op == token.AND {
		arg = u.X
	}
	return types.ExprString(arg) + l.Path
}

// after reports whether a comes after b in source order (file name, then offset).
func (g *graph) after(a, b token.Pos) bool {
	pa, pb := g.pass.Fset.Position(a), g.pass.Fset.Position(b)
	return cmp.Or(cmp.Compare(pa.Filename, pb.Filename), cmp.Compare(pa.Offset, pb.Offset)) > 0
}

func (g *graph) position(pos token.Pos) string {
	return syntax.ShortPos(g.pass.Fset, pos)
}

// checkInstances reports a Lock of a parameter's lock while the same lock of another parameter of the
// same type is held, in a function where no condition mentions both parameters: two goroutines calling it
// with the arguments swapped deadlock. Other pairs of one class (a parent and its child, elements of a
// list, values ordered before the call) are not reported: their order may be fixed where the analyzer
// does not see it.
func (g *graph) checkInstances(f *lockset.Func, op *lockset.Op, pos, end token.Pos) {
	root, path := op.ID.Root()
	p, ok := root.(*ssa.Parameter)
	if !ok || op.ID.Class == "" || f.Fn.Syntax() == nil {
		return
	}
	for _, h := range op.Before.Must {
		hroot, hpath := h.ID.Root()
		q, ok := hroot.(*ssa.Parameter)
		if !ok || q == p || hpath != path || h.ID.Class != op.ID.Class || h.Read && op.Kind == syncapi.RLock {
			continue // not two parameters' locks of one class, or two read locks
		}
		if !types.Identical(p.Type(), q.Type()) || p.Object() == nil || q.Object() == nil {
			continue
		}
		if g.ordered(f.Fn.Syntax(), p.Object(), q.Object()) {
			continue // a condition compares the two: they may be taken in a fixed order
		}
		if g.gated(f.Fn, op.ID.Class) {
			continue // every call holds one lock of another class: no two of them run at once
		}
		g.instances = append(g.instances, analysis.Diagnostic{Pos: pos, End: end, Category: catInstances,
			Message: fmt.Sprintf("%s acquired while %s is held: two instances of %s that nothing orders, so two goroutines calling %s with %s and %s swapped deadlock; lock them in a fixed order (by id or address)",
				op.Name, h.Name, displayClass(op.ID.Class, g.pass.Pkg), funcName(f.Fn, g.pass.Pkg), q.Name(), p.Name()),
			Related: []analysis.RelatedInformation{{Pos: h.Pos, Message: h.Name + " locked here"}}})
	}
}

// gated reports whether fn is an unexported function of the package whose every call, in the package,
// holds a lock of one same class other than class (rclone's statsGroups.sum merges under sg.mu): the
// calls are serialized, and two of them cannot run with their arguments swapped.
func (g *graph) gated(fn *ssa.Function, class string) bool {
	obj, _ := fn.Object().(*types.Func)
	if obj == nil || obj.Exported() {
		return false
	}
	uses := 0 // every mention of fn must be one of the calls seen: a method value or a call elsewhere is not gated
	for _, u := range g.pass.TypesInfo.Uses {
		if u == obj {
			uses++
		}
	}
	var common map[string]bool
	calls := 0
	for _, f := range g.funcs {
		for _, call := range f.Calls {
			if call.Callee != obj {
				continue
			}
			calls++
			held := make(map[string]bool)
			for _, h := range call.Before.Must {
				if h.ID.Class != "" && h.ID.Class != class && (common == nil || common[h.ID.Class]) {
					held[h.ID.Class] = true
				}
			}
			if common = held; len(common) == 0 {
				return false
			}
		}
	}
	return common != nil && calls == uses
}

// ordered reports whether a condition of the function (of an if, for or switch statement) mentions both
// objects: a comparison that may order them.
func (g *graph) ordered(body ast.Node, a, b types.Object) bool {
	mentions := func(e ast.Node, obj types.Object) bool {
		found := false
		ast.Inspect(e, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && g.pass.TypesInfo.Uses[id] == obj {
				found = true
			}
			return !found
		})
		return found
	}
	both := func(e ast.Node) bool { return e != nil && mentions(e, a) && mentions(e, b) }
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.IfStmt:
			found = found || both(n.Cond)
		case *ast.ForStmt:
			found = found || n.Cond != nil && both(n.Cond)
		case *ast.SwitchStmt:
			found = found || n.Tag != nil && both(n.Tag)
		case *ast.CaseClause:
			for _, e := range n.List {
				found = found || both(e)
			}
		case *ast.BinaryExpr:
			switch n.Op {
			case token.LSS, token.GTR, token.LEQ, token.GEQ:
				found = found || both(n) // an ordering comparison anywhere, as in a helper's return
			}
		}
		return !found
	})
	return found
}
