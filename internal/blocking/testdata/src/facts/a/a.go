package a

import "facts/dep"

// The fact crosses the package boundary.
func Use(c *dep.Client) { c.Send(nil) } // want Use:`mayBlock\(net.Conn.Write\)`

// No fact: the callee does not block.
func Fast() { dep.Quick(nil) }
