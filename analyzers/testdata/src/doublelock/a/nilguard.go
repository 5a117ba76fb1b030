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

// postRetry passes its key on to post: it looks the account up only when its caller passes no key.
func (c *acmeClient) postRetry(key *int, body string) string {
	for i := 0; i < 3; i++ {
		if r := c.post(key, body); r != "" {
			return r
		}
	}
	return ""
}

// ok: through postRetry, which passes the key on, the same holds.
func (c *acmeClient) registerRetry() string {
	c.cacheMu.Lock()
	defer c.cacheMu.Unlock()
	return c.postRetry(c.key, "new-account")
}

// reported: nil passed through postRetry reaches the lookup.
func (c *acmeClient) registerRetryWithoutKey() string {
	c.cacheMu.Lock()
	defer c.cacheMu.Unlock()
	return c.postRetry(nil, "new-account") // want `c.cacheMu locked again through c.postRetry → c.post → c.accountKID \(nilguard.go:15\) while already held`
}

// reported: nil makes post look the account up under the cacheMu that register holds.
func (c *acmeClient) registerWithoutKey() string {
	c.cacheMu.Lock()
	defer c.cacheMu.Unlock()
	return c.post(nil, "new-account") // want `c.cacheMu locked again through c.post → c.accountKID \(nilguard.go:15\) while already held`
}
