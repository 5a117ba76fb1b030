package locksummary

import (
	"github.com/conclint/conclint/internal/boolguard"
	"github.com/conclint/conclint/internal/factcodec"
)

// GobEncode encodes s compactly (see package factcodec): every field, in declaration order.
func (s *Summary) GobEncode() ([]byte, error) {
	var e factcodec.Encoder
	e.Len(len(s.Acquires))
	for _, a := range s.Acquires {
		encodeLock(&e, a.Lock)
		e.String(a.At)
		e.Strings(a.Via)
		e.Int(int(a.Guard))
	}
	encodeLocks(&e, s.Holds)
	encodeLocks(&e, s.Releases)
	e.Len(len(s.Order))
	for _, o := range s.Order {
		e.String(o.Held)
		e.String(o.Acquired)
		e.String(o.At)
		e.Strings(o.Via)
		e.Bool(o.HeldRead)
		e.Bool(o.Read)
	}
	return e.Bytes(), nil
}

// GobDecode decodes what GobEncode wrote; empty lists come back nil, as gob decodes them.
func (s *Summary) GobDecode(data []byte) error {
	d := factcodec.NewDecoder(data)
	*s = Summary{}
	if n := d.Len(); n > 0 {
		s.Acquires = make([]Acquire, n)
		for i := range s.Acquires {
			a := &s.Acquires[i]
			a.Lock = decodeLock(d)
			a.At = d.String()
			a.Via = d.Strings()
			a.Guard = boolguard.Guard(d.Int())
		}
	}
	s.Holds = decodeLocks(d)
	s.Releases = decodeLocks(d)
	if n := d.Len(); n > 0 {
		s.Order = make([]Order, n)
		for i := range s.Order {
			o := &s.Order[i]
			o.Held = d.String()
			o.Acquired = d.String()
			o.At = d.String()
			o.Via = d.Strings()
			o.HeldRead = d.Bool()
			o.Read = d.Bool()
		}
	}
	return d.Err()
}

func encodeLock(e *factcodec.Encoder, l Lock) {
	e.Int(l.Param)
	e.String(l.Path)
	e.String(l.Class)
	e.Bool(l.Read)
}

func decodeLock(d *factcodec.Decoder) Lock {
	return Lock{Param: d.Int(), Path: d.String(), Class: d.String(), Read: d.Bool()}
}

func encodeLocks(e *factcodec.Encoder, list []Lock) {
	e.Len(len(list))
	for _, l := range list {
		encodeLock(e, l)
	}
}

func decodeLocks(d *factcodec.Decoder) []Lock {
	n := d.Len()
	if n == 0 {
		return nil
	}
	list := make([]Lock, n)
	for i := range list {
		list[i] = decodeLock(d)
	}
	return list
}
