package callers

import "testing"

// ok: in a test; the call does not count as one more Cache made (newCache has two others).
func TestCache(t *testing.T) {
	newCache()
}

// ok: in a test; and the call does not count as one more IPCache made.
func TestIPCache(t *testing.T) {
	newIPCache()
}

// ok: two tests run the agent: not evidence that the program starts its loop more than once.
func TestAgent(t *testing.T) {
	RunAgent()
}

func TestAgentAgain(t *testing.T) {
	RunAgent()
}
