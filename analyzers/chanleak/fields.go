package chanleak

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/conclint/conclint/internal/goroutines"
)

// A fieldChan is an unexported struct field of channel type, declared in the package, with every use of
// its value in the package's functions. The field is identified by its types.Var (the generic origin).
type fieldChan struct {
	field   *types.Var
	uses    []*fieldUse
	escaped bool // the channel or the field's address goes somewhere not followed
	stores  int  // assignments to the field
	buffer  bool // some assignment is not make(chan T) of capacity 0
}

// A fieldUse is one operation on a field's channel.
type fieldUse struct {
	kind  goroutines.OpKind
	instr ssa.Instruction // Send, UnOp (receive), Select, or the Call or Defer of close
	state int             // for a Select: the index of the case
}

// plain reports whether the use waits on this channel alone: not a select with other cases or a default.
func (u *fieldUse) plain() bool {
	sel, ok := u.instr.(*ssa.Select)
	return !ok || sel.Blocking && len(sel.States) == 1
}

// fieldChans collects the package's unexported channel fields and their uses in funcs.
func (c *checker) fieldChans(funcs []*ssa.Function) map[*types.Var]*fieldChan {
	out := make(map[*types.Var]*fieldChan)
	get := func(v *types.Var) *fieldChan {
		if v == nil || v.Exported() || v.Pkg() != c.pass.Pkg {
			return nil
		}
		if _, ok := v.Type().Underlying().(*types.Chan); !ok {
			return nil
		}
		f := out[v]
		if f == nil {
			f = &fieldChan{field: v}
			out[v] = f
		}
		return f
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.FieldAddr:
					if f := get(fieldVar(x.X.Type(), x.Field)); f != nil {
						c.fieldAddr(f, x)
					}
				case *ssa.Field:
					if f := get(fieldVar(x.X.Type(), x.Field)); f != nil {
						c.fieldValue(f, x, 0)
					}
				}
			}
		}
	}
	return out
}

// fieldVar returns field i of the struct type t, or of the struct t points to.
func fieldVar(t types.Type, i int) *types.Var {
	t = t.Underlying()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem().Underlying()
	}
	st, ok := t.(*types.Struct)
	if !ok || i >= st.NumFields() {
		return nil
	}
	return st.Field(i).Origin()
}

// fieldAddr follows the uses of the address of the field: loads, and assignments of a channel made there.
func (c *checker) fieldAddr(f *fieldChan, addr *ssa.FieldAddr) {
	for _, ref := range *addr.Referrers() {
		switch ref := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.UnOp:
			if ref.Op != token.MUL {
				f.escaped = true
				continue
			}
			c.fieldValue(f, ref, 0)
		case *ssa.Store:
			if ref.Addr != addr {
				f.escaped = true // the field's address is stored
				continue
			}
			f.stores++
			switch v := ref.Val.(type) {
			case *ssa.MakeChan:
				if k, ok := v.Size.(*ssa.Const); !ok || k.Int64() != 0 {
					f.buffer = true
				}
				if refs := v.Referrers(); refs != nil {
					for _, r := range *refs {
						if _, ok := r.(*ssa.DebugRef); !ok && r != ref {
							f.escaped = true // the channel made is also used elsewhere, not through the field
						}
					}
				}
			case *ssa.Const: // nil
			default:
				f.escaped = true // a channel from elsewhere
			}
		default:
			f.escaped = true // the field's address is taken
		}
	}
}

// fieldValue follows a value loaded from the field.
func (c *checker) fieldValue(f *fieldChan, v ssa.Value, depth int) {
	refs := v.Referrers()
	if refs == nil {
		return
	}
	if depth > 4 {
		f.escaped = true
		return
	}
	for _, ref := range *refs {
		switch ref := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.Send:
			if ref.Chan != v {
				f.escaped = true
				continue
			}
			f.uses = append(f.uses, &fieldUse{kind: goroutines.Send, instr: ref})
		case *ssa.UnOp:
			if ref.Op != token.ARROW {
				f.escaped = true
				continue
			}
			kind := goroutines.Recv
			if _, ok := c.node(ref.Pos()).(*ast.RangeStmt); ok {
				kind = goroutines.Range
			}
			f.uses = append(f.uses, &fieldUse{kind: kind, instr: ref})
		case *ssa.Select:
			for i, st := range ref.States {
				switch {
				case st.Send == v:
					f.escaped = true
				case st.Chan != v:
				case st.Dir == types.SendOnly:
					f.uses = append(f.uses, &fieldUse{kind: goroutines.Send, instr: ref, state: i})
				default:
					f.uses = append(f.uses, &fieldUse{kind: goroutines.Recv, instr: ref, state: i})
				}
			}
		case *ssa.ChangeType:
			c.fieldValue(f, ref, depth+1)
		case *ssa.Call:
			c.fieldCall(f, ref, ref.Call)
		case *ssa.Defer:
			c.fieldCall(f, ref, ref.Call)
		default:
			f.escaped = true // stored, passed, returned, compared, captured, merged in a phi...
		}
	}
}

// fieldCall records close(ch) and ignores len and cap; any other call makes the field escape.
func (c *checker) fieldCall(f *fieldChan, instr ssa.Instruction, call ssa.CallCommon) {
	b, ok := call.Value.(*ssa.Builtin)
	switch {
	case ok && b.Object() == types.Universe.Lookup("close"):
		f.uses = append(f.uses, &fieldUse{kind: goroutines.Close, instr: instr})
	case ok && (b.Object() == types.Universe.Lookup("len") || b.Object() == types.Universe.Lookup("cap")):
	default:
		f.escaped = true
	}
}

// packageFuncs returns the package's source functions and their function literals, from the SSA of the
// functions the goroutines model built.
func (c *checker) packageFuncs(prog *ssa.Program) []*ssa.Function {
	var funcs []*ssa.Function
	var add func(fn *ssa.Function)
	add = func(fn *ssa.Function) {
		funcs = append(funcs, fn)
		for _, anon := range fn.AnonFuncs {
			add(anon)
		}
	}
	for _, f := range c.pass.Files {
		for _, decl := range f.Decls {
			if d, ok := decl.(*ast.FuncDecl); ok {
				if obj, ok := c.pass.TypesInfo.Defs[d.Name].(*types.Func); ok {
					if fn := prog.FuncValue(obj); fn != nil && fn.Blocks != nil {
						add(fn)
					}
				}
			}
		}
	}
	return funcs
}
