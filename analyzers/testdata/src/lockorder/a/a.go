package a

import (
	"lockorder/dep"
	"sync"
)

// ---- within one function

type X struct{ mu sync.Mutex }
type Y struct{ mu sync.Mutex }

// reported: x.mu then y.mu, and later y.mu then x.mu, in one function.
func both(x *X, y *Y) {
	x.mu.Lock()
	y.mu.Lock()
	y.mu.Unlock()
	x.mu.Unlock()

	y.mu.Lock()
	x.mu.Lock() // want `x.mu acquired while y.mu is held \(both, a.go:21\), but elsewhere y.mu is acquired while x.mu is held \(both, a.go:16\): two goroutines taking these paths deadlock`
	x.mu.Unlock()
	y.mu.Unlock()
}

// ---- across two functions, through a call chain

type Server struct {
	mu   sync.Mutex
	peer *Peer
	n    int
}

type Peer struct {
	mu  sync.Mutex
	srv *Server
	q   []int
}

func (p *Peer) deliver(v int) {
	p.mu.Lock()
	p.q = append(p.q, v)
	p.mu.Unlock()
}

func (s *Server) handle() {
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
}

// notify holds s.mu while deliver locks p.mu.
func (s *Server) notify() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.peer.deliver(s.n) // ok: the cycle is reported once, at onMessage's call
}

// reported: holds p.mu while handle locks s.mu, the reverse of notify.
func (p *Peer) onMessage() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.srv.handle() // want `p.srv.mu acquired while p.mu is held \(Peer.onMessage → p.srv.handle, a.go:47\), but elsewhere s.peer.mu is acquired while s.mu is held \(Server.notify → s.peer.deliver, a.go:41\): two goroutines taking these paths deadlock`
}

// ---- through a callback set in the same package

type Bus struct {
	mu      sync.Mutex
	handler func()
	subs    int
}

type Store struct {
	mu  sync.Mutex
	bus *Bus
	n   int
}

// publish holds st.mu and locks the bus's.
func (st *Store) publish() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.bus.mu.Lock()
	st.bus.subs++
	st.bus.mu.Unlock()
}

// reported: the callback, a function literal set here, takes the bus's lock and then st.mu.
func (st *Store) subscribe() {
	st.bus.handler = func() {
		st.bus.mu.Lock()
		defer st.bus.mu.Unlock()
		st.mu.Lock() // want `st.mu acquired while st.bus.mu is held \(a func literal in Store.subscribe, a.go:\d+\), but elsewhere st.bus.mu is acquired while st.mu is held \(Store.publish, a.go:\d+\)`
		st.n++
		st.mu.Unlock()
	}
}

type Log struct {
	mu      sync.Mutex
	onWrite func()
}

type Index struct {
	mu  sync.Mutex
	log *Log
	n   int
}

func (ix *Index) add() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.log.mu.Lock()
	ix.log.mu.Unlock()
}

// silent: the callback is called through a function value: unknown, even if it is set to lock ix.mu.
func (l *Log) write() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.onWrite() // ok: a function value, unknown
}

func (ix *Index) watch() {
	ix.log.onWrite = func() {
		ix.mu.Lock() // ok: no lock held in the literal itself
		ix.n++
		ix.mu.Unlock()
	}
}

// ---- unknown calls

type notifier interface{ notify() }

type Room struct {
	mu sync.Mutex
	n  notifier
}

type Member struct {
	mu   sync.Mutex
	room *Room
}

func (r *Room) broadcast() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n.notify() // ok: an interface call, even if *Member implements it by locking m.mu
}

func (m *Member) notify() {
	m.mu.Lock()
	defer m.mu.Unlock()
}

func (m *Member) leave() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.room.mu.Lock() // ok: the reverse order goes through an interface call
	m.room.mu.Unlock()
}

// ---- consistent orders

type Outer struct {
	mu    sync.Mutex
	inner *Inner
}

type Inner struct{ mu sync.Mutex }

func (o *Outer) a() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.inner.mu.Lock() // ok: Outer then Inner everywhere
	o.inner.mu.Unlock()
}

