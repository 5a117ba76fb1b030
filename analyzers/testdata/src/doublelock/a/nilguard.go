package a

import "sync"

// An ACME client whose post signs with the account key looked up under cacheMu only when its caller passes
// no key (golang.org/x/crypto/acme's postNoRetry, forked in tailscale): a caller that passes c.key does not
// reach the lookup.
type acmeClient struct {
	cacheMu sync.Mutex
	key     *int
	kid     string
}

func (c *acmeClient) accountKID() string {
	c.cacheMu.Lock()
	defer c.cacheMu.Unlock()
	return c.kid
}

func (c *acmeClient) post(key *int, body string) string {
	kid := ""
	if key == nil {
		if c.key == nil {
			return "no key"
		}
		key = c.key
		kid = c.accountKID()
	}
	return kid + body
}

// ok: register passes its own key: post does not look up the account under cacheMu.
func (c *acmeClient) register() string {
	c.cacheMu.Lock()
	defer c.cacheMu.Unlock()
	return c.post(c.key, "new-account")
}

// reported: nil makes post look the account up under the cacheMu that register holds.
func (c *acmeClient) registerWithoutKey() string {
	c.cacheMu.Lock()
	defer c.cacheMu.Unlock()
	return c.post(nil, "new-account") // want `c.cacheMu locked again through c.post → c.accountKID \(nilguard.go:15\) while already held`
}
