package a

import "facts/dep"

// The fact crosses the package boundary.
func Use(c *dep.Client) { c.Send(nil) } // want Use:`mayBlock\(net.Conn.Write\)`

// No fact: the callee does not block.
func Fast() { dep.Quick(nil) }

// No fact: the guarded fact crosses the package boundary, and the call passes false.
func NoFlush(c *dep.Client) { c.MaybeFlush(false) }

// The call passes true.
func Flush(c *dep.Client) { c.MaybeFlush(true) } // want Flush:`mayBlock\(net.Conn.Write\)`
