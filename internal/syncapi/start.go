package syncapi

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// A StartKind says how a goroutine is started. This file is the one definition of a goroutine start that
// every engine and analyzer uses.
type StartKind int

const (
	NotStart    StartKind = iota
	GoStmt                // a go statement
	GroupGo               // errgroup.Group.Go or TryGo: the callback's error reaches Wait
	WaitGroupGo           // sync.WaitGroup.Go: Wait waits for the callback
)

// GoCallback classifies fn as a method that runs its function argument in a new goroutine:
// errgroup.Group.Go and TryGo (TryGo starts it when it returns true), and sync.WaitGroup.Go.
func GoCallback(fn types.Object) StartKind {
	switch {
	case IsMethod(fn, ErrgroupPath, "Group", "Go"), IsMethod(fn, ErrgroupPath, "Group", "TryGo"):
		return GroupGo
	case IsMethod(fn, "sync", "WaitGroup", "Go"):
		return WaitGroupGo
	}
	return NotStart
}

// Started returns the function expression that n runs in a new goroutine, unparenthesized, and how: the
// function of a go statement, or the argument of a GoCallback call. It returns nil, NotStart for any other
// node.
func Started(info *types.Info, n ast.Node) (ast.Expr, StartKind) {
	switch n := n.(type) {
	case *ast.GoStmt:
		return ast.Unparen(n.Call.Fun), GoStmt
	case *ast.CallExpr:
		if len(n.Args) != 1 {
			return nil, NotStart
		}
		if kind := GoCallback(typeutil.Callee(info, n)); kind != NotStart {
			return ast.Unparen(n.Args[0]), kind
		}
	}
	return nil, NotStart
}
