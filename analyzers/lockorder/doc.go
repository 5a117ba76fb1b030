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
// summaries of its dependencies). It reports each cycle of two or three classes once, in the package
// whose acquisition closes it, with both orders and their call chains. A cycle of an RWMutex is reported
// only when every lock on it is requested or held for writing by one of the two sides: read locks alone
// do not exclude each other.
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
// (by one while the other holds it for reading), when a function has an Unlock that the analysis cannot match to a lock, in _test.go files, and for
// two instances of one class taken in turn (a.mu then b.mu of one type): that order may be fixed by a
// comparison of the instances, by a tree or list structure, which the analyzer does not see, so such
// pairs are not reported.
// Suppress a justified finding with //conclint:ignore lockorder <reason>.
package lockorder
