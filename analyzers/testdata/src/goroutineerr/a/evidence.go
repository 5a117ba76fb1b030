package a

import "errors"

type record struct {
	config []byte
	err    error
}

type echCache struct{ rec *record }

func lookup(domain string) ([]byte, error) {
	if domain == "" {
		return nil, errors.New("no domain")
	}
	return []byte(domain), nil
}

// refresh returns a cached record's error first, where the check just before makes it nil, and the
// lookup's error after (xray's ECHConfigCache.Update): the message names the lookup's failure.
func (c *echCache) refresh(domain string) ([]byte, error) {
	if c.rec != nil && c.rec.err == nil {
		return c.rec.config, c.rec.err
	}
	config, err := lookup(domain)
	if err != nil {
		return nil, err
	}
	c.rec = &record{config: config}
	return config, nil
}

// validate returns a stored error first, a call's next, and a new error last: the new error is named.
func (c *echCache) validate(domain string) error {
	if c.rec != nil {
		return c.rec.err
	}
	if _, err := lookup(domain); err != nil {
		return err
	}
	return errors.New("not cached")
}

// reported: the message points at the return that carries a failure.
func refreshInBackground(c *echCache, domain string) {
	go c.refresh(domain)  // want `error returned by c.refresh \(it fails at evidence.go:27 when lookup fails\) is discarded`
	go c.validate(domain) // want `error returned by c.validate \(it fails at evidence.go:41\) is discarded`
}
