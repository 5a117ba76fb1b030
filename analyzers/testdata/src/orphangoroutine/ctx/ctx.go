// Package ctx is checked with -orphangoroutine.ctx=true.
package ctx

import "context"

func work()                        {}
func workWith(ctx context.Context) {}

// reported with -orphangoroutine.ctx: the goroutine does not get ctx and is not waited for.
func Handle(ctx context.Context) {
	go work() // want `goroutine does not get the context.Context of Handle, which does not wait for it either: it escapes the caller's cancellation; pass ctx to it`
}

// ok: the goroutine gets ctx.
func HandleWith(ctx context.Context) {
	go workWith(ctx)
	go func() { workWith(ctx) }()
}

// ok: the function waits for the goroutine.
func HandleWait(ctx context.Context) {
	done := make(chan struct{})
	go func() {
		work()
		close(done)
	}()
	<-done
}
