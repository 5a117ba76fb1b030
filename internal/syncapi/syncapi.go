// Package syncapi identifies the standard concurrency APIs by object identity (package path, type name and
// method name of the resolved object), never by spelling, and catalogues the calls that block. It reports
// nothing.
package syncapi

import (
	"go/ast"
	"go/types"
	"strings"
)

// ErrgroupPath is the import path of errgroup.
const ErrgroupPath = "golang.org/x/sync/errgroup"

// IsFunc reports whether obj is the package-level function pkg.name.
func IsFunc(obj types.Object, pkg, name string) bool {
	fn, ok := obj.(*types.Func)
	if !ok || fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != pkg || fn.Name() != name {
		return false
	}
	return fn.Signature().Recv() == nil
}

// IsMethod reports whether obj is the method typ.name declared in package pkg, on the named type or a pointer
// to it (for an interface type, the interface's method).
func IsMethod(obj types.Object, pkg, typ, name string) bool {
	fn, ok := obj.(*types.Func)
	if !ok || fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != pkg || fn.Name() != name {
		return false
	}
	recv := fn.Signature().Recv()
	return recv != nil && RecvTypeName(recv.Type()) == typ
}

// RecvTypeName returns the name of the named type of a receiver type t (T, *T, or an interface), or "".
func RecvTypeName(t types.Type) string {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	if n, ok := t.(*types.Named); ok {
		return n.Origin().Obj().Name()
	}
	return ""
}

// IsNamed reports whether t (or the type it points to) is the named type pkg.name.
func IsNamed(t types.Type, pkg, name string) bool {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, ok := t.(*types.Named)
	if !ok {
		return false
	}
	obj := n.Origin().Obj()
	return obj.Pkg() != nil && obj.Pkg().Path() == pkg && obj.Name() == name
}

// IsCancelFunc reports whether t is context.CancelFunc or context.CancelCauseFunc: a call of a value of
// t tells the goroutines watching the context to stop.
func IsCancelFunc(t types.Type) bool {
	return IsNamed(t, "context", "CancelFunc") || IsNamed(t, "context", "CancelCauseFunc")
}

// LockOp says what a call to a sync.Mutex or sync.RWMutex method does to the lock.
type LockOp int

const (
	NotLock  LockOp = iota
	Lock            // Lock
	RLock           // RLock
	Unlock          // Unlock
	RUnlock         // RUnlock
	TryLock         // TryLock: held when it returns true
	TryRLock        // TryRLock: held when it returns true
)

// LockOpOf classifies fn as a method of sync.Mutex or sync.RWMutex, or of the sync.Locker interface.
func LockOpOf(fn *types.Func) LockOp {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return NotLock
	}
	recv := fn.Signature().Recv()
	if recv == nil {
		return NotLock
	}
	switch RecvTypeName(recv.Type()) {
	case "Mutex", "RWMutex", "Locker": // Locker: the interface, as in a sync.Cond's L
	default:
		return NotLock
	}
	switch fn.Name() {
	case "Lock":
		return Lock
	case "RLock":
		return RLock
	case "Unlock":
		return Unlock
	case "RUnlock":
		return RUnlock
	case "TryLock":
		return TryLock
	case "TryRLock":
		return TryRLock
	}
	return NotLock
}

// A BlockKind groups blocking calls so that users can switch a kind off.
type BlockKind string

const (
	KindSleep BlockKind = "sleep" // time.Sleep and friends
	KindWait  BlockKind = "wait"  // WaitGroup, errgroup, Cond waits
	KindIO    BlockKind = "io"    // network, HTTP, database and process I/O
)

// blockingMethods maps "pkgpath.Type.Method" to the kind of blocking call; "*" as method matches every
// method of the type.
var blockingMethods = map[string]BlockKind{
	"sync.WaitGroup.Wait":             KindWait,
	"sync.Cond.Wait":                  KindWait,
	ErrgroupPath + ".Group.Wait":      KindWait,
	"net.Conn.Read":                   KindIO,
	"net.Conn.Write":                  KindIO,
	"net.PacketConn.ReadFrom":         KindIO,
	"net.PacketConn.WriteTo":          KindIO,
	"net.Listener.Accept":             KindIO,
	"net.Dialer.Dial":                 KindIO,
	"net.Dialer.DialContext":          KindIO,
	"net.Resolver.LookupHost":         KindIO,
	"net.Resolver.LookupIPAddr":       KindIO,
	"net.Resolver.LookupIP":           KindIO,
	"net/http.Client.Do":              KindIO,
	"net/http.Client.Get":             KindIO,
	"net/http.Client.Head":            KindIO,
	"net/http.Client.Post":            KindIO,
	"net/http.Client.PostForm":        KindIO,
	"net/http.RoundTripper.RoundTrip": KindIO,
	"database/sql.DB.*":               KindIO,
	"database/sql.Tx.*":               KindIO,
	"database/sql.Conn.*":             KindIO,
	"database/sql.Stmt.*":             KindIO,
	"database/sql.Rows.Next":          KindIO,
	"database/sql.Rows.NextResultSet": KindIO,
	"database/sql.Row.Scan":           KindIO,
	"os/exec.Cmd.Run":                 KindIO,
	"os/exec.Cmd.Wait":                KindIO,
	"os/exec.Cmd.Output":              KindIO,
	"os/exec.Cmd.CombinedOutput":      KindIO,
}

// nonBlockingSQL lists database/sql methods that do no I/O.
var nonBlockingSQL = map[string]bool{
	"Stats": true, "SetMaxIdleConns": true, "SetMaxOpenConns": true, "SetConnMaxLifetime": true,
	"SetConnMaxIdleTime": true, "Driver": true, "Stmt": true, "StmtContext": true, "Columns": true,
	"ColumnTypes": true, "Err": true,
}

