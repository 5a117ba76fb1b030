// Package noreturn computes ctrlflow's noReturn facts, the functions that never return (they always
// panic, exit or loop forever), without ctrlflow's control-flow graphs. ctrlflow.Analyzer builds the
// graph of every function of a package, and requires an inspector for it, on every dependency too, where
// only its facts are read: the CLI runs this engine there instead (see internal/driver), and ctrlflow,
// without facts, only on the packages it analyzes. It reports nothing.
//
// The facts are ctrlflow's own (its fact type, found through ctrlflow.Analyzer.FactTypes), computed as
// ctrlflow computes them, in the same order; TestSameFacts compares both on the standard library.
package noreturn

import (
	"go/ast"
	"go/types"
	"reflect"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"
)

// Analyzer exports ctrlflow's noReturn facts. It reports nothing and has no result.
var Analyzer = &analysis.Analyzer{
	Name:      "conclint_noreturn",
	Doc:       "compute ctrlflow's noReturn facts without its control-flow graphs; reports nothing",
	URL:       "https://github.com/conclint/conclint/blob/main/docs/CONTRIBUTING.md",
	Run:       run,
	FactTypes: ctrlflow.Analyzer.FactTypes,
}

// factType is ctrlflow's noReturn, a pointer to an empty struct.
var factType = reflect.TypeOf(ctrlflow.Analyzer.FactTypes[0]).Elem()

func newFact() analysis.Fact { return reflect.New(factType).Interface().(analysis.Fact) }

// A decl is a function declared in the package, as ctrlflow's declInfo.
type decl struct {
	decl    *ast.FuncDecl
	started bool // to break cycles
}

type state struct {
	pass     *analysis.Pass
	decls    map[*types.Func]*decl
	noReturn map[*types.Func]bool
}

func run(pass *analysis.Pass) (any, error) {
	s := &state{pass: pass, decls: make(map[*types.Func]*decl), noReturn: make(map[*types.Func]bool)}
	var order []*types.Func // ctrlflow's order: the declarations of each file, files in order
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				if fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					s.decls[fn] = &decl{decl: fd}
					order = append(order, fn)
				}
			}
		}
	}
	// The order matters: a cycle of calls is broken where it is entered, as ctrlflow breaks it.
	for _, fn := range order {
		s.build(fn, s.decls[fn])
	}
	return nil, nil
}

// build is ctrlflow's buildDecl, without keeping the graph.
func (s *state) build(fn *types.Func, d *decl) {
	if d.started {
		return // break cycle
	}
	d.started = true
	noreturn, known := knownIntrinsic(fn)
	if !known && d.decl.Body != nil && cfg.New(d.decl.Body, s.callMayReturn).NoReturn() {
		noreturn = true
	}
	if noreturn {
		s.pass.ExportObjectFact(fn, newFact())
		s.noReturn[fn] = true
	}
}

// callMayReturn is ctrlflow's.
func (s *state) callMayReturn(call *ast.CallExpr) bool {
	if id, ok := call.Fun.(*ast.Ident); ok && s.pass.TypesInfo.Uses[id] == panicBuiltin {
		return false // panic never returns
	}
	fn := typeutil.StaticCallee(s.pass.TypesInfo, call)
	if fn == nil {
		return true // callee not statically known; be conservative
	}
	if d, ok := s.decls[fn]; ok {
		s.build(fn, d)
		return !s.noReturn[fn]
	}
	if s.pass.ImportObjectFact(fn, newFact()) {
		s.noReturn[fn] = true
		return false
	}
	return true
}

var panicBuiltin = types.Universe.Lookup("panic").(*types.Builtin)

// knownIntrinsic is ctrlflow's list (x/tools v0.52.0) of the functions whose noReturn is known without
// looking at their body.
func knownIntrinsic(fn *types.Func) (noreturn, known bool) {
	if isFunctionNamed(fn, "syscall", "Exit", "ExitProcess", "ExitThread") ||
		isFunctionNamed(fn, "runtime", "Goexit", "fatalthrow", "fatalpanic", "exit") ||
		isMethodNamed(fn, "go.uber.org/zap", "Logger", "Fatal", "Panic") ||
		isMethodNamed(fn, "go.uber.org/zap", "SugaredLogger", "Fatal", "Fatalw", "Fatalf", "Panic", "Panicw", "Panicf") ||
		isMethodNamed(fn, "github.com/sirupsen/logrus", "Logger", "Exit", "Panic", "Panicf", "Panicln") ||
		isMethodNamed(fn, "github.com/sirupsen/logrus", "Entry", "Panicf", "Panicln") ||
		isFunctionNamed(fn, "k8s.io/klog", "Exit", "ExitDepth", "Exitf", "Exitln", "Fatal", "FatalDepth", "Fatalf", "Fatalln") ||
		isFunctionNamed(fn, "k8s.io/klog/v2", "Exit", "ExitDepth", "Exitf", "Exitln", "Fatal", "FatalDepth", "Fatalf", "Fatalln") {
		return true, true
	}
	if isFunctionNamed(fn, "internal/abi", "EscapeNonString") || isFunctionNamed(fn, "hash/maphash", "Comparable") {
		return false, true
	}
	return false, false
}

// isFunctionNamed is x/tools' typesinternal.IsFunctionNamed.
func isFunctionNamed(fn *types.Func, pkgPath string, names ...string) bool {
	return isPackageLevel(fn) && fn.Pkg().Path() == pkgPath && fn.Signature().Recv() == nil && slices.Contains(names, fn.Name())
}

// isMethodNamed is x/tools' typesinternal.IsMethodNamed.
func isMethodNamed(fn *types.Func, pkgPath, typeName string, names ...string) bool {
	recv := fn.Signature().Recv()
	if recv == nil {
		return false
	}
	t := recv.Type()
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		t = ptr.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	tname := named.Obj()
	return tname != nil && isPackageLevel(tname) && tname.Pkg().Path() == pkgPath && tname.Name() == typeName &&
		slices.Contains(names, fn.Name())
}

func isPackageLevel(obj types.Object) bool {
	return obj.Pkg() != nil && obj.Parent() == obj.Pkg().Scope()
}
