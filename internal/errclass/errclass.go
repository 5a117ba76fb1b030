// Package errclass classifies, for each function with an error result, what that error can be: always nil,
// only the error of a context parameter, only package-level sentinel values, or an error that the function
// logs before returning it. It works at AST level so that it is cheap on every dependency, std included, and
// exports the class as a Class fact. A function with no fact may return any error. It reports nothing.
package errclass

import (
	"go/ast"
	"go/types"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/conclint/conclint/internal/syncapi"
	"github.com/conclint/conclint/internal/syntax"
)

// Analyzer computes Class facts. It reports nothing.
var Analyzer = &analysis.Analyzer{
	Name:       "conclint_errclass",
	Doc:        "classify the errors each function can return (nil, its context's, sentinels, logged); reports nothing",
	URL:        "https://github.com/conclint/conclint/blob/main/docs/analyzers/goroutineerr.md",
	Run:        run,
	ResultType: reflect.TypeFor[*Result](),
	FactTypes:  []analysis.Fact{new(Class)},
}

// Kind is the class of the errors a function returns.
type Kind uint8

const (
	Any      Kind = iota // any error: no fact is exported
	Nil                  // always nil
	Ctx                  // only the error of its context parameter Param (ctx.Err(), context.Cause(ctx), wrapped or not)
	Sentinel             // only the package-level error variables Sentinels
	Logged               // every non-nil error is logged or handed on (passed to a call, sent, stored in a field) before it is returned
)

// maxRounds bounds the fixpoint iteration, as a guard.
const maxRounds = 100

// maxSentinels bounds the sentinels a fact records; a function that returns more is classified Any.
const maxSentinels = 4

// Class is the fact that a function's error result is always nil, or only its context's error, or only
// sentinel values, or logged before it is returned.
type Class struct {
	Kind      Kind
	Param     int      // Ctx: index of the context parameter (the receiver not counted)
	Sentinels []string // Sentinel: "pkgpath.Name" of each variable, sorted
}

func (*Class) AFact() {}

func (c *Class) String() string {
	switch c.Kind {
	case Nil:
		return "errNil"
	case Ctx:
		return "errCtx(" + strconv.Itoa(c.Param) + ")"
	case Sentinel:
		return "errSentinel(" + strings.Join(c.Sentinels, ",") + ")"
	case Logged:
		return "errLogged"
	}
	return "errAny"
}

// join returns the class of a function that may return errors of class a or of class b.
func join(a, b Class) Class {
	switch {
	case a.Kind == Nil:
		return b
	case b.Kind == Nil:
		return a
	case a.Kind != b.Kind || a.Kind == Ctx && a.Param != b.Param:
		return Class{}
	case a.Kind == Sentinel:
		s := slices.Clone(a.Sentinels)
		for _, x := range b.Sentinels {
			if !slices.Contains(s, x) {
				s = append(s, x)
			}
		}
		if len(s) > maxSentinels {
			return Class{}
		}
		slices.Sort(s)
		return Class{Kind: Sentinel, Sentinels: s}
	}
	return a
}

func equal(a, b Class) bool {
	return a.Kind == b.Kind && a.Param == b.Param && slices.Equal(a.Sentinels, b.Sentinels)
}

// Result answers what a function's error result can be.
type Result struct {
	pass  *analysis.Pass
	local map[*types.Func]*summary
}

// Of returns the class of fn's error result, or nil when it may be any error (including when nothing is
// known: an interface method, a function without an error result, a missing fact).
func (r *Result) Of(fn *types.Func) *Class {
	if fn == nil {
		return nil
	}
	fn = fn.Origin()
	if fn.Pkg() == r.pass.Pkg {
		if s := r.local[fn]; s != nil && s.class.Kind != Any {
			c := s.class
			return &c
		}
		return nil
	}
	var c Class
	if r.pass.ImportObjectFact(fn, &c) {
		return &c
	}
	return nil
}

