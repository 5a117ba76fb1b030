package syncapi

import (
	"go/token"
	"go/types"
	"testing"
)

// fn builds a function, or a method of a named type, of a package with the given path.
func fn(path, recv, name string) *types.Func {
	pkg := types.NewPackage(path, "p")
	sig := types.NewSignatureType(nil, nil, nil, nil, nil, false)
	if recv != "" {
		named := types.NewNamed(types.NewTypeName(token.NoPos, pkg, recv, nil), types.NewStruct(nil, nil), nil)
		r := types.NewVar(token.NoPos, pkg, "x", types.NewPointer(named))
		sig = types.NewSignatureType(r, nil, nil, nil, nil, false)
	}
	return types.NewFunc(token.NoPos, pkg, name, sig)
}

func TestNoReturn(t *testing.T) {
	for _, c := range []struct {
		path, recv, name string
		want             bool
	}{
		{"os", "", "Exit", true},
		{"log", "Logger", "Fatalf", true},
		{"github.com/sirupsen/logrus", "", "Fatal", true},
		{"github.com/sirupsen/logrus", "Entry", "Fatalf", true},
		{"github.com/sirupsen/logrus", "Logger", "Panicln", true},
		{"github.com/sirupsen/logrus", "", "Error", false},
		{"go.uber.org/zap", "Logger", "Fatal", true},
		{"go.uber.org/zap", "SugaredLogger", "Fatalw", true},
		{"go.uber.org/zap", "Logger", "Error", false},
		{"k8s.io/klog/v2", "", "Exitf", true},
		{"example.com/mylog", "", "Fatal", false},
	} {
		if got := NoReturn(fn(c.path, c.recv, c.name)); got != c.want {
			t.Errorf("NoReturn(%s.%s.%s) = %v, want %v", c.path, c.recv, c.name, got, c.want)
		}
	}
}
