package fields

import "sync"

func hash(i int) bool { return i%7 == 0 }

// A miner's workers report their hashes to a speed monitor, which returns when quit is closed (btcd's
// CPU miner). The sends are in solve; the workers that run it are counted by workerWg, and the controller
// closes quit only once they are all done. GenerateN, which solves blocks without workers, closes quit
// right after its last solve: every send comes before every close that can stop the monitor it sends to.

// ok: the controller waits for the workers, GenerateN closes after its last solve.
type miner struct {
	updates  chan int
	quit     chan struct{}
	stopAll  chan struct{}
	workerWg sync.WaitGroup
	peer     *miner
}

func newMiner() *miner {
	return &miner{updates: make(chan int), stopAll: make(chan struct{})}
}

func (m *miner) monitor() {
	total := 0
	for {
		select {
		case n := <-m.updates:
			total += n
		case <-m.quit:
			return
		}
	}
}

func (m *miner) solve(stop chan struct{}) bool {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return false
		default:
		}
		if hash(i) {
			m.updates <- i
			return true
		}
	}
}

func (m *miner) worker(stop chan struct{}) {
	for {
		select {
		case <-stop:
			m.workerWg.Done()
			return
		default:
		}
		m.solve(stop)
	}
}

func (m *miner) controller() {
	var workers []chan struct{}
	launch := func(n int) {
		for range n {
			stop := make(chan struct{})
			workers = append(workers, stop)
			m.workerWg.Add(1)
			go m.worker(stop)
		}
	}
	launch(4)
	<-m.stopAll
	for _, stop := range workers {
		close(stop)
	}
	m.workerWg.Wait()
	close(m.quit)
}

func (m *miner) Start() {
	m.quit = make(chan struct{})
	go m.monitor()
	go m.controller()
}

func (m *miner) Stop() { close(m.stopAll) }

func (m *miner) GenerateN(n int) {
	m.quit = make(chan struct{})
	go m.monitor()
	for i := 0; i < n; {
		if m.solve(nil) {
			i++
		}
	}
	close(m.quit)
}

// ok: the same with the workers marking themselves done in a defer.
type deferMiner struct {
	updates  chan int
	quit     chan struct{}
	stopAll  chan struct{}
	workerWg sync.WaitGroup
	peer     *deferMiner
}

func newDeferMiner() *deferMiner {
	return &deferMiner{updates: make(chan int), stopAll: make(chan struct{})}
}

func (m *deferMiner) monitor() {
	total := 0
	for {
		select {
		case n := <-m.updates:
			total += n
		case <-m.quit:
			return
		}
	}
}

func (m *deferMiner) solve(stop chan struct{}) bool {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return false
		default:
		}
		if hash(i) {
			m.updates <- i
			return true
		}
	}
}

func (m *deferMiner) worker(stop chan struct{}) {
	defer m.workerWg.Done()
	for {
		select {
		case <-stop:
			return
		default:
		}
		m.solve(stop)
	}
}

func (m *deferMiner) controller() {
	var workers []chan struct{}
	launch := func(n int) {
		for range n {
			stop := make(chan struct{})
			workers = append(workers, stop)
			m.workerWg.Add(1)
			go m.worker(stop)
		}
	}
	launch(4)
	<-m.stopAll
	for _, stop := range workers {
		close(stop)
	}
	m.workerWg.Wait()
	close(m.quit)
}

func (m *deferMiner) Start() {
	m.quit = make(chan struct{})
	go m.monitor()
	go m.controller()
}

func (m *deferMiner) Stop() { close(m.stopAll) }

func (m *deferMiner) GenerateN(n int) {
	m.quit = make(chan struct{})
	go m.monitor()
	for i := 0; i < n; {
		if m.solve(nil) {
			i++
		}
	}
	close(m.quit)
}

// reported: the controller closes quit without waiting for the workers, which can still be solving.
type noWaitMiner struct {
	updates  chan int
	quit     chan struct{}
	stopAll  chan struct{}
	workerWg sync.WaitGroup
	peer     *noWaitMiner
}

func newNoWaitMiner() *noWaitMiner {
	return &noWaitMiner{updates: make(chan int), stopAll: make(chan struct{})}
}

