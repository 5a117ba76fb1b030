// Package example is a tiny caching proxy written with each concurrency mistake conclint looks for next to
// its correct form. It compiles and is go vet clean; conclint is not, on purpose. Each file holds one
// mistake, and the comment on each function says whether it is wrong or right and why:
//
//   - lostgoerr.go: an error returned in a goroutine, or by errgroup's Wait, that nobody looks at
//     (analyzer goroutineerr)
//   - orphan.go: a goroutine that nobody waits for, and a loop that nothing can stop, started once per
//     shard (analyzer orphangoroutine)
//   - lockblock.go: a blocking call, such as time.Sleep, a channel send or network I/O in package store,
//     made while a mutex is held (analyzer lockblock)
//   - sharedcounter.go: a counter and a map written by goroutines started in a loop, without
//     synchronization (analyzer sharedcounter)
//   - doublelock.go: a mutex locked again, through a call, by the goroutine that holds it (analyzer
//     doublelock)
//   - lockorder.go: two mutexes taken in opposite orders by two methods, through calls (analyzer
//     lockorder)
//   - lostunlock.go: a return that leaves a mutex locked while the other path unlocks it (analyzer
//     lostunlock, with -lostunlock.returns)
//   - chanleak.go: a goroutine blocked forever sending on an unbuffered channel that the receiver
//     abandoned after a timeout (analyzer chanleak)
//   - closemisuse.go: a channel closed by its receiver on the first error while goroutines started in a
//     loop may still send on it, so their send panics (analyzer closemisuse)
//   - wgmisuse.go: a goroutine that returns early without wg.Done, so wg.Wait never returns
//     (analyzer wgmisuse)
//   - directive.go: a finding silenced with //conclint:ignore, and a mistyped directive that silences
//     nothing (analyzer ignoredirective)
//
// cache.go holds the domain types: a Cache, the Fetcher that fills it from an upstream HTTP server, and
// the Server that serves it. Package store is a client for a key-value store reached over TCP.
//
// From the root of the repository, run conclint on it with
//
//	go run ./cmd/conclint ./testdata/example/...
package example
