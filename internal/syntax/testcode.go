package syntax

import (
	"go/token"
	"path"
	"path/filepath"
	"strings"
)

// IsTestCode reports whether the code at pos, in the package with import path pkgPath and name pkgName,
// is test code by the rule every analyzer shares (documented in docs/CONTRIBUTING.md, "Test code"):
//
//   - a _test.go file;
//   - a package under a directory named testfiles, e2e, test or tests, or whose name ends with tests
//     (integrationtests), or named as test support is named below (tstest, testutil, mocks); a package
//     under testdata is analyzed only when it is named explicitly, since
//     ./... never matches testdata: the user asked for it, as for the runnable example in this
//     repository's testdata/example;
//   - a package whose name or last import-path element names test support: a test double
//     (starts with fake, mock or stub) or a test helper (starts with testutil, testing or testhelper, or
//     ends with test but is not an English word such as latest or contest), as httptest, fstest,
//     fakeserver, mockstore, testutils do;
//   - a file whose base name has, as one of its "_"-separated parts, a test double or test helper word
//     or the word test, tests or testing (fake_fs.go, mock.go, server_mock.go, testutil.go, util_test_helpers.go);
//     a part that merely ends with "test" (latest.go, contest.go) does not count.
//
// Analyzers report in test code only with their -tests flag.
func IsTestCode(fset *token.FileSet, pkgPath, pkgName string, pos token.Pos) bool {
	if InTestFile(fset, pos) || IsTestPackage(pkgPath, pkgName) {
		return true
	}
	f := fset.File(pos)
	if f == nil {
		return false
	}
	base := strings.TrimSuffix(filepath.Base(f.Name()), ".go")
	for _, part := range strings.Split(base, "_") {
		if isTestDouble(part) || part == "test" || part == "tests" || part == "testing" {
			return true
		}
	}
	return false
}

// IsTestPackage reports whether a package is test support by its path or name (see IsTestCode).
func IsTestPackage(pkgPath, pkgName string) bool {
	for _, elem := range strings.Split(pkgPath, "/") {
		if isTestDir(elem) {
			return true
		}
	}
	return isTestPackageName(pkgName) || isTestPackageName(path.Base(pkgPath))
}

// isTestDir reports whether a directory on a package's import path holds test support only: testfiles,
// e2e, test, tests, a name ending with tests (integrationtests, e2etests), or a name that names test
// support as a package name does (tailscale's tstest/natlab, internal/testutil/..., mocks/...).
func isTestDir(elem string) bool {
	low := strings.ToLower(elem)
	return low == "testfiles" || low == "e2e" || low == "test" || strings.HasSuffix(low, "tests") || isTestPackageName(elem)
}

// isTestPackageName reports whether a package name or directory names test support: a test double or
// helper word, or a name ending with test (httptest, fstest, tstest) that is not an English word that
// merely ends so (latest, contest).
func isTestPackageName(w string) bool {
	w = strings.ToLower(w)
	return isTestDouble(w) || strings.HasSuffix(w, "test") && !testWords[w]
}

// testWords are the words that end with test without naming test support.
var testWords = map[string]bool{
	"latest": true, "greatest": true, "fastest": true, "contest": true, "attest": true, "protest": true,
	"detest": true, "smartest": true, "shortest": true,
}

// isTestDouble reports whether a word names a test double or test helper by its prefix.
func isTestDouble(w string) bool {
	w = strings.ToLower(w)
	for _, p := range []string{"fake", "mock", "stub", "testutil", "testing", "testhelper"} {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}