func (m *noWaitMiner) monitor() {
	total := 0
	for {
		select {
		case n := <-m.updates:
			total += n
		case <-m.quit:
			return
		}
	}
}

func (m *noWaitMiner) solve(stop chan struct{}) bool {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return false
		default:
		}
		if hash(i) {
			m.updates <- i // want `m.updates <- i blocks forever once monitor has returned on m.quit \(miner.go:\d+\); select on m.quit here too`
			return true
		}
	}
}

func (m *noWaitMiner) worker(stop chan struct{}) {
	for {
		select {
		case <-stop:
			m.workerWg.Done()
			return
		default:
		}
		m.solve(stop)
	}
}

func (m *noWaitMiner) controller() {
	var workers []chan struct{}
	launch := func(n int) {
		for range n {
			stop := make(chan struct{})
			workers = append(workers, stop)
			m.workerWg.Add(1)
			go m.worker(stop)
		}
	}
	launch(4)
	<-m.stopAll
	for _, stop := range workers {
		close(stop)
	}
	close(m.quit)
}

func (m *noWaitMiner) Start() {
	m.quit = make(chan struct{})
	go m.monitor()
	go m.controller()
}

func (m *noWaitMiner) Stop() { close(m.stopAll) }

func (m *noWaitMiner) GenerateN(n int) {
	m.quit = make(chan struct{})
	go m.monitor()
	for i := 0; i < n; {
		if m.solve(nil) {
			i++
		}
	}
	close(m.quit)
}

// reported: the workers mark themselves done before solving: the Wait does not wait for their sends.
type earlyMiner struct {
	updates  chan int
	quit     chan struct{}
	stopAll  chan struct{}
	workerWg sync.WaitGroup
	peer     *earlyMiner
}

func newEarlyMiner() *earlyMiner {
	return &earlyMiner{updates: make(chan int), stopAll: make(chan struct{})}
}

func (m *earlyMiner) monitor() {
	total := 0
	for {
		select {
		case n := <-m.updates:
			total += n
		case <-m.quit:
			return
		}
	}
}

func (m *earlyMiner) solve(stop chan struct{}) bool {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return false
		default:
		}
		if hash(i) {
			m.updates <- i // want `m.updates <- i blocks forever once monitor has returned on m.quit \(miner.go:\d+\); select on m.quit here too`
			return true
		}
	}
}

func (m *earlyMiner) worker(stop chan struct{}) {
	m.workerWg.Done()
	for {
		select {
		case <-stop:
			return
		default:
		}
		m.solve(stop)
	}
}

func (m *earlyMiner) controller() {
	var workers []chan struct{}
	launch := func(n int) {
		for range n {
			stop := make(chan struct{})
			workers = append(workers, stop)
			m.workerWg.Add(1)
			go m.worker(stop)
		}
	}
	launch(4)
	<-m.stopAll
	for _, stop := range workers {
		close(stop)
	}
	m.workerWg.Wait()
	close(m.quit)
}

func (m *earlyMiner) Start() {
	m.quit = make(chan struct{})
	go m.monitor()
	go m.controller()
}

func (m *earlyMiner) Stop() { close(m.stopAll) }

func (m *earlyMiner) GenerateN(n int) {
	m.quit = make(chan struct{})
	go m.monitor()
	for i := 0; i < n; {
		if m.solve(nil) {
			i++
		}
	}
	close(m.quit)
}

// reported: a worker is started without an Add: the count does not say when the workers are done.
type uncountedMiner struct {
	updates  chan int
	quit     chan struct{}
	stopAll  chan struct{}
	workerWg sync.WaitGroup
	peer     *uncountedMiner
}

func newUncountedMiner() *uncountedMiner {
	return &uncountedMiner{updates: make(chan int), stopAll: make(chan struct{})}
}

func (m *uncountedMiner) monitor() {
	total := 0
	for {
		select {
		case n := <-m.updates:
			total += n
		case <-m.quit:
			return
		}
	}
}

func (m *uncountedMiner) solve(stop chan struct{}) bool {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return false
		default:
		}
		if hash(i) {
			m.updates <- i // want `m.updates <- i blocks forever once monitor has returned on m.quit \(miner.go:\d+\); select on m.quit here too`
			return true
		}
	}
}

