// Command custom-gcl is golangci-lint with conclint's analyzers compiled in as module plugins: the binary
// that "golangci-lint custom" builds from .custom-gcl.example.yml, built from the Go module proxy
// instead of a git clone of golangci-lint. Its main is golangci-lint's own, cmd/golangci-lint/main.go,
// plus the blank import of package plugin.
//
//	cd tools/custom-gcl && go build -o ../../bin/custom-gcl .
//	bin/custom-gcl run ./...
//
// The module pins golangci-lint; see docs/integrations.md for the versions this is tested with.
package main

import (
	"cmp"
	"fmt"
	"os"
	"regexp"
	"runtime/debug"
	"strings"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
	"github.com/golangci/golangci-lint/v2/pkg/exitcodes"

	_ "github.com/conclint/conclint/plugin"
)

func main() {
	if err := commands.Execute(buildInfo()); err != nil {
		_, _ = fmt.Fprintf(os.Stderr, "The command is terminated due to an error: %v\n", err)
		os.Exit(exitcodes.Failure)
	}
}

// buildInfo returns the version that "custom-gcl version" prints: golangci-lint's, since this binary is
// golangci-lint with plugins, as a binary built by "golangci-lint custom" reports it.
func buildInfo() commands.BuildInfo {
	info := commands.BuildInfo{Version: "unknown", Commit: "?", GoVersion: "unknown"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return info
	}
	info.GoVersion = bi.GoVersion
	for _, dep := range bi.Deps {
		if dep.Path == golangciLint {
			info.Version = strings.TrimPrefix(dep.Version, "v")
		}
	}
	if matched, _ := regexp.MatchString(`^\d+\.\d+\.\d+`, info.Version); matched {
		info.Version += "-custom-gcl"
	}
	var revision, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.time":
			info.Date = s.Value
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	info.Date = cmp.Or(info.Date, "(unknown)")
	info.Commit = fmt.Sprintf("(%s, modified: %s)", cmp.Or(revision, "unknown"), cmp.Or(modified, "?"))
	return info
}

// golangciLint is the module path of golangci-lint.
const golangciLint = "github.com/golangci/golangci-lint/v2"
