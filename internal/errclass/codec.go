package errclass

import "github.com/conclint/conclint/internal/factcodec"

// GobEncode encodes c compactly (see package factcodec): every field, in declaration order.
func (c *Class) GobEncode() ([]byte, error) {
	var e factcodec.Encoder
	e.Int(int(c.Kind))
	e.Int(c.Param)
	e.Strings(c.Sentinels)
	return e.Bytes(), nil
}

// GobDecode decodes what GobEncode wrote; empty Sentinels come back nil, as gob decodes them.
func (c *Class) GobDecode(data []byte) error {
	d := factcodec.NewDecoder(data)
	*c = Class{Kind: Kind(d.Int()), Param: d.Int(), Sentinels: d.Strings()}
	return d.Err()
}
