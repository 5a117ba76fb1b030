// Package store is a client for a toy key-value store reached over TCP. Its calls block on the network,
// which is what makes calling them with a mutex held a mistake (see ../lockblock.go).
package store

import (
	"fmt"
	"net"
)

// A Client is a connection to the store. A single Client may be used by several goroutines at once.
type Client struct {
	conn *net.TCPConn
}

// Dial connects to the store at addr, a "host:port" address.
func Dial(addr string) (*Client, error) {
	raddr, err := net.ResolveTCPAddr("tcp", addr)
	if err != nil {
		return nil, err
	}
	conn, err := net.DialTCP("tcp", nil, raddr)
	if err != nil {
		return nil, err
	}
	return &Client{conn: conn}, nil
}

// Save stores value under key. It blocks until the kernel has taken the whole record, which takes as
// long as the network and the store need when the socket buffer is full.
func (c *Client) Save(key string, value []byte) error {
	record := fmt.Appendf(nil, "SET %q %q\n", key, value)
	_, err := c.conn.Write(record)
	return err
}

// Close closes the connection.
func (c *Client) Close() error {
	return c.conn.Close()
}
