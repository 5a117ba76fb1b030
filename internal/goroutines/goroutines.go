// Package goroutines models, on SSA, the goroutines a function starts and what each does with the channels
// the function makes: the spawn sites (go statements, errgroup.Group.Go and sync.WaitGroup.Go callbacks),
// the body each runs, and every send, receive, select and close of a local channel in the function and in
// those bodies. A channel that escapes (stored, returned, passed to any other function, captured by a
// closure that is not a goroutine body) is reported as such, so that analyzers stay silent about it. It
// reports nothing.
package goroutines

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/ssaform"
	"github.com/conclint/conclint/internal/syncapi"
)

// Analyzer builds SSA for the package, when it starts goroutines, and records the use of each local
// channel. It has no facts, so it runs only on the packages being checked. It reports nothing.
var Analyzer = &analysis.Analyzer{
	Name:       "conclint_goroutines",
	Doc:        "model the goroutines each function starts and its local channels; reports nothing",
	URL:        "https://github.com/conclint/conclint/blob/main/docs/analyzers/chanleak.md",
	Requires:   []*analysis.Analyzer{ssaform.Analyzer},
	Run:        run,
	ResultType: reflect.TypeFor[*Result](),
}

// Result lists the goroutines the package's functions start, and the local channels whose every use is
// known.
type Result struct {
	Spawns []*Spawn
	Chans  []*Chan
}

// A Spawn is a goroutine started by a function.
type Spawn struct {
	Instr  ssa.Instruction // *ssa.Go, or the *ssa.Call of errgroup.Group.Go or sync.WaitGroup.Go
	Parent *ssa.Function
	Body   *ssa.Function // nil when the body is not a function of the package (go other.Run())
	InLoop bool          // the spawn site is in a loop of the parent
}

// IsGo reports whether the spawn is a go statement (rather than a Go method, which its group waits for).
func (s *Spawn) IsGo() bool {
	_, ok := s.Instr.(*ssa.Go)
	return ok
}

// Pos returns the position of the spawn: the go keyword, or the Lparen of the Go call.
func (s *Spawn) Pos() token.Pos { return s.Instr.Pos() }

// An OpKind is what an operation does with a channel.
type OpKind int

const (
	Send  OpKind = iota
	Recv         // a receive expression or a select case
	Range        // the receive of a for-range loop
	Close        // close(ch), directly or deferred
)

// An Edge is a control-flow edge between two blocks.
type Edge struct{ From, To *ssa.BasicBlock }

// An Op is one use of a channel.
type Op struct {
	Kind     OpKind
	Instr    ssa.Instruction // Send, UnOp, Select, Call (close) or Defer (close)
	Spawn    *Spawn          // the goroutine that performs it; nil for the parent
	Select   bool            // a case of a select that has other cases or a default: it does not wait on this channel alone
	Deferred bool            // close deferred to the parent's return
	InLoop   bool            // in a loop of the function that performs it
	Case     *Edge           // for a select case: the edge taken when this case is chosen (in the function that performs it); else nil
}

// Chan is a channel made in Parent with make(chan T) or make(chan T, n) for a constant n, that does not
// escape Parent except into goroutines Parent starts.
type Chan struct {
	Parent   *ssa.Function
	Make     *ssa.MakeChan
	Cap      int64
	Ops      []*Op
	Spawns   []*Spawn // the goroutines that use the channel
	AllSpawn []*Spawn // every goroutine Parent starts
}

func run(pass *analysis.Pass) (any, error) {
	res := &Result{}
	if !syncapi.StartsGoroutines(pass.Files, pass.TypesInfo) {
		return res, nil // no go statement and no Go callback: no need to build SSA
	}
	ranges := rangePositions(pass)
	for _, fn := range pass.ResultOf[ssaform.Analyzer].(*ssaform.Form).Funcs() {
		spawns := spawnsOf(fn)
		if len(spawns) == 0 {
			continue
		}
		res.Spawns = append(res.Spawns, spawns...)
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if mk, ok := instr.(*ssa.MakeChan); ok {
					if c := follow(fn, mk, spawns, ranges); c != nil {
						res.Chans = append(res.Chans, c)
					}
				}
			}
		}
	}
	return res, nil
}

// rangePositions returns the for keywords of range loops over channels, which go/ssa gives their receive.
func rangePositions(pass *analysis.Pass) map[token.Pos]bool {
	out := make(map[token.Pos]bool)
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if r, ok := n.(*ast.RangeStmt); ok {
				if t := pass.TypesInfo.TypeOf(r.X); t != nil {
					if _, ok := t.Underlying().(*types.Chan); ok {
						out[r.For] = true
					}
				}
			}
			return true
		})
	}
	return out
}