// Failure returns, for a function of the current package whose error may be any error, where it returns
// one ("store.go:88") and, if that error comes from a call, the call as written ("m.Unmount"): a new
// error if it returns one, else one from a call, else the first other. It returns "" when it does not
// know.
func (r *Result) Failure(fn *types.Func) (where, cause string) {
	if fn == nil {
		return "", ""
	}
	s := r.local[fn.Origin()]
	if s == nil || s.class.Kind != Any {
		return "", ""
	}
	// The best evidence first: a new error, then one a call returned, then any other (a field, a
	// variable that may well be nil there).
	var call, other *term
	for i := range s.terms {
		t := &s.terms[i]
		if t.ret == nil || t.eval(r).Kind != Any {
			continue
		}
		switch {
		case t.fresh:
			return syntax.ShortPos(r.pass.Fset, t.ret.Pos()), t.cause
		case t.cause != "" && call == nil:
			call = t
		case other == nil:
			other = t
		}
	}
	for _, t := range []*term{call, other} {
		if t != nil {
			return syntax.ShortPos(r.pass.Fset, t.ret.Pos()), t.cause
		}
	}
	return "", ""
}

// A summary is what a function of the package returns: the terms of its error result, and their class.
type summary struct {
	fn    *types.Func
	terms []term
	class Class
}

// A term is one source of a function's error result: a constant class, or the error result of a call.
type term struct {
	class   Class       // when callee is nil
	callee  *types.Func // the error result of a call to callee
	args    []int       // for each parameter of callee, the index of the caller's context parameter passed, or -1
	wrapped bool        // wrapped by fmt.Errorf: only a context's error or a logged error keeps its class
	ret     *ast.ReturnStmt
	cause   string // the call the error comes from, as written, for messages
	fresh   bool   // a new error (errors.New, fmt.Errorf wrapping none): certainly not nil
}

// eval returns the class of the term, given the classes known so far.
func (t *term) eval(r *Result) Class {
	c := t.class
	if t.callee != nil {
		c = Class{}
		if fc := r.Of(t.callee); fc != nil {
			c = *fc
		} else if s := r.local[t.callee.Origin()]; s != nil {
			c = s.class // during the fixpoint, a local function's class so far
		}
		if c.Kind == Ctx {
			if c.Param < len(t.args) && t.args[c.Param] >= 0 {
				c.Param = t.args[c.Param]
			} else {
				c = Class{} // the callee's context is not one of the caller's parameters
			}
		}
	}
	if t.wrapped && c.Kind != Ctx && c.Kind != Logged && c.Kind != Nil {
		return Class{}
	}
	return c
}

func run(pass *analysis.Pass) (any, error) {
	res := &Result{pass: pass, local: make(map[*types.Func]*summary)}
	var sums []*summary
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			d, ok := decl.(*ast.FuncDecl)
			if !ok || d.Body == nil {
				continue // not a function, or one implemented outside Go
			}
			fn, _ := pass.TypesInfo.Defs[d.Name].(*types.Func)
			if fn == nil || syncapi.ErrorResult(fn.Signature()) < 0 {
				continue
			}
			s := &summary{fn: fn, terms: newBuilder(pass.TypesInfo, fn, d).returns(), class: Class{Kind: Nil}}
			res.local[fn] = s
			sums = append(sums, s)
		}
	}
	// Start from "always nil" and join the terms' classes until nothing changes: the least fixpoint, so that
	// a function that returns its own recursive call's error adds nothing to its other returns. The lattice
	// is finite (Nil < Ctx, Sentinel, Logged < Any, and sentinel sets bounded), so this ends.
	for round, changed := 0, true; changed; round++ {
		changed = false
		if round == maxRounds {
			for _, s := range sums {
				s.class = Class{} // cannot happen on a finite lattice; give up rather than loop
			}
			break
		}
		for _, s := range sums {
			c := Class{Kind: Nil}
			for i := range s.terms {
				if c = join(c, s.terms[i].eval(res)); c.Kind == Any {
					break
				}
			}
			if !equal(c, s.class) {
				s.class, changed = c, true
			}
		}
	}
	api := syntax.NewAPI(pass.Pkg)
	for _, s := range sums {
		if s.class.Kind != Any && api.Callable(s.fn) {
			c := s.class
			pass.ExportObjectFact(s.fn, &c)
		}
	}
	return res, nil
}
