package syncapi

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

// The stand-ins of zerolog and its global logger, and calls whose result MayReturn must tell.
var zerologSources = map[string]string{
	"github.com/rs/zerolog": `package zerolog
type Logger struct{}
type Event struct{}
func (l *Logger) Fatal() *Event { return nil }
func (l *Logger) Panic() *Event { return nil }
func (l *Logger) Info() *Event { return nil }
func (e *Event) Err(err error) *Event { return e }
func (e *Event) Str(k, v string) *Event { return e }
func (e *Event) Msg(string) {}
func (e *Event) Send() {}
func (e *Event) Enabled() bool { return true }`,
	"github.com/rs/zerolog/log": `package log
import "github.com/rs/zerolog"
var Logger zerolog.Logger
func Fatal() *zerolog.Event { return Logger.Fatal() }
func Info() *zerolog.Event { return Logger.Info() }`,
	"p": `package p
import (
	"github.com/rs/zerolog"
	"github.com/rs/zerolog/log"
)
func f(l *zerolog.Logger, err error, ev *zerolog.Event) {
	log.Fatal().Msg("ends")
	log.Fatal().Err(err).Str("k", "v").Msg("ends")
	l.Panic().Send()
	(l.Fatal()).Msg("ends")
	log.Info().Msg("returns")
	l.Info().Err(err).Send()
	ev.Msg("returns: not known to be fatal")
	log.Fatal().Enabled()
}`,
}

type mapImporter struct {
	fset *token.FileSet
	pkgs map[string]*types.Package
}

func (m *mapImporter) Import(path string) (*types.Package, error) {
	if p, ok := m.pkgs[path]; ok {
		return p, nil
	}
	src, ok := zerologSources[path]
	if !ok {
		return importer.Default().Import(path)
	}
	p, _, err := m.check(path, src)
	return p, err
}

func (m *mapImporter) check(path, src string) (*types.Package, *ast.File, error) {
	f, err := parser.ParseFile(m.fset, path+".go", src, 0)
	if err != nil {
		return nil, nil, err
	}
	conf := types.Config{Importer: m}
	p, err := conf.Check(path, m.fset, []*ast.File{f}, zerologInfo)
	m.pkgs[path] = p
	return p, f, err
}

var zerologInfo = &types.Info{Uses: make(map[*ast.Ident]types.Object), Types: make(map[ast.Expr]types.TypeAndValue), Selections: make(map[*ast.SelectorExpr]*types.Selection)}

func TestMayReturnZerolog(t *testing.T) {
	m := &mapImporter{fset: token.NewFileSet(), pkgs: make(map[string]*types.Package)}
	_, f, err := m.check("p", zerologSources["p"])
	if err != nil {
		t.Fatal(err)
	}
	body := f.Decls[1].(*ast.FuncDecl).Body
	want := []bool{false, false, false, false, true, true, true, true}
	if len(body.List) != len(want) {
		t.Fatalf("%d statements, want %d", len(body.List), len(want))
	}
	for i, stmt := range body.List {
		call := stmt.(*ast.ExprStmt).X.(*ast.CallExpr)
		if got := MayReturn(zerologInfo, call); got != want[i] {
			t.Errorf("statement %d (line %d): MayReturn = %v, want %v", i, m.fset.Position(call.Pos()).Line, got, want[i])
		}
	}
}
