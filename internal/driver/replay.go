package driver

// The replay: what go test does with its test cache, for a whole run. When nothing that the output of a
// run depends on has changed since an earlier run, conclint prints that run's output again, without
// listing, loading or analyzing anything (the runner would first pay for "go list -export -deps").

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"fmt"
	"go/build"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/mod/modfile"
	"honnef.co/go/tools/lintcmd/cache"
)

// DebugEnv is the environment variable whose comma-separated words turn on debugging output on stderr.
// "replay" tells whether a run was replayed, stored for a replay, or why not.
const DebugEnv = "CONCLINT_DEBUG"

// goEnv are the environment variables that the go command reads and that can change what "go list" finds
// or how packages are built, and so conclint's output; every variable that starts with CGO_ is added. When
// in doubt a variable is here: a variable too many only costs a replay when it changes.
var goEnv = []string{
	"GOFLAGS", "GOOS", "GOARCH", "GO386", "GOAMD64", "GOARM", "GOARM64", "GOMIPS", "GOMIPS64", "GOPPC64",
	"GORISCV64", "GOWASM", "GOEXPERIMENT", "GOFIPS140", "GODEBUG", "CGO_ENABLED", "CC", "CXX", "FC", "AR",
	"PKG_CONFIG", "GCCGO", "GOTOOLCHAIN", "GOROOT", "GOPATH", "GOMODCACHE", "GOWORK", "GO111MODULE", "GOENV",
	"GOPROXY", "GONOPROXY", "GOSUMDB", "GONOSUMDB", "GONOSUMCHECK", "GOPRIVATE", "GOINSECURE", "GOVCS",
	"GOAUTH", "GOCACHE", "GOTMPDIR", "PATH",
}

// Limits on the files a key hashes: beyond them the key would cost too much, and the run goes on as
// without a replay.
const (
	maxKeyFiles = 50_000
	maxKeyBytes = 128 << 20
)

// A replayEntry is the output of a run, as the replay prints it again.
type replayEntry struct {
	Chunks []outputChunk // stdout and stderr, in the order they were written
	Code   int           // the exit code
	SARIF  []byte        // the content of the -sarif file, nil if none was written
}

type outputChunk struct {
	Stderr bool
	Data   []byte
}

// recorder records what is written to stdout and stderr, in order, while passing it on.
type recorder struct {
	mu     sync.Mutex
	chunks []outputChunk
}

type recordingWriter struct {
	r      *recorder
	w      io.Writer
	stderr bool
}

func (w recordingWriter) Write(b []byte) (int, error) {
	w.r.mu.Lock()
	w.r.chunks = append(w.r.chunks, outputChunk{w.stderr, slices.Clone(b)})
	w.r.mu.Unlock()
	return w.w.Write(b)
}

func (r *recorder) writers(stdout, stderr io.Writer) (io.Writer, io.Writer) {
	return recordingWriter{r, stdout, false}, recordingWriter{r, stderr, true}
}

// runInputs are the inputs of a run that its replay key covers: the command line, the working directory,
// the go command and its environment, the files of the main modules (the module of the working directory,
// or those of the workspace) and of the directories that their go.mod or go.work replace modules with,
// and go.work and go.work.sum. Everything else the go command reads comes from the module cache, whose
// content go.mod and go.sum fix, or from GOROOT, which the go command's identity fixes.
type runInputs struct {
	head  []byte   // what does not change during the run: command line, environment, go command
	roots []string // the main modules' roots first, then the local replacement directories
	files []string // go.work and go.work.sum in a workspace, which need not be under a root
	skip  []string // outputs of the run, not inputs: the -sarif file, the result cache
}