func (o *Outer) b() {
	o.mu.Lock()
	o.inner.mu.Lock() // ok: the same order
	o.inner.mu.Unlock()
	o.mu.Unlock()
	o.inner.mu.Lock() // ok: o.mu released before
	o.inner.mu.Unlock()
}

// ---- TryLock

type P struct{ mu sync.Mutex }
type Q struct{ mu sync.Mutex }

func pq(p *P, q *Q) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if q.mu.TryLock() { // ok: a TryLock cannot block
		q.mu.Unlock()
	}
}

func qp(p *P, q *Q) {
	q.mu.Lock()
	defer q.mu.Unlock()
	p.mu.Lock() // ok: the reverse order is a TryLock
	p.mu.Unlock()
}

// ---- RWMutex modes

type Cache struct{ mu sync.RWMutex }
type Table struct{ mu sync.RWMutex }

// silent: both orders take only read locks.
func readCT(c *Cache, t *Table) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	t.mu.RLock() // ok: read locks do not exclude each other
	t.mu.RUnlock()
}

func readTC(c *Cache, t *Table) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	c.mu.RLock() // ok: read locks only
	c.mu.RUnlock()
}

type Meta struct{ mu sync.RWMutex }
type Data struct{ mu sync.RWMutex }

// reported with writeDM: each lock is requested for writing by one side and held by the other.
func writeMD(m *Meta, d *Data) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	d.mu.Lock() // ok: reported once, at writeDM
	d.mu.Unlock()
}

func writeDM(m *Meta, d *Data) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	m.mu.Lock() // want `m.mu acquired while d.mu is held for reading \(writeDM, a.go:\d+\), but elsewhere d.mu is acquired while m.mu is held for reading \(writeMD, a.go:\d+\)`
	m.mu.Unlock()
}

type Conf struct{ mu sync.RWMutex }
type Stat struct{ mu sync.RWMutex }

// silent: statConf read-locks c.mu, which confStat holds for reading: statConf is not blocked by it.
func confStat(c *Conf, s *Stat) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	s.mu.Lock() // ok: the other side only read-locks c.mu
	s.mu.Unlock()
}

func statConf(c *Conf, s *Stat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.mu.RLock() // ok: c.mu is only held for reading by confStat
	c.mu.RUnlock()
}

// ---- three classes

type A struct{ mu sync.Mutex }
type B struct{ mu sync.Mutex }
type C struct{ mu sync.Mutex }

func ab(a *A, b *B) {
	a.mu.Lock()
	defer a.mu.Unlock()
	b.mu.Lock() // ok: reported at ca
	b.mu.Unlock()
}

func bc(b *B, c *C) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c.mu.Lock() // ok: reported at ca
	c.mu.Unlock()
}

func ca(a *A, c *C) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a.mu.Lock() // want `a.mu acquired while c.mu is held \(ca, a.go:\d+\), but elsewhere b.mu is acquired while a.mu is held \(ab, a.go:\d+\) and c.mu acquired while b.mu is held \(bc, a.go:\d+\): three goroutines`
	a.mu.Unlock()
}

// ---- a package-level mutex

var registryMu sync.Mutex

type Plugin struct{ mu sync.Mutex }

func (pl *Plugin) register() {
	registryMu.Lock()
	defer registryMu.Unlock()
	pl.mu.Lock() // ok: reported at reload
	pl.mu.Unlock()
}

func (pl *Plugin) reload() {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	lockRegistry() // want `registryMu acquired while pl.mu is held \(Plugin.reload → lockRegistry, a.go:\d+\), but elsewhere pl.mu is acquired while registryMu is held \(Plugin.register, a.go:\d+\)`
}

func lockRegistry() {
	registryMu.Lock()
	registryMu.Unlock()
}

// ---- two instances of one class

type Account struct {
	mu  sync.Mutex
	id  int
	bal int
}

// reported: two parameters of one type locked in turn, and nothing orders them: transfer(x, y) and
// transfer(y, x) in two goroutines deadlock.
func transfer(from, to *Account, n int) {
	from.mu.Lock()
	defer from.mu.Unlock()
	to.mu.Lock() // want `to.mu acquired while from.mu is held: two instances of \(\*Account\).mu that nothing orders, so two goroutines calling transfer with from and to swapped deadlock`
	defer to.mu.Unlock()
	from.bal -= n
	to.bal += n
}

