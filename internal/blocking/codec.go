package blocking

import (
	"github.com/conclint/conclint/internal/boolguard"
	"github.com/conclint/conclint/internal/factcodec"
)

// GobEncode encodes m compactly (see package factcodec): every field, in declaration order.
func (m *MayBlock) GobEncode() ([]byte, error) {
	var e factcodec.Encoder
	e.String(string(m.Kind))
	e.String(m.Op)
	e.Strings(m.Via)
	e.Int(int(m.Guard))
	return e.Bytes(), nil
}

// GobDecode decodes what GobEncode wrote; an empty Via comes back nil, as gob decodes it.
func (m *MayBlock) GobDecode(data []byte) error {
	d := factcodec.NewDecoder(data)
	*m = MayBlock{Kind: Kind(d.String()), Op: d.String(), Via: d.Strings(), Guard: boolguard.Guard(d.Int())}
	return d.Err()
}