// blockingFuncs maps "pkgpath.Func" to the kind of blocking call. net.DialUDP is not one: its addresses are
// resolved already (*net.UDPAddr), and a UDP dial is a local socket and connect, without a handshake.
var blockingFuncs = map[string]BlockKind{
	"testing/synctest.Wait":  KindWait,
	"internal/synctest.Wait": KindWait,
	"time.Sleep":             KindSleep,
	"net.Dial":               KindIO,
	"net.DialTimeout":        KindIO,
	"net.DialTCP":            KindIO,
	"net.DialUnix":           KindIO,
	"net.LookupHost":         KindIO,
	"net.LookupIP":           KindIO,
	"net.LookupAddr":         KindIO,
	"net.LookupCNAME":        KindIO,
	"net.LookupMX":           KindIO,
	"net.LookupSRV":          KindIO,
	"net.LookupTXT":          KindIO,
	"net/http.Get":           KindIO,
	"net/http.Head":          KindIO,
	"net/http.Post":          KindIO,
	"net/http.PostForm":      KindIO,
}

// netConnTypes are the concrete connection types of package net, whose Read and Write methods block like
// net.Conn's.
var netConnTypes = map[string]bool{
	"conn" /* embedded in TCPConn, UDPConn, ... */ : true, "TCPConn": true, "UDPConn": true, "UnixConn": true, "IPConn": true, "TCPListener": true, "UnixListener": true,
}

// Blocking reports whether a call to fn blocks: a sleep, a wait, or network, HTTP, database or process I/O.
// It returns the kind and a short name such as "net.Conn.Write".
func Blocking(fn *types.Func) (kind BlockKind, name string, ok bool) {
	if fn == nil || fn.Pkg() == nil {
		return "", "", false
	}
	pkg := fn.Pkg().Path()
	recv := fn.Signature().Recv()
	if recv == nil {
		kind, ok = blockingFuncs[pkg+"."+fn.Name()]
		return kind, fn.Pkg().Name() + "." + fn.Name(), ok
	}
	typ := RecvTypeName(recv.Type())
	if pkg == "net" && typ == "conn" {
		typ = "Conn" // the unexported type behind TCPConn, UDPConn, ...: name it as users know it
	}
	name = fn.Pkg().Name() + "." + typ + "." + fn.Name()
	if kind, ok = blockingMethods[pkg+"."+typ+"."+fn.Name()]; ok {
		return kind, name, true
	}
	if pkg == "database/sql" && fn.Exported() && !nonBlockingSQL[fn.Name()] {
		if kind, ok = blockingMethods[pkg+"."+typ+".*"]; ok {
			return kind, name, true
		}
	}
	if pkg == "net" && netConnTypes[typ] {
		switch {
		case strings.HasPrefix(fn.Name(), "Read"), strings.HasPrefix(fn.Name(), "Write"), strings.HasPrefix(fn.Name(), "Accept"):
			return KindIO, name, true
		}
	}
	return "", "", false
}

// IsCondWait reports whether fn is (*sync.Cond).Wait, which releases its locker while it waits.
func IsCondWait(fn *types.Func) bool { return IsMethod(fn, "sync", "Cond", "Wait") }

// Uses reports whether the package described by info refers to any object of package path.
func Uses(info *types.Info, path string) bool {
	for _, obj := range info.Uses {
		if obj.Pkg() != nil && obj.Pkg().Path() == path {
			return true
		}
	}
	return false
}

// readers are the io functions that read their argument until EOF or a count: on an HTTP response body they
// wait for the network.
var readers = map[string]bool{"ReadAll": true, "Copy": true, "CopyN": true, "ReadFull": true, "ReadAtLeast": true}

// IsBodyRead reports whether a call to fn with receiver or arguments args reads an *http.Response's Body:
// resp.Body.Read(p), io.ReadAll(resp.Body), io.Copy(w, resp.Body) and the like.
func IsBodyRead(info *types.Info, fn *types.Func, recv ast.Expr, args []ast.Expr) bool {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "io" {
		return false
	}
	if fn.Signature().Recv() != nil {
		return fn.Name() == "Read" && recv != nil && isResponseBody(info, recv)
	}
	if !readers[fn.Name()] {
		return false
	}
	for _, a := range args {
		if isResponseBody(info, a) {
			return true
		}
	}
	return false
}

// isResponseBody reports whether e is x.Body with x an http.Response.
func isResponseBody(info *types.Info, e ast.Expr) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Body" {
		return false
	}
	s := info.Selections[sel]
	return s != nil && s.Kind() == types.FieldVal && IsNamed(s.Recv(), "net/http", "Response")
}

// IsRuntime reports whether path is the runtime or one of its internal packages, whose channels, loops and
// goroutines are the scheduler's own business.
func IsRuntime(path string) bool {
	return path == "runtime" || strings.HasPrefix(path, "runtime/") || strings.HasPrefix(path, "internal/runtime/")
}

// StartsGoroutines reports whether a package, given its files and type information, may start a
// goroutine: it has a go statement, or uses a GoCallback method (or anything else of errgroup). Engines and
// analyzers use it as a cheap guard before building anything.
func StartsGoroutines(files []*ast.File, info *types.Info) bool {
	for _, f := range files {
		found := false
		ast.Inspect(f, func(n ast.Node) bool {
			if _, ok := n.(*ast.GoStmt); ok {
				found = true
			}
			return !found
		})
		if found {
			return true
		}
	}
	for _, obj := range info.Uses {
		if obj.Pkg() != nil && obj.Pkg().Path() == ErrgroupPath || GoCallback(obj) != NotStart {
			return true
		}
	}
	return false
}
