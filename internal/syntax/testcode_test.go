package syntax

import (
	"go/token"
	"testing"
)

func TestIsTestCode(t *testing.T) {
	for _, c := range []struct {
		pkgPath, pkgName, file string
		want                   bool
	}{
		{"example.com/app/server", "server", "server.go", false},
		{"example.com/app/server", "server", "server_test.go", true},
		{"net/http/httptest", "httptest", "server.go", true},
		{"example.com/app/fakeserver", "fakeserver", "server.go", true},
		{"example.com/app/internal/mocks", "mocks", "store.go", true},
		{"example.com/app/testutils", "testutils", "util.go", true},
		{"example.com/app/stubs", "stubs", "x.go", true},
		{"testing/fstest", "fstest", "mapfs.go", true},
		{"example.com/app/testdata/prog", "main", "main.go", false}, // analysed only when named explicitly
		{"github.com/conclint/conclint/testdata/example", "example", "lockblock.go", false},
		{"example.com/app/internal/testfiles/x", "x", "x.go", true},
		{"example.com/quic/integrationtests/tools/proxy", "proxy", "proxy.go", true},
		{"example.com/app/test/helpers", "helpers", "h.go", true},
		{"example.com/app/e2e/cluster", "cluster", "c.go", true},
		{"example.com/app/latest/feed", "feed", "f.go", false},
		{"example.com/app/contests/feed", "feed", "f.go", true}, // a directory name ending with "tests" counts
		{"example.com/app/fs", "fs", "fake_fs.go", true},
		{"example.com/app/fs", "fs", "server_mock.go", true},
		{"example.com/app/fs", "fs", "fs_testutil.go", true},
		{"example.com/app/fs", "fs", "latest.go", false},
		{"example.com/app/fs", "fs", "contest_entry.go", false},
		{"example.com/app/fs", "fs", "util_test_helpers.go", true},
		{"example.com/app/attestation", "attestation", "attest.go", false},
		{"example.com/app/attest", "attest", "x.go", false},           // an English word ending with "test" does not count
		{"example.com/app/apitest", "apitest", "x.go", true},          // a package name ending with "test" counts
		{"tailscale.com/tstest/natlab/vnet", "vnet", "vnet.go", true}, // under a directory named as test support
		{"example.com/app/internal/testutil/db", "db", "db.go", true},
		{"example.com/app/mocks/store", "store", "store.go", true},
		{"example.com/app/latest/feed", "feed", "f.go", false},
		{"example.com/app/greatest/hits", "hits", "h.go", false},
		{"example.com/app/fs", "fs", "testament.go", false},
		{"example.com/app/mockingbird", "mockingbird", "x.go", true},
		{"example.com/app/scheduler", "scheduler", "stubborn.go", true},
		{"example.com/app/scheduler", "scheduler", "queue.go", false},
	} {
		fset := token.NewFileSet()
		f := fset.AddFile("/src/"+c.file, -1, 10)
		if got := IsTestCode(fset, c.pkgPath, c.pkgName, f.Pos(0)); got != c.want {
			t.Errorf("IsTestCode(%s, %s, %s) = %v, want %v", c.pkgPath, c.pkgName, c.file, got, c.want)
		}
	}
}
