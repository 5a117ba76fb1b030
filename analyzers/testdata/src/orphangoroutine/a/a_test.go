package a

import "testing"

// ok: tests are checked only with -orphangoroutine.tests.
func TestForgets(t *testing.T) {
	go refresh()
}

// ok: in a test; the call does not count as one more Cache made (newCache has two others).
func TestCache(t *testing.T) {
	newCache()
}

// ok: in a test; and the call does not count as one more IPCache made.
func TestIPCache(t *testing.T) {
	newIPCache()
}

// ok: tests are checked only with -orphangoroutine.tests.
func TestLoops(t *testing.T) {
	for i := 0; i < 2; i++ {
		go spin()
	}
}

// ok: two tests run the agent: not evidence that the program starts its loop more than once.
func TestAgent(t *testing.T) {
	RunAgent()
}

func TestAgentAgain(t *testing.T) {
	RunAgent()
}
