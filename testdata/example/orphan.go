package example

import (
	"context"
	"sync"
	"time"

	"github.com/conclint/conclint/testdata/example/store"
)

// PrefetchOrphan starts fetching keys into c and returns.
//
// WRONG: nobody waits for the goroutines. PrefetchOrphan returns before the cache is warm, its caller
// cannot know when the fetches end, and they outlive the request that started them, so a test or a
// shutdown that follows sees them still running. conclint does not report this one: the goroutines get
// ctx, which by orphangoroutine's definition makes them stoppable.
func (f *Fetcher) PrefetchOrphan(ctx context.Context, c *Cache, keys []string) {
	for _, k := range keys {
		go func() {
			if v, err := f.Fetch(ctx, k); err == nil {
				c.Set(k, v)
			}
		}()
	}
}

// Prefetch fetches keys into c concurrently and returns when every fetch has ended.
//
// RIGHT: the goroutines are joined with a sync.WaitGroup before Prefetch returns.
func (f *Fetcher) Prefetch(ctx context.Context, c *Cache, keys []string) {
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Go(func() {
			if v, err := f.Fetch(ctx, k); err == nil {
				c.Set(k, v)
			}
		})
	}
	wg.Wait()
}

// StartRefreshOrphan refreshes every cached value once a minute, in the background.
//
// WRONG: the loop cannot be stopped. It has no context and no done channel, so it runs until the
// process exits, after the Cache is dropped. Started once for the process, that would only be untidy;
// but NewShardsOrphan starts one per shard, and each call of NewShardsOrphan adds n more.
func (c *Cache) StartRefreshOrphan(f *Fetcher) {
	go func() {
		for {
			c.refresh(context.Background(), f)
			time.Sleep(time.Minute)
		}
	}()
}

// NewShardsOrphan returns n caches writing through to s, each refreshing itself from f.
//
// WRONG: each shard's refresh loop outlives the shard (see StartRefreshOrphan).
func NewShardsOrphan(n int, s *store.Client, f *Fetcher) []*Cache {
	shards := make([]*Cache, n)
	for i := range shards {
		shards[i] = NewCache(s)
		shards[i].StartRefreshOrphan(f)
	}
	return shards
}

// StartRefresh refreshes every cached value once a minute, in the background, until ctx is done.
//
// RIGHT: the loop returns when ctx is done, and the context passed to each fetch cancels a fetch in
// flight.
func (c *Cache) StartRefresh(ctx context.Context, f *Fetcher) {
	go func() {
		ticker := time.NewTicker(time.Minute)
		defer ticker.Stop()
		for {
			c.refresh(ctx, f)
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
			}
		}
	}()
}

// NewShards returns n caches writing through to s, each refreshing itself from f until ctx is done.
//
// RIGHT: cancelling ctx stops every shard's loop.
func NewShards(ctx context.Context, n int, s *store.Client, f *Fetcher) []*Cache {
	shards := make([]*Cache, n)
	for i := range shards {
		shards[i] = NewCache(s)
		shards[i].StartRefresh(ctx, f)
	}
	return shards
}

// refresh fetches the value of each cached key again; a key whose fetch fails keeps its old value.
func (c *Cache) refresh(ctx context.Context, f *Fetcher) {
	for _, k := range c.Keys() {
		if v, err := f.Fetch(ctx, k); err == nil {
			c.Set(k, v)
		}
	}
}
