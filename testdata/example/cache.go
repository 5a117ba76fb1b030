package example

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/conclint/conclint/testdata/example/store"
)

// A Cache holds values fetched from upstream, writes them through to a store, and announces each
// update on the channel returned by Updates. It is safe for concurrent use.
type Cache struct {
	mu      sync.Mutex
	entries map[string][]byte
	updates chan string
	store   *store.Client
}

// NewCache returns an empty Cache that writes through to s.
func NewCache(s *store.Client) *Cache {
	return &Cache{
		entries: make(map[string][]byte),
		updates: make(chan string),
		store:   s,
	}
}

// Updates returns the channel on which c announces the key of each update.
func (c *Cache) Updates() <-chan string { return c.updates }

// Get returns the value of key and whether it is cached.
func (c *Cache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.entries[key]
	return v, ok
}

// Set caches v as the value of key, without writing it through or announcing it.
func (c *Cache) Set(key string, v []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[key] = v
}

// Keys returns the cached keys, sorted.
func (c *Cache) Keys() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Sorted(maps.Keys(c.entries))
}

// A Fetcher fetches values from an upstream HTTP server.
type Fetcher struct {
	Client  *http.Client
	BaseURL string // for example "http://upstream.internal/v1"
}

// Fetch returns the value of key on the upstream server.
func (f *Fetcher) Fetch(ctx context.Context, key string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.BaseURL+"/"+url.PathEscape(key), nil)
	if err != nil {
		return nil, err
	}
	resp, err := f.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: %s", key, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// A Server serves the values of a Cache over HTTP, filling misses from a Fetcher.
type Server struct {
	Cache   *Cache
	Fetcher *Fetcher
}

// ServeHTTP serves the value of the key named by the request path.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := strings.TrimPrefix(r.URL.Path, "/")
	v, ok := s.Cache.Get(key)
	if !ok {
		var err error
		v, err = s.Fetcher.Fetch(r.Context(), key)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		s.Cache.Set(key, v)
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Write(v)
}