// replayInputs returns the inputs of a standalone run, or a reason why a key of them cannot be trusted to
// cover everything its output depends on.
func replayInputs(progname string, opts *options, cacheDir string) (*runInputs, string) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err.Error()
	}
	envFile, envFileData := goEnvFile()
	env := func(name string) string { // as the go command reads its variables: empty is unset
		if v := os.Getenv(name); v != "" {
			return v
		}
		return envFileValue(envFileData, name)
	}
	if env("GO111MODULE") == "off" {
		return nil, "GO111MODULE=off"
	}
	if strings.Contains(env("GOFLAGS"), "-modfile") {
		return nil, "GOFLAGS sets -modfile"
	}
	in := &runInputs{skip: []string{cacheDir}}
	if opts.sarifFile != "" && opts.sarifFile != "-" {
		sarif, _ := filepath.Abs(opts.sarifFile)
		in.skip = append(in.skip, sarif)
	}
	// The main modules, and the directories that replace modules: from go.work in a workspace, from
	// go.mod otherwise.
	var replaces []string
	switch work := env("GOWORK"); {
	case work == "off":
	case work != "" && !filepath.IsAbs(work):
		return nil, "GOWORK is not an absolute path"
	case work != "":
		in.files = []string{work}
	default:
		if dir := findUp(cwd, "go.work"); dir != "" {
			in.files = []string{filepath.Join(dir, "go.work")}
		}
	}
	if len(in.files) > 0 {
		work := in.files[0]
		in.files = append(in.files, work+".sum")
		data, err := os.ReadFile(work)
		if err != nil {
			return nil, err.Error()
		}
		wf, err := modfile.ParseWork(work, data, nil)
		if err != nil {
			return nil, err.Error()
		}
		for _, u := range wf.Use {
			in.roots = appendNew(in.roots, localDir(filepath.Dir(work), u.Path))
		}
		replaces = append(replaces, localReplaces(filepath.Dir(work), wf.Replace)...)
	} else {
		root := findUp(cwd, "go.mod")
		if root == "" {
			return nil, "not in a module"
		}
		in.roots = []string{root}
	}
	modules := slices.Clone(in.roots)
	for _, p := range opts.patterns {
		if why := untrustedPattern(p, cwd, modules); why != "" {
			return nil, why
		}
	}
	for _, root := range modules {
		name := filepath.Join(root, "go.mod")
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, err.Error()
		}
		mf, err := modfile.Parse(name, data, nil)
		if err != nil {
			return nil, err.Error()
		}
		replaces = append(replaces, localReplaces(root, mf.Replace)...)
	}
	for _, dir := range replaces {
		in.roots = appendNew(in.roots, dir)
	}

	var h bytes.Buffer
	fmt.Fprintf(&h, "conclint replay v1\nprogname %q\nargs %q\ncwd %q\nroots %q\nfiles %q\n", progname, opts.args, cwd, in.roots, in.files)
	for _, name := range goEnv {
		v, ok := os.LookupEnv(name)
		fmt.Fprintf(&h, "env %s %t %q\n", name, ok, v)
	}
	var cgo []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "CGO_") {
			cgo = append(cgo, kv)
		}
	}
	slices.Sort(cgo)
	fmt.Fprintf(&h, "cgo env %q\n", cgo)
	fmt.Fprintf(&h, "go env file %q %x\n", envFile, sha256.Sum256(envFileData))
	gobin, err := exec.LookPath("go")
	if err != nil {
		return nil, "no go command: " + err.Error()
	}
	real, err := filepath.EvalSymlinks(gobin)
	if err != nil {
		return nil, err.Error()
	}
	info, err := os.Stat(real)
	if err != nil {
		return nil, err.Error()
	}
	fmt.Fprintf(&h, "go %q %q %d %d\n", gobin, real, info.Size(), info.ModTime().UnixNano())
	in.head = h.Bytes()
	return in, ""
}

// localReplaces returns the directories of the replace directives that name one (not a module version),
// relative paths taken from dir, the directory of the go.mod or go.work.
func localReplaces(dir string, list []*modfile.Replace) []string {
	var dirs []string
	for _, r := range list {
		if r.New.Version == "" {
			dirs = append(dirs, localDir(dir, r.New.Path))
		}
	}
	return dirs
}

// localDir returns path, taken from dir when it is relative.
func localDir(dir, path string) string {
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	return filepath.Join(dir, path)
}

