// Package dep has helpers whose blocking is known to callers in other packages only through facts.
package dep

import (
	"net"
	"time"
)

type Client struct {
	conn net.Conn
}

// Flush blocks on the network.
func (c *Client) Flush(b []byte) error {
	_, err := c.conn.Write(b)
	return err
}

// Send blocks through a chain: Send → c.Flush → net.Conn.Write.
func (c *Client) Send(b []byte) error {
	return c.Flush(b)
}

// Backoff sleeps.
func Backoff() { time.Sleep(time.Millisecond) }

// Quick does not block.
func Quick(b []byte) int { return len(b) }

// Notify cannot block: its send is a case of a select with a default.
func Notify(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// Spawn starts a goroutine that blocks, but does not block itself.
func Spawn(ch chan int) {
	go func() { ch <- 1 }()
}
