package driver

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"golang.org/x/tools/go/analysis"
	"honnef.co/go/tools/go/buildid"
	"honnef.co/go/tools/lintcmd/cache"
)

// CacheEnv is the environment variable that overrides the directory of conclint's result cache.
const CacheEnv = "CONCLINT_CACHE"

// cacheReadme is written into the cache directory, for whoever finds it.
const cacheReadme = `This directory holds the results of conclint (https://github.com/conclint/conclint):
facts and findings per package, reused by the next run. It can be deleted at any time, or with
"conclint -clean-cache".
`

// cacheDir returns the directory of conclint's result cache: $CONCLINT_CACHE, or conclint under the user
// cache directory.
func cacheDir() (string, error) {
	if dir := os.Getenv(CacheEnv); dir != "" {
		if !filepath.IsAbs(dir) {
			return "", fmt.Errorf("%s=%s is not an absolute path", CacheEnv, dir)
		}
		return dir, nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("%s is not set and %v", CacheEnv, err)
	}
	return filepath.Join(dir, "conclint"), nil
}

// resultCache is the runner's cache in conclint's directory.
type resultCache struct {
	dir       string
	cache     *cache.DiskCache
	temporary bool // a directory of this run only, removed by close
}

// openCache opens conclint's result cache, creating it if needed. A cache directory that cannot be
// opened is deleted and made again, and the user is told.
func openCache(progname string, stderr io.Writer) (*resultCache, error) {
	dir, err := cacheDir()
	if err != nil {
		return nil, err
	}
	c := &resultCache{dir: dir}
	if err := c.open(); err != nil {
		fmt.Fprintf(stderr, "%s: cannot use the result cache %s (%v): deleting it\n", progname, dir, err)
		if err := c.reset(); err != nil {
			// Neither usable nor removable: run with a cache of this run only.
			tmp, terr := os.MkdirTemp("", "conclint-cache")
			if terr != nil {
				return nil, fmt.Errorf("result cache %s: %v", dir, err)
			}
			fmt.Fprintf(stderr, "%s: cannot delete the result cache %s (%v): using a temporary one\n", progname, dir, err)
			c = &resultCache{dir: tmp, temporary: true}
			if err := c.open(); err != nil {
				os.RemoveAll(tmp)
				return nil, err
			}
		}
	}
	return c, nil
}

func (c *resultCache) open() error {
	if err := os.MkdirAll(c.dir, 0o777); err != nil {
		return err
	}
	readme := filepath.Join(c.dir, "README")
	if _, err := os.Stat(readme); err != nil {
		if err := os.WriteFile(readme, []byte(cacheReadme), 0o666); err != nil {
			return err
		}
	}
	dc, err := cache.Open(c.dir)
	if err != nil {
		return err
	}
	c.cache = dc
	return nil
}

// reset deletes the cache directory and opens an empty cache in it.
func (c *resultCache) reset() error {
	if err := os.RemoveAll(c.dir); err != nil {
		return err
	}
	return c.open()
}

// close trims entries unused for days, as the go command does.
func (c *resultCache) close() {
	switch {
	case c.temporary:
		os.RemoveAll(c.dir)
	case c.cache != nil:
		c.cache.Close()
	}
}

// cleanCache deletes the result cache.
func cleanCache(stdout, stderr io.Writer, progname string) int {
	dir, err := cacheDir()
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progname, err)
		return exitError
	}
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progname, err)
		return exitError
	}
	fmt.Fprintf(stdout, "deleted %s\n", dir)
	return exitClean
}

// setCacheSalt makes the cache keys depend on this binary (its build ID, or its hash) and on the values
// of the flags of the analyzers, and of the analyzers they require: a new build of conclint, or other
// flags, do not see the results of the old.
func setCacheSalt(analyzers []*analysis.Analyzer) error {
	h := sha256.New()
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	if id, err := buildid.ReadFile(exe); err == nil && id != "" {
		fmt.Fprintf(h, "build %s\n", id)
	} else {
		f, err := os.Open(exe)
		if err != nil {
			return err
		}
		defer f.Close()
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
	}
	fmt.Fprintf(h, "version %s\n", versionString())
	var lines []string
	seen := make(map[*analysis.Analyzer]bool)
	var visit func([]*analysis.Analyzer)
	visit = func(list []*analysis.Analyzer) {
		for _, a := range list {
			if seen[a] {
				continue
			}
			seen[a] = true
			a.Flags.VisitAll(func(f *flag.Flag) { lines = append(lines, fmt.Sprintf("%s.%s=%s", a.Name, f.Name, f.Value)) })
			visit(a.Requires)
		}
	}
	visit(analyzers)
	slices.Sort(lines)
	for _, l := range lines {
		fmt.Fprintln(h, l)
	}
	cache.SetSalt(h.Sum(nil))
	return nil
}