// appendNew appends s to list unless it is there already.
func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// untrustedPattern returns why the key cannot cover what pattern p matches, or "". Directory patterns must
// be inside a main module; import path patterns (example.com/x/..., net/http) resolve to packages of a
// main module, of a replacement directory, of the module cache or of GOROOT, all covered. Meta patterns
// (all, std, ...), file names and absolute paths outside the modules run as without a replay.
func untrustedPattern(p, cwd string, modules []string) string {
	switch {
	case p == "" || strings.HasSuffix(p, ".go") && goFiles(p, cwd):
		return fmt.Sprintf("pattern %q", p)
	case build.IsLocalImport(p) || filepath.IsAbs(p):
		dir, _, _ := strings.Cut(p, "...")
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(cwd, dir)
		}
		inside := func(root string) bool {
			rel, err := filepath.Rel(root, dir)
			return err == nil && filepath.IsLocal(rel)
		}
		if !slices.ContainsFunc(modules, inside) {
			return fmt.Sprintf("pattern %q outside the main modules", p)
		}
	case slices.Contains([]string{"all", "std", "cmd", "tool", "work"}, p), strings.HasPrefix(p, "..."),
		strings.ContainsAny(p, "@\\ "):
		return fmt.Sprintf("pattern %q", p)
	}
	return ""
}

// goFiles reports whether p, a pattern ending in .go, names source files rather than a package: a local
// or absolute path, a bare file name, or a path that exists as a file (the go command's rule); an import
// path such as github.com/nats-io/nats.go names a package.
func goFiles(p, cwd string) bool {
	if build.IsLocalImport(p) || filepath.IsAbs(p) || !strings.Contains(p, "/") {
		return true
	}
	info, err := os.Stat(filepath.Join(cwd, p))
	return err == nil && !info.IsDir()
}

// findUp returns the directory of the first file named name in dir or a directory above it, or "".
func findUp(dir, name string) string {
	for {
		if info, err := os.Stat(filepath.Join(dir, name)); err == nil && !info.IsDir() {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// goEnvFile returns the name and content of the go command's configuration file ("go env -w"), nil if
// there is none.
func goEnvFile() (string, []byte) {
	name := os.Getenv("GOENV")
	if name == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return "", nil
		}
		name = filepath.Join(dir, "go", "env")
	}
	if name == "off" {
		return name, nil
	}
	data, _ := os.ReadFile(name)
	return name, data
}

// envFileValue returns the value of name in the content of a go env file, "" if it has none.
func envFileValue(data []byte, name string) string {
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), name+"="); ok {
			return v
		}
	}
	return ""
}

// key returns the replay key of the run: the salt of the result cache (conclint's build and its analyzers'
// flags), the head, and the names and contents of the files under the roots.
func (in *runInputs) key() (cache.ActionID, error) {
	h := cache.NewHash("replay")
	h.Write(in.head)
	var files []string
	var b bytes.Buffer
	for i, root := range in.roots {
		fmt.Fprintf(&b, "root %d\n", i)
		if err := in.walk(&b, root, root, &files); err != nil {
			return cache.ActionID{}, err
		}
	}
	for _, f := range in.files {
		if _, err := os.Stat(f); err == nil {
			files = append(files, f)
		} else {
			fmt.Fprintf(&b, "absent %q\n", f)
		}
	}
	h.Write(b.Bytes())
	sums, err := hashFiles(files)
	if err != nil {
		return cache.ActionID{}, err
	}
	for i, f := range files {
		fmt.Fprintf(h, "%s %x\n", f, sums[i])
	}
	return h.Sum(), nil
}

