// Package lockorder defines an Analyzer that reports two locks taken in opposite orders (an AB-BA
// deadlock), across functions and packages.
//
// # Analyzer lockorder
//
// lockorder: report locks acquired in opposite orders (AB-BA deadlock)
//
// A goroutine that holds lock A and waits for lock B, while another holds B and waits for A, deadlocks
// both. The analyzer builds the lock-order graph of the package over lock classes (a field of a type, such
// as (*Server).mu, or a package-level variable): an edge for every acquisition of a lock while another is
// held, in the same function or through a chain of calls, in this package or another (from the lock
// summaries of its dependencies). With -lockorder.cycles (off by default: reviewers judged none of the
// two cycles on the corpus real; one's two paths ran on one goroutine) it reports each cycle of two or
// three classes once, in the package whose acquisition closes it, with both orders and their call chains.
// A cycle of an RWMutex is reported only when every lock on it is requested or held for writing by one of
// the two sides: read locks alone do not exclude each other. A lock reached through an element of a
// collection (b.buf[i].reset() locking the element's mu) adds no edge: which instance it is, and so
// whether the other order can hold it, is unknown. Two instances of one class are a cycle of that class
// with itself: by default, the analyzer reports a function that locks the same mutex of two of its parameters of one type in turn
// (from.mu, then to.mu, in a transfer) when no condition of the function compares the two, since two
// goroutines calling it with the arguments swapped deadlock.
//
// WRONG:
//
//	func (s *Server) notify() {
//		s.mu.Lock()
//		defer s.mu.Unlock()
//		s.peer.deliver() // locks p.mu while s.mu is held
//	}
//
//	func (p *Peer) onMessage() {
//		p.mu.Lock()
//		defer p.mu.Unlock()
//		p.srv.handle() // locks s.mu while p.mu is held: the opposite order
//	}
//
// RIGHT:
//
//	func (p *Peer) onMessage() {
//		p.mu.Lock()
//		msg := p.next()
//		p.mu.Unlock()
//		p.srv.handle(msg) // s.mu taken after p.mu is released: one order everywhere
//	}
//
// To avoid false positives, the analyzer is silent when the orders are consistent everywhere, when a
// path goes through a call it cannot resolve (an interface method or a function value), when the second
// acquisition is a TryLock (it cannot block), when a lock of the cycle is read-locked by both goroutines
// (by one while the other holds it for reading), when a function has an Unlock that the analysis cannot
// match to a lock, in _test.go files, and, for two instances of one class, when a condition of the
// function mentions both (a comparison of ids or addresses may order them) and when they are not two
// parameters of the function (a node and its parent, the elements of a list, values ordered by the
// caller): those orders may be fixed where the analyzer does not see them; and when the function is
// unexported and every one of its calls in the package holds a lock of one same other class (a merge
// under the group's lock): the calls are serialized.
// Suppress a justified finding with //conclint:ignore lockorder <reason>.
package lockorder