// silent: the instances are ordered by their ids.
func transferOrdered(from, to *Account, n int) {
	first, second := from, to
	if to.id < from.id {
		first, second = to, from
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock() // ok: ordered by a comparison of the ids
	defer second.mu.Unlock()
	from.bal -= n
	to.bal += n
}

// silent: a condition compares the two parameters, and each branch takes them in its order.
func transferBranches(a, b *Account, n int) {
	if a.id < b.id {
		a.mu.Lock()
		b.mu.Lock() // ok: ordered by the comparison
	} else {
		b.mu.Lock()
		a.mu.Lock() // ok: ordered by the comparison
	}
	a.bal -= n
	b.bal += n
	a.mu.Unlock()
	b.mu.Unlock()
}

type Node struct {
	mu     sync.Mutex
	parent *Node
	n      int
}

// silent: a node, then its parent: one class, ordered by the tree.
func (nd *Node) bump() {
	nd.mu.Lock()
	defer nd.mu.Unlock()
	nd.parent.mu.Lock() // ok: not two parameters; a parent after its child is an order the tree fixes
	nd.parent.n++
	nd.parent.mu.Unlock()
}

// silent: two read locks of one class do not exclude each other.
func sum(a, b *Cache) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	b.mu.RLock() // ok: read locks
	b.mu.RUnlock()
}

// ---- identity trap: an unrelated type with Lock and Unlock methods

type fakeLock struct{}

func (fakeLock) Lock()   {}
func (fakeLock) Unlock() {}

type F struct{ mu fakeLock }
type G struct{ mu fakeLock }

func fg(f *F, g *G) {
	f.mu.Lock()
	g.mu.Lock() // ok: not a sync lock
	g.mu.Unlock()
	f.mu.Unlock()
}

func gf(f *F, g *G) {
	g.mu.Lock()
	f.mu.Lock() // ok: not a sync lock
	f.mu.Unlock()
	g.mu.Unlock()
}

// ---- across packages

// reported: holds c.Mu while Register locks h.Mu; dep's Broadcast takes them in the other order.
func register(h *dep.Hub, c *dep.Conn) {
	c.Mu.Lock()
	defer c.Mu.Unlock()
	h.Register(c) // want `h.Mu acquired while c.Mu is held \(register → h.Register, dep.go:33\), but elsewhere \(\*dep.Conn\).Mu is acquired while \(\*dep.Hub\).Mu is held \(dep.Hub.Broadcast → c.Send, dep.go:19\)`
}

// silent: the Queue/Item cycle closes in dep, which reports it; this order adds nothing.
func push(q *dep.Queue, it *dep.Item) {
	q.Mu.Lock()
	defer q.Mu.Unlock()
	it.Mu.Lock() // ok: the cycle is dep's
	it.Mu.Unlock()
}

// ---- suppressed

type K struct{ mu sync.Mutex }
type L struct{ mu sync.Mutex }

func kl(k *K, l *L) {
	k.mu.Lock()
	defer k.mu.Unlock()
	l.mu.Lock() // ok: reported at lk, where it is suppressed
	l.mu.Unlock()
}

func lk(k *K, l *L) {
	l.mu.Lock()
	defer l.mu.Unlock()
	//conclint:ignore lockorder lk runs only at startup, before any goroutine calls kl
	k.mu.Lock()
	k.mu.Unlock()
}

// ---- a function whose lock state is lost

type X2 struct{ mu sync.Mutex }
type Y2 struct{ mu sync.Mutex }

func xy(x *X2, y *Y2) {
	x.mu.Lock()
	defer x.mu.Unlock()
	y.mu.Lock() // ok: the reverse order is in a function whose state is lost
	y.mu.Unlock()
}

// silent: an Unlock the analysis cannot match to a lock: what the function holds may be wrong.
func yxLost(x *X2, y *Y2, held map[string]*sync.Mutex) {
	y.mu.Lock()
	held["y"].Unlock()
	x.mu.Lock() // ok: the lock state is lost at the Unlock above
	x.mu.Unlock()
	y.mu.Unlock()
}