func (m *uncountedMiner) worker(stop chan struct{}) {
	for {
		select {
		case <-stop:
			m.workerWg.Done()
			return
		default:
		}
		m.solve(stop)
	}
}

func (m *uncountedMiner) controller() {
	var workers []chan struct{}
	launch := func(n int) {
		for range n {
			stop := make(chan struct{})
			workers = append(workers, stop)
			m.workerWg.Add(1)
			go m.worker(stop)
			go m.worker(stop) // not counted
		}
	}
	launch(4)
	<-m.stopAll
	for _, stop := range workers {
		close(stop)
	}
	m.workerWg.Wait()
	close(m.quit)
}

func (m *uncountedMiner) Start() {
	m.quit = make(chan struct{})
	go m.monitor()
	go m.controller()
}

func (m *uncountedMiner) Stop() { close(m.stopAll) }

func (m *uncountedMiner) GenerateN(n int) {
	m.quit = make(chan struct{})
	go m.monitor()
	for i := 0; i < n; {
		if m.solve(nil) {
			i++
		}
	}
	close(m.quit)
}

// reported: GenerateN solves once more after closing quit.
type flushMiner struct {
	updates  chan int
	quit     chan struct{}
	stopAll  chan struct{}
	workerWg sync.WaitGroup
	peer     *flushMiner
}

func newFlushMiner() *flushMiner {
	return &flushMiner{updates: make(chan int), stopAll: make(chan struct{})}
}

func (m *flushMiner) monitor() {
	total := 0
	for {
		select {
		case n := <-m.updates:
			total += n
		case <-m.quit:
			return
		}
	}
}

func (m *flushMiner) solve(stop chan struct{}) bool {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return false
		default:
		}
		if hash(i) {
			m.updates <- i // want `m.updates <- i blocks forever once monitor has returned on m.quit \(miner.go:\d+\); select on m.quit here too`
			return true
		}
	}
}

func (m *flushMiner) worker(stop chan struct{}) {
	for {
		select {
		case <-stop:
			m.workerWg.Done()
			return
		default:
		}
		m.solve(stop)
	}
}

func (m *flushMiner) controller() {
	var workers []chan struct{}
	launch := func(n int) {
		for range n {
			stop := make(chan struct{})
			workers = append(workers, stop)
			m.workerWg.Add(1)
			go m.worker(stop)
		}
	}
	launch(4)
	<-m.stopAll
	for _, stop := range workers {
		close(stop)
	}
	m.workerWg.Wait()
	close(m.quit)
}

func (m *flushMiner) Start() {
	m.quit = make(chan struct{})
	go m.monitor()
	go m.controller()
}

func (m *flushMiner) Stop() { close(m.stopAll) }

func (m *flushMiner) GenerateN(n int) {
	m.quit = make(chan struct{})
	go m.monitor()
	for i := 0; i < n; {
		if m.solve(nil) {
			i++
		}
	}
	close(m.quit)
	m.solve(nil) // one more after the close
}

// reported: Start does not make a new quit for its run: GenerateN's close may stop the monitor the workers send to.
type sharedQuitMiner struct {
	updates  chan int
	quit     chan struct{}
	stopAll  chan struct{}
	workerWg sync.WaitGroup
	peer     *sharedQuitMiner
}

func newSharedQuitMiner() *sharedQuitMiner {
	return &sharedQuitMiner{updates: make(chan int), quit: make(chan struct{}), stopAll: make(chan struct{})}
}

func (m *sharedQuitMiner) monitor() {
	total := 0
	for {
		select {
		case n := <-m.updates:
			total += n
		case <-m.quit:
			return
		}
	}
}

func (m *sharedQuitMiner) solve(stop chan struct{}) bool {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return false
		default:
		}
		if hash(i) {
			m.updates <- i // want `m.updates <- i blocks forever once monitor has returned on m.quit \(miner.go:\d+\); select on m.quit here too`
			return true
		}
	}
}

func (m *sharedQuitMiner) worker(stop chan struct{}) {
	for {
		select {
		case <-stop:
			m.workerWg.Done()
			return
		default:
		}
		m.solve(stop)
	}
}