// walk writes the entries of dir, and below, to b, and appends the regular files to files. It leaves out
// version control directories (the go command neither builds nor embeds from them), nested modules (a
// directory with a go.mod of its own: its packages and files are not the module's) and the outputs of the
// run (in.skip); it fails on a symbolic link to a directory, whose files a build could read.
func (in *runInputs) walk(b *bytes.Buffer, root, dir string, files *[]string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if dir != root && slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return e.Name() == "go.mod" }) {
		rel, _ := filepath.Rel(root, dir)
		fmt.Fprintf(b, "module %q\n", rel)
		return nil
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		rel, _ := filepath.Rel(root, path)
		switch {
		case slices.Contains(in.skip, path):
		case e.IsDir():
			switch e.Name() {
			case ".git", ".hg", ".svn", ".bzr":
				continue
			}
			fmt.Fprintf(b, "dir %q\n", rel)
			if err := in.walk(b, root, path, files); err != nil {
				return err
			}
		case e.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(path)
			if err != nil {
				return err
			}
			info, err := os.Stat(path)
			if err == nil && info.IsDir() {
				return fmt.Errorf("%s is a symbolic link to a directory", path)
			}
			fmt.Fprintf(b, "link %q %q\n", rel, target)
			if err == nil && info.Mode().IsRegular() {
				*files = append(*files, path)
			}
		case e.Type().IsRegular():
			*files = append(*files, path)
		default:
			fmt.Fprintf(b, "other %q\n", rel)
		}
		if len(*files) > maxKeyFiles {
			return fmt.Errorf("more than %d files", maxKeyFiles)
		}
	}
	return nil
}

// hashFiles returns the SHA-256 of the content of each file. Reading many small files costs mostly
// system calls: two goroutines, each with its own contiguous half of the list and one buffer, do better
// than one, while a goroutine per file or a work queue does worse (measured: 1,600 files of x/tools).
//
// It fails, and stops early, when the files hold more than maxKeyBytes.
func hashFiles(files []string) ([][sha256.Size]byte, error) {
	sums := make([][sha256.Size]byte, len(files))
	errs := make([]error, len(files))
	var total atomic.Int64
	hashRange := func(lo, hi int) {
		h := sha256.New()
		buf := make([]byte, 64<<10)
		for i := lo; i < hi; i++ {
			if total.Load() > maxKeyBytes {
				errs[i] = fmt.Errorf("more than %d MiB of files", maxKeyBytes>>20)
				return
			}
			f, err := os.Open(files[i])
			if err != nil {
				errs[i] = err
				continue
			}
			h.Reset()
			for {
				n, err := f.Read(buf)
				h.Write(buf[:n])
				total.Add(int64(n))
				if err == io.EOF {
					break
				}
				if err != nil {
					errs[i] = err
					break
				}
			}
			f.Close()
			h.Sum(sums[i][:0])
		}
	}
	var wg sync.WaitGroup
	half := len(files) / 2
	if runtime.GOMAXPROCS(0) > 1 && len(files) > 64 {
		wg.Go(func() { hashRange(half, len(files)) })
	} else {
		half = len(files)
	}
	hashRange(0, half)
	wg.Wait()
	return sums, errors.Join(errs...)
}

// replayDebug reports whether CONCLINT_DEBUG asks for the replay's debugging output.
func replayDebug() bool {
	return slices.Contains(strings.Split(os.Getenv(DebugEnv), ","), "replay")
}

// loadReplay returns the entry stored under key, or false if there is none or it cannot be decoded.
func loadReplay(c *resultCache, key cache.ActionID) (*replayEntry, bool) {
	data, _, err := cache.GetBytes(c.cache, key)
	if err != nil {
		return nil, false
	}
	var e replayEntry
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&e); err != nil {
		return nil, false
	}
	return &e, true
}

// storeReplay stores the entry under key.
func storeReplay(c *resultCache, key cache.ActionID, e *replayEntry) error {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(e); err != nil {
		return err
	}
	return cache.PutBytes(c.cache, key, b.Bytes())
}

// replay writes the -sarif file of e, prints its output and returns its exit code. It fails, having
// printed nothing, when the file cannot be written.
func (e *replayEntry) replay(opts *options, stdout, stderr io.Writer) (int, error) {
	if e.SARIF != nil {
		if err := os.WriteFile(opts.sarifFile, e.SARIF, 0o666); err != nil {
			return 0, err
		}
	}
	for _, c := range e.Chunks {
		w := stdout
		if c.Stderr {
			w = stderr
		}
		w.Write(c.Data) // as the printer, which does not check its writes either
	}
	return e.Code, nil
}
