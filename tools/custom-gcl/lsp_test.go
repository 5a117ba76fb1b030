package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/textproto"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestEFMLangserver runs an LSP session with efm-langserver configured as docs/integrations.md shows,
// on a module with a lockblock finding: opening the file publishes conclint's finding as a diagnostic
// at its position, with source "conclint".
func TestEFMLangserver(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(config, []byte(docsBlock(t, "efm-langserver/config.yaml")), 0o644); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	const src = `package finding

import (
	"sync"
	"time"
)

var mu sync.Mutex

func F() {
	mu.Lock()
	defer mu.Unlock()
	time.Sleep(time.Second)
}

var n int

// Inc is mu's fast path, which waits while F sleeps.
func Inc() {
	mu.Lock()
	n++
	mu.Unlock()
}
`
	file := filepath.Join(work, "finding.go")
	for name, content := range map[string]string{"go.mod": "module example.com/finding\n\ngo 1.26\n", "finding.go": src} {
		if err := os.WriteFile(filepath.Join(work, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	cmd := exec.Command(efm, "-c", config)
	cmd.Dir = work
	// The configuration runs "conclint", as installed by go install.
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(conclint)+string(os.PathListSeparator)+os.Getenv("PATH"))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	})

	c := &lspClient{t: t, w: stdin, r: textproto.NewReader(bufio.NewReader(stdout))}
	uri := fileURI(file)
	c.send(1, "initialize", map[string]any{
		"processId":    os.Getpid(),
		"rootUri":      fileURI(work),
		"capabilities": map[string]any{},
	})
	c.send(0, "initialized", map[string]any{})
	c.send(0, "textDocument/didOpen", map[string]any{
		"textDocument": map[string]any{"uri": uri, "languageId": "go", "version": 1, "text": src},
	})

	type diagnostic struct {
		Range struct {
			Start struct{ Line, Character int }
		}
		Message string
		Source  string
	}
	diags := make(chan []diagnostic, 1)
	go func() {
		for {
			msg, ok := c.read()
			if !ok {
				close(diags)
				return
			}
			if msg.Method != "textDocument/publishDiagnostics" {
				continue
			}
			var p struct {
				URI         string
				Diagnostics []diagnostic
			}
			if err := json.Unmarshal(msg.Params, &p); err != nil {
				t.Errorf("publishDiagnostics: %v", err)
			}
			if p.URI == uri && len(p.Diagnostics) > 0 {
				diags <- p.Diagnostics
				return
			}
		}
	}()
	// No time limit of its own: the wait ends when the diagnostics come, or, so that a hung server
	// is reported rather than killed with the test binary, shortly before the test's deadline.
	var deadline <-chan time.Time
	if d, ok := t.Deadline(); ok {
		deadline = time.After(time.Until(d) - 30*time.Second)
	}
	var got []diagnostic
	select {
	case got = <-diags:
	case <-deadline:
		t.Fatal("efm-langserver published no diagnostics for finding.go before the test's deadline")
	}
	if got == nil {
		t.Fatal("efm-langserver closed its output before publishing diagnostics for finding.go")
	}
	found := false
	for _, d := range got {
		if strings.HasPrefix(d.Message, "time.Sleep called while mu is held") {
			found = true
			if d.Range.Start.Line != 12 || d.Range.Start.Character != 1 || d.Source != "conclint" {
				t.Errorf("diagnostic at %d:%d from %q, want 12:1 (0-based) from conclint", d.Range.Start.Line, d.Range.Start.Character, d.Source)
			}
		}
	}
	if !found {
		t.Errorf("no diagnostic about time.Sleep in %+v", got)
	}
}

// lspClient speaks JSON-RPC with LSP framing.
type lspClient struct {
	t *testing.T
	w io.Writer
	r *textproto.Reader
}

// send sends a request with id, or a notification if id is 0.
func (c *lspClient) send(id int, method string, params any) {
	c.t.Helper()
	msg := map[string]any{"jsonrpc": "2.0", "method": method, "params": params}
	if id != 0 {
		msg["id"] = id
	}
	data, err := json.Marshal(msg)
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := fmt.Fprintf(c.w, "Content-Length: %d\r\n\r\n%s", len(data), data); err != nil {
		c.t.Fatal(err)
	}
}

type lspMessage struct {
	Method string
	Params json.RawMessage
}

// read reads the next message; ok is false at the end of the stream.
func (c *lspClient) read() (msg lspMessage, ok bool) {
	header, err := c.r.ReadMIMEHeader()
	if err != nil {
		return msg, false
	}
	n, err := strconv.Atoi(header.Get("Content-Length"))
	if err != nil {
		return msg, false
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(c.r.R, body); err != nil {
		return msg, false
	}
	if err := json.Unmarshal(body, &msg); err != nil {
		return msg, false
	}
	return msg, true
}

func fileURI(name string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(name)}).String()
}

// docsBlock returns the fenced code block of docs/integrations.md whose first line mentions marker, so
// that the tests run the configurations that the docs give.
func docsBlock(t *testing.T, marker string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "docs", "integrations.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(data), "```")
	for i := 1; i < len(blocks); i += 2 {
		_, body, _ := strings.Cut(blocks[i], "\n") // drop the language tag
		first, _, _ := strings.Cut(body, "\n")
		if strings.Contains(first, marker) {
			return body
		}
	}
	t.Fatalf("docs/integrations.md has no code block whose first line mentions %s", marker)
	return ""
}
