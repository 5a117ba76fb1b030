// Package factcodec encodes conclint's facts in a compact binary form, for their GobEncode and GobDecode
// methods. The runner writes the facts of a package, and those of every dependency it can name, in one gob
// stream per package, read again by every package that imports it: with a decoder per stream, gob compiles
// its decoder for each struct type of a fact in every stream it reads, which cost more than the facts
// themselves. A fact that encodes itself is one opaque value to gob.
//
// The encoding only has to be read by the binary that wrote it: the result cache is salted with the
// binary's identity. Decoding is as gob's: an empty slice or string comes back as nil or "".
package factcodec

import (
	"encoding/binary"
	"errors"
)

// An Encoder appends values to a byte slice.
type Encoder struct{ buf []byte }

// Bytes returns the encoded values.
func (e *Encoder) Bytes() []byte { return e.buf }

// Int appends v.
func (e *Encoder) Int(v int) { e.buf = binary.AppendVarint(e.buf, int64(v)) }

// Bool appends v.
func (e *Encoder) Bool(v bool) {
	b := byte(0)
	if v {
		b = 1
	}
	e.buf = append(e.buf, b)
}

// String appends s.
func (e *Encoder) String(s string) {
	e.buf = binary.AppendUvarint(e.buf, uint64(len(s)))
	e.buf = append(e.buf, s...)
}

// Strings appends list.
func (e *Encoder) Strings(list []string) {
	e.Len(len(list))
	for _, s := range list {
		e.String(s)
	}
}

// Len appends the length of a list whose elements follow.
func (e *Encoder) Len(n int) { e.buf = binary.AppendUvarint(e.buf, uint64(n)) }

// A Decoder reads the values an Encoder wrote, in the same order. After the first error every value is
// zero and Err reports it.
type Decoder struct {
	buf []byte
	err error
}

// NewDecoder returns a Decoder of data.
func NewDecoder(data []byte) *Decoder { return &Decoder{buf: data} }

var errShort = errors.New("factcodec: truncated or malformed fact")

// Err returns the first error, or an error if data is left unread.
func (d *Decoder) Err() error {
	if d.err == nil && len(d.buf) > 0 {
		return errors.New("factcodec: trailing data after fact")
	}
	return d.err
}

func (d *Decoder) fail() { d.err, d.buf = errShort, nil }

// Int reads an int.
func (d *Decoder) Int() int {
	v, n := binary.Varint(d.buf)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.buf = d.buf[n:]
	return int(v)
}

// Bool reads a bool.
func (d *Decoder) Bool() bool {
	if len(d.buf) == 0 || d.buf[0] > 1 {
		d.fail()
		return false
	}
	b := d.buf[0] == 1
	d.buf = d.buf[1:]
	return b
}

// Len reads the length of a list, at most the number of bytes left (each element takes one at least).
func (d *Decoder) Len() int {
	v, n := binary.Uvarint(d.buf)
	if n <= 0 || v > uint64(len(d.buf)-n) {
		d.fail()
		return 0
	}
	d.buf = d.buf[n:]
	return int(v)
}

// String reads a string.
func (d *Decoder) String() string {
	n := d.Len()
	if n > len(d.buf) {
		d.fail()
		return ""
	}
	s := string(d.buf[:n])
	d.buf = d.buf[n:]
	return s
}

// Strings reads a list of strings: nil when it is empty.
func (d *Decoder) Strings() []string {
	n := d.Len()
	if n == 0 {
		return nil
	}
	list := make([]string, n)
	for i := range list {
		list[i] = d.String()
	}
	return list
}
