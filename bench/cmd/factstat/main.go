// Command factstat reads the facts that a conclint run left in its result cache: the gob streams
// ("vetx") that the runner writes for each package, with the package's facts and those of every
// dependency it can name, read again by each package that imports it.
//
// Usage, from the bench directory, after a cold run on an empty cache:
//
//	CONCLINT_CACHE=/tmp/c go run ../cmd/conclint -json github.com/hashicorp/consul-template/... >/dev/null
//	go run ./cmd/factstat /tmp/c          # facts per type: in all streams, distinct, on unexported objects
//	go run ./cmd/factstat -dump /tmp/c    # every fact of every stream, one sorted line each
//	go run ./cmd/factstat -time /tmp/c    # the time to decode every stream once, as the runner does
//
// Two runs computed the same facts when the distinct lines of their -dump are the same ("sort -u"): the
// count of each line is not a property of the facts, as the runner's choice of the dependencies each stream
// repeats can vary from run to run. A run must be read by a factstat built from the same code: the
// encoding of conclint's facts is the binary's own (internal/factcodec).
package main

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/tools/go/analysis"

	"github.com/conclint/conclint/analyzers"
	"github.com/conclint/conclint/internal/noreturn"
)

// gobFact is the runner's record of a fact (lintcmd/runner.gobFact).
type gobFact struct {
	PkgPath string
	ObjPath string
	Fact    analysis.Fact
}

func main() {
	dump := flag.Bool("dump", false, "print every fact, one sorted line each")
	timed := flag.Bool("time", false, "time the decoding of every stream")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: factstat [-dump | -time] cachedir")
		os.Exit(2)
	}
	register()
	streams, err := readStreams(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "factstat:", err)
		os.Exit(1)
	}
	switch {
	case *timed:
		start := time.Now()
		const rounds = 10
		for range rounds {
			for _, s := range streams {
				if _, err := decode(s); err != nil {
					fmt.Fprintln(os.Stderr, "factstat:", err)
					os.Exit(1)
				}
			}
		}
		fmt.Printf("%d streams: %v to decode each once\n", len(streams), time.Since(start)/rounds)
	case *dump:
		var lines []string
		for _, s := range streams {
			facts, _ := decode(s)
			for _, f := range facts {
				lines = append(lines, fmt.Sprintf("%s %s %#v", f.PkgPath, f.ObjPath, reflect.ValueOf(f.Fact).Elem().Interface()))
			}
		}
		slices.Sort(lines)
		w := bufio.NewWriter(os.Stdout)
		for _, l := range lines {
			fmt.Fprintln(w, l)
		}
		w.Flush()
	default:
		stats(streams)
	}
}

// register registers the fact types of every analyzer the CLI may run, as the runner does.
func register() {
	seen := make(map[*analysis.Analyzer]bool)
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, f := range a.FactTypes {
			gob.Register(f)
		}
		for _, r := range a.Requires {
			visit(r)
		}
	}
	for _, a := range append(analyzers.Suite(), noreturn.Analyzer) {
		visit(a)
	}
}

// readStreams returns the content of the cache's files that are streams of facts.
func readStreams(dir string) ([][]byte, error) {
	var streams [][]byte
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "-d") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if _, err := decode(data); err == nil && len(data) > 0 {
			streams = append(streams, data) // not the diagnostics of a package, nor an empty stream
		}
		return nil
	})
	return streams, err
}

// decode returns the facts of a stream, as the runner's loadFacts decodes them (one decoder per stream).
func decode(data []byte) ([]gobFact, error) {
	dec := gob.NewDecoder(bytes.NewReader(data))
	var facts []gobFact
	for {
		var f gobFact
		if err := dec.Decode(&f); err == io.EOF {
			return facts, nil
		} else if err != nil {
			return nil, err
		}
		facts = append(facts, f)
	}
}

// stats prints, per fact type, the facts of all streams, the distinct ones, and the distinct ones on
// unexported objects (or on methods of unexported types).
func stats(streams [][]byte) {
	type count struct{ all, distinct, unexported int }
	counts := make(map[string]*count)
	seen := make(map[string]bool)
	total := 0
	for _, s := range streams {
		facts, _ := decode(s)
		for _, f := range facts {
			typ := reflect.TypeOf(f.Fact).String()
			c := counts[typ]
			if c == nil {
				c = new(count)
				counts[typ] = c
			}
			c.all++
			total++
			if key := f.PkgPath + " " + f.ObjPath + " " + typ; !seen[key] {
				seen[key] = true
				c.distinct++
				if r, _ := firstRune(f.ObjPath); f.ObjPath != "" && !unicode.IsUpper(r) {
					c.unexported++
				}
			}
		}
	}
	fmt.Printf("%d streams, %d facts, %d distinct\n", len(streams), total, len(seen))
	types := make([]string, 0, len(counts))
	for t := range counts {
		types = append(types, t)
	}
	slices.SortFunc(types, func(a, b string) int { return counts[b].all - counts[a].all })
	fmt.Printf("%8s %8s %10s  %s\n", "all", "distinct", "unexported", "type")
	for _, t := range types {
		c := counts[t]
		fmt.Printf("%8d %8d %10d  %s\n", c.all, c.distinct, c.unexported, t)
	}
}

func firstRune(s string) (rune, bool) {
	for _, r := range s {
		return r, true
	}
	return 0, false
}
