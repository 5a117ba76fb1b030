package a

import (
	"io"
	"net"
	"os"
	"sync"
)

// ok: the two directions of a relay (sing-box's SSH agent forwarding): either copy ends when a side
// closes or fails, and that end is all the relay has to tell.
func forward(channel io.ReadWriteCloser, conn net.Conn) {
	defer channel.Close()
	defer conn.Close()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		io.Copy(conn, channel)
	}()
	go func() {
		defer wg.Done()
		io.Copy(channel, conn)
	}()
	wg.Wait()
}

// ok: one direction in a goroutine, the other in the function itself.
func pipe(a, b net.Conn) {
	go func() {
		io.Copy(a, b)
	}()
	io.Copy(b, a)
}

// reported: a one-way copy: its failure is the download's, and nothing else tells it.
func download(dst *os.File, src net.Conn, done chan struct{}) {
	go func() {
		defer close(done)
		io.Copy(dst, src) // want `goroutine discards the error returned by io.Copy`
	}()
}

// reported: the other copy is between other ends: not a relay.
func mirror(a, b, c net.Conn) {
	go func() {
		io.Copy(a, b) // want `goroutine discards the error returned by io.Copy`
	}()
	io.Copy(c, a)
}
