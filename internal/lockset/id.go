package lockset

import (
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A Kind says what a lock's identity is rooted at.
type Kind int

const (
	Field  Kind = iota // a field path from a pointer: (*Server).mu, (*Conn).state.mu
	Global             // a package-level variable or a field path from one: example.com/p.mu
	Local              // a mutex declared in the function
	Other              // a bare mutex pointer (a *sync.Mutex parameter, a sync.Locker): no class
)

// An ID is the identity of a lock: what it is, never how it was spelled. Two spellings of one mutex
// (s.mu and m := &s.mu; m, s.Lock() and s.Mutex.Lock() for an embedded mutex) have one ID. Class names the
// lock independently of the instance ("(*example.com/p.Server).mu": the type and field path, or the
// variable); two IDs of one class are the same instance when they are reached from the same SSA value by the
// same path (the same receiver), which Same reports.
type ID struct {
	Class string // "" for Local and Other
	Kind  Kind
	root  ssa.Value // the value the path starts from (loads elided)
	path  string    // the field path from root: ".mu", ".state.mu", ".conn.mu", "" for the root itself
}

// Same reports whether id and o are the same instance: the same root value and field path.
func (id ID) Same(o ID) bool { return id.root == o.root && id.path == o.path }

// Root returns the SSA value the lock is reached from and the field path from it (".mu"); a parameter root
// lets callers map a callee's lock to their argument.
func (id ID) Root() (ssa.Value, string) { return id.root, id.path }

// String returns the class, or the root's name and path when there is no class.
func (id ID) String() string {
	if id.Class != "" {
		return id.Class
	}
	if id.root == nil {
		return "?" + id.path
	}
	if a, ok := id.root.(*ssa.Alloc); ok && a.Comment != "" {
		return a.Comment + id.path // a local variable, by name
	}
	return id.root.Name() + id.path
}

// idOf returns the identity of the mutex at address v. Mutexes in slice, array or map elements with a
// non-constant index are not tracked.
func idOf(v ssa.Value) (ID, bool) {
	var path []string      // from the mutex outwards
	var classPath []string // the fields up to the first load, from the mutex outwards
	var base types.Type    // the type whose field path classPath is
	classDone := false
	step := func(name string, t types.Type) {
		path = append(path, name)
		if !classDone {
			classPath = append(classPath, name)
			base = t
		}
	}
	for {
		switch x := v.(type) {
		case *ssa.FieldAddr:
			step(fieldName(x.X.Type(), x.Field), x.X.Type())
			v = x.X
		case *ssa.Field:
			step(fieldName(x.X.Type(), x.Field), x.X.Type())
			v = x.X
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return ID{}, false
			}
			classDone = true
			v = x.X
		case *ssa.IndexAddr:
			c, ok := x.Index.(*ssa.Const)
			if !ok {
				return ID{}, false
			}
			step("["+c.Value.String()+"]", x.X.Type())
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		default:
			slices.Reverse(path)
			slices.Reverse(classPath)
			id := ID{root: v, path: strings.Join(path, ""), Kind: Other}
			switch {
			case !classDone && isGlobal(v):
				id.Kind = Global
				g := v.(*ssa.Global)
				id.Class = g.Pkg.Pkg.Path() + "." + g.Name() + strings.Join(classPath, "")
			case !classDone && isAlloc(v):
				id.Kind = Local
			case base != nil:
				id.Kind = Field
				id.Class = "(" + types.TypeString(base, nil) + ")" + strings.Join(classPath, "")
			}
			return id, true
		}
	}
}

func isGlobal(v ssa.Value) bool { _, ok := v.(*ssa.Global); return ok }

func isAlloc(v ssa.Value) bool { _, ok := v.(*ssa.Alloc); return ok }

func fieldName(t types.Type, i int) string {
	t = t.Underlying()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem().Underlying()
	}
	if s, ok := t.(*types.Struct); ok && i < s.NumFields() {
		return "." + s.Field(i).Name()
	}
	return "." + "?"
}
