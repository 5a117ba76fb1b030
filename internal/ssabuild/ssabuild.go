// Package ssabuild builds SSA for one package privately to a pass, for engines that keep only a compact
// summary: unlike buildssa's result, the program is garbage once the pass ends. It reports nothing.
package ssabuild

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// SourceFuncs builds SSA for the package of pass and returns its source functions, each followed by its
// function literals, in source order.
//
// Deprecated: require ssaform.Analyzer and use its Form, which builds SSA once for every engine.
func SourceFuncs(pass *analysis.Pass) []*ssa.Function {
	prog := ssa.NewProgram(pass.Fset, 0)
	for _, p := range pass.Pkg.Imports() {
		prog.CreatePackage(p, nil, nil, true)
	}
	pkg := prog.CreatePackage(pass.Pkg, pass.Files, pass.TypesInfo, false)
	pkg.Build()
	var funcs []*ssa.Function
	var add func(f *ssa.Function)
	add = func(f *ssa.Function) {
		funcs = append(funcs, f)
		for _, anon := range f.AnonFuncs {
			add(anon)
		}
	}
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			if d, ok := decl.(*ast.FuncDecl); ok {
				if obj, ok := pass.TypesInfo.Defs[d.Name].(*types.Func); ok {
					if fn := prog.FuncValue(obj); fn != nil {
						add(fn)
					}
				}
			}
		}
	}
	return funcs
}

// Callee returns the function a call statically calls, as a types object (the generic origin for an
// instance), or nil for a dynamic call, a builtin or a synthetic wrapper.
func Callee(c *ssa.CallCommon) *types.Func {
	fn := c.StaticCallee()
	if fn == nil {
		return nil
	}
	obj, _ := fn.Object().(*types.Func)
	return obj
}