func (m *sharedQuitMiner) controller() {
	var workers []chan struct{}
	launch := func(n int) {
		for range n {
			stop := make(chan struct{})
			workers = append(workers, stop)
			m.workerWg.Add(1)
			go m.worker(stop)
		}
	}
	launch(4)
	<-m.stopAll
	for _, stop := range workers {
		close(stop)
	}
	m.workerWg.Wait()
	close(m.quit)
}

func (m *sharedQuitMiner) Start() {
	go m.monitor()
	go m.controller()
}

func (m *sharedQuitMiner) Stop() { close(m.stopAll) }

func (m *sharedQuitMiner) GenerateN(n int) {
	m.quit = make(chan struct{})
	go m.monitor()
	for i := 0; i < n; {
		if m.solve(nil) {
			i++
		}
	}
	close(m.quit)
}

// reported: WorkerWg.Done is also called outside the workers.
type strayMiner struct {
	updates  chan int
	quit     chan struct{}
	stopAll  chan struct{}
	workerWg sync.WaitGroup
	peer     *strayMiner
}

func newStrayMiner() *strayMiner {
	return &strayMiner{updates: make(chan int), stopAll: make(chan struct{})}
}

func (m *strayMiner) monitor() {
	total := 0
	for {
		select {
		case n := <-m.updates:
			total += n
		case <-m.quit:
			return
		}
	}
}

func (m *strayMiner) solve(stop chan struct{}) bool {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return false
		default:
		}
		if hash(i) {
			m.updates <- i // want `m.updates <- i blocks forever once monitor has returned on m.quit \(miner.go:\d+\); select on m.quit here too`
			return true
		}
	}
}

func (m *strayMiner) worker(stop chan struct{}) {
	for {
		select {
		case <-stop:
			m.workerWg.Done()
			return
		default:
		}
		m.solve(stop)
	}
}

func (m *strayMiner) controller() {
	var workers []chan struct{}
	launch := func(n int) {
		for range n {
			stop := make(chan struct{})
			workers = append(workers, stop)
			m.workerWg.Add(1)
			go m.worker(stop)
		}
	}
	launch(4)
	<-m.stopAll
	for _, stop := range workers {
		close(stop)
	}
	m.workerWg.Wait()
	close(m.quit)
}

func (m *strayMiner) Start() {
	m.quit = make(chan struct{})
	go m.monitor()
	go m.controller()
}

func (m *strayMiner) Stop() { close(m.stopAll) }

func (m *strayMiner) GenerateN(n int) {
	m.quit = make(chan struct{})
	go m.monitor()
	for i := 0; i < n; {
		if m.solve(nil) {
			i++
		}
	}
	close(m.quit)
}

// Abort marks a worker done from outside: the count no longer says when the workers are done.
func (m *strayMiner) Abort() { m.workerWg.Done() }

// reported: the controller waits for another miner's workers.
type peerMiner struct {
	updates  chan int
	quit     chan struct{}
	stopAll  chan struct{}
	workerWg sync.WaitGroup
	peer     *peerMiner
}

func newPeerMiner() *peerMiner {
	return &peerMiner{updates: make(chan int), stopAll: make(chan struct{})}
}

func (m *peerMiner) monitor() {
	total := 0
	for {
		select {
		case n := <-m.updates:
			total += n
		case <-m.quit:
			return
		}
	}
}

func (m *peerMiner) solve(stop chan struct{}) bool {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return false
		default:
		}
		if hash(i) {
			m.updates <- i // want `m.updates <- i blocks forever once monitor has returned on m.quit \(miner.go:\d+\); select on m.quit here too`
			return true
		}
	}
}

func (m *peerMiner) worker(stop chan struct{}) {
	for {
		select {
		case <-stop:
			m.workerWg.Done()
			return
		default:
		}
		m.solve(stop)
	}
}

func (m *peerMiner) controller() {
	var workers []chan struct{}
	launch := func(n int) {
		for range n {
			stop := make(chan struct{})
			workers = append(workers, stop)
			m.workerWg.Add(1)
			go m.worker(stop)
		}
	}
	launch(4)
	<-m.stopAll
	for _, stop := range workers {
		close(stop)
	}
	m.peer.workerWg.Wait()
	close(m.quit)
}

func (m *peerMiner) Start() {
	m.quit = make(chan struct{})
	go m.monitor()
	go m.controller()
}

func (m *peerMiner) Stop() { close(m.stopAll) }

