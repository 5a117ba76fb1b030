package lockorder

import (
	"go/types"
	"testing"
)

func TestDisplayClass(t *testing.T) {
	p := types.NewPackage("example.com/p", "p")
	for _, c := range []struct{ class, want string }{
		{"(*example.com/p.Server).mu", "(*Server).mu"},
		{"(*example.com/x/q.Peer).state.mu", "(*q.Peer).state.mu"},
		{"(example.com/x/q.Peer).mu", "(q.Peer).mu"},
		{"example.com/p.registryMu", "registryMu"},
		{"example.com/x/q.global.mu", "q.global.mu"},
		{"(*example.com/p.Map[example.com/x/q.K]).mu", "(*Map[example.com/x/q.K]).mu"},
		{"(*noslash.T).mu", "(*noslash.T).mu"},
	} {
		if got := displayClass(c.class, p); got != c.want {
			t.Errorf("displayClass(%q) = %q, want %q", c.class, got, c.want)
		}
	}
}