func (m *peerMiner) GenerateN(n int) {
	m.quit = make(chan struct{})
	go m.monitor()
	for i := 0; i < n; {
		if m.solve(nil) {
			i++
		}
	}
	close(m.quit)
}

// reported: an exported method solves outside any run of the monitor: no close comes after its sends.
type outsideMiner struct {
	updates  chan int
	quit     chan struct{}
	stopAll  chan struct{}
	workerWg sync.WaitGroup
	peer     *outsideMiner
}

func newOutsideMiner() *outsideMiner {
	return &outsideMiner{updates: make(chan int), stopAll: make(chan struct{})}
}

func (m *outsideMiner) monitor() {
	total := 0
	for {
		select {
		case n := <-m.updates:
			total += n
		case <-m.quit:
			return
		}
	}
}

func (m *outsideMiner) solve(stop chan struct{}) bool {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return false
		default:
		}
		if hash(i) {
			m.updates <- i // want `m.updates <- i blocks forever once monitor has returned on m.quit \(miner.go:\d+\); select on m.quit here too`
			return true
		}
	}
}

func (m *outsideMiner) worker(stop chan struct{}) {
	for {
		select {
		case <-stop:
			m.workerWg.Done()
			return
		default:
		}
		m.solve(stop)
	}
}

func (m *outsideMiner) controller() {
	var workers []chan struct{}
	launch := func(n int) {
		for range n {
			stop := make(chan struct{})
			workers = append(workers, stop)
			m.workerWg.Add(1)
			go m.worker(stop)
		}
	}
	launch(4)
	<-m.stopAll
	for _, stop := range workers {
		close(stop)
	}
	m.workerWg.Wait()
	close(m.quit)
}

func (m *outsideMiner) Start() {
	m.quit = make(chan struct{})
	go m.monitor()
	go m.controller()
}

func (m *outsideMiner) Stop() { close(m.stopAll) }

func (m *outsideMiner) GenerateN(n int) {
	m.quit = make(chan struct{})
	go m.monitor()
	for i := 0; i < n; {
		if m.solve(nil) {
			i++
		}
	}
	close(m.quit)
}

// SolveOne is called by other packages at any time, not only in a run of the monitor.
func (m *outsideMiner) SolveOne() bool { return m.solve(nil) }

// reported: solve is also used as a function value.
type valueMiner struct {
	updates  chan int
	quit     chan struct{}
	stopAll  chan struct{}
	workerWg sync.WaitGroup
	peer     *valueMiner
}

func newValueMiner() *valueMiner {
	return &valueMiner{updates: make(chan int), stopAll: make(chan struct{})}
}

func (m *valueMiner) monitor() {
	total := 0
	for {
		select {
		case n := <-m.updates:
			total += n
		case <-m.quit:
			return
		}
	}
}

func (m *valueMiner) solve(stop chan struct{}) bool {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return false
		default:
		}
		if hash(i) {
			m.updates <- i // want `m.updates <- i blocks forever once monitor has returned on m.quit \(miner.go:\d+\); select on m.quit here too`
			return true
		}
	}
}

func (m *valueMiner) worker(stop chan struct{}) {
	for {
		select {
		case <-stop:
			m.workerWg.Done()
			return
		default:
		}
		m.solve(stop)
	}
}

func (m *valueMiner) controller() {
	var workers []chan struct{}
	launch := func(n int) {
		for range n {
			stop := make(chan struct{})
			workers = append(workers, stop)
			m.workerWg.Add(1)
			go m.worker(stop)
		}
	}
	launch(4)
	<-m.stopAll
	for _, stop := range workers {
		close(stop)
	}
	m.workerWg.Wait()
	close(m.quit)
}

func (m *valueMiner) Start() {
	m.quit = make(chan struct{})
	go m.monitor()
	go m.controller()
}

func (m *valueMiner) Stop() { close(m.stopAll) }

func (m *valueMiner) GenerateN(n int) {
	m.quit = make(chan struct{})
	go m.monitor()
	for i := 0; i < n; {
		if m.solve(nil) {
			i++
		}
	}
	close(m.quit)
}

// solver hands solve out as a value: who calls it, and when, is not known.
func (m *valueMiner) solver() func(chan struct{}) bool { return m.solve }
