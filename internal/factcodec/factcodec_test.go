package factcodec_test

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/conclint/conclint/internal/blocking"
	"github.com/conclint/conclint/internal/errclass"
	"github.com/conclint/conclint/internal/factcodec"
	"github.com/conclint/conclint/internal/locksummary"
)

// The facts that encode themselves with factcodec.
var facts = []analysis.Fact{new(locksummary.Summary), new(blocking.MayBlock), new(errclass.Class)}

// gobFact is what the runner writes: a fact behind an interface, in one stream with others.
type gobFact struct {
	PkgPath, ObjPath string
	Fact             analysis.Fact
}

// TestRoundTrip fills every field of each fact, at every depth, with random values (some empty), writes
// the facts through gob as the runner does and reads them back: each must come back equal. A field added
// to a fact and forgotten by its GobEncode fails here.
func TestRoundTrip(t *testing.T) {
	for _, f := range facts {
		gob.Register(f)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, f := range facts {
		t.Run(reflect.TypeOf(f).Elem().Name(), func(t *testing.T) {
			var want []gobFact
			for i := range 200 {
				v := reflect.New(reflect.TypeOf(f).Elem())
				fill(r, v.Elem(), i%4 == 0)
				want = append(want, gobFact{"p", fmt.Sprint(i), v.Interface().(analysis.Fact)})
			}
			var buf bytes.Buffer
			enc := gob.NewEncoder(&buf)
			for _, gf := range want {
				if err := enc.Encode(gf); err != nil {
					t.Fatal(err)
				}
			}
			dec := gob.NewDecoder(&buf)
			for _, w := range want {
				var got gobFact
				if err := dec.Decode(&got); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, normal(w)) {
					t.Fatalf("round trip of %#v:\ngot  %#v", w.Fact, got.Fact)
				}
			}
		})
	}
}

// TestFilled checks the test's own filler: a fact filled with sparse=false has no zero field left, so
// that TestRoundTrip cannot pass on fields it never set.
func TestFilled(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, f := range facts {
		v := reflect.New(reflect.TypeOf(f).Elem()).Elem()
		fill(r, v, false)
		if path := zeroField(v, reflect.TypeOf(f).Elem().Name()); path != "" {
			t.Errorf("fill left %s zero", path)
		}
	}
}

// TestMalformed checks that truncated data is an error, not a panic or a silently partial fact.
func TestMalformed(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, f := range facts {
		v := reflect.New(reflect.TypeOf(f).Elem())
		fill(r, v.Elem(), false)
		data, err := v.Interface().(gob.GobEncoder).GobEncode()
		if err != nil {
			t.Fatal(err)
		}
		for n := range len(data) {
			if err := reflect.New(v.Type().Elem()).Interface().(gob.GobDecoder).GobDecode(data[:n]); err == nil {
				t.Errorf("%T: decoding %d of %d bytes: no error", f, n, len(data))
			}
		}
		if err := reflect.New(v.Type().Elem()).Interface().(gob.GobDecoder).GobDecode(append(data, 0)); err == nil {
			t.Errorf("%T: decoding with a trailing byte: no error", f)
		}
	}
}

func TestDecoder(t *testing.T) {
	var e factcodec.Encoder
	e.Int(-7)
	e.Bool(true)
	e.String("héllo")
	e.Strings([]string{"a", "", "bc"})
	e.Strings(nil)
	d := factcodec.NewDecoder(e.Bytes())
	if i, b, s, l, n := d.Int(), d.Bool(), d.String(), d.Strings(), d.Strings(); i != -7 || !b || s != "héllo" || !reflect.DeepEqual(l, []string{"a", "", "bc"}) || n != nil {
		t.Errorf("decoded %v %v %q %q %v", i, b, s, l, n)
	}
	if err := d.Err(); err != nil {
		t.Error(err)
	}
	huge := factcodec.NewDecoder([]byte{0xff, 0xff, 0xff, 0xff, 0x0f, 'a'})
	if s := huge.Strings(); s != nil || huge.Err() == nil {
		t.Errorf("a list longer than its data: %q, %v", s, huge.Err())
	}
}

// fill sets every field of v, recursively, to a random value; when sparse, about half of the strings and
// lists are left empty.
func fill(r *rand.Rand, v reflect.Value, sparse bool) {
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			fill(r, v.Field(i), sparse)
		}
	case reflect.Slice:
		n := 1 + r.IntN(3)
		if sparse && r.IntN(2) == 0 {
			n = 0
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			fill(r, s.Index(i), sparse)
		}
		v.Set(s)
	case reflect.String:
		if !sparse || r.IntN(2) == 0 {
			v.SetString(fmt.Sprintf("s%d·%x", r.IntN(1000), r.Uint32()))
		}
	case reflect.Bool:
		v.SetBool(!sparse || r.IntN(2) == 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n := int64(r.IntN(200)) - 100
		if n == 0 {
			n = 1
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(1 + r.IntN(200)))
	default:
		panic(fmt.Sprintf("fill: unexpected kind %s", v.Kind()))
	}
}

// zeroField returns the path of a zero field in v, or "".
func zeroField(v reflect.Value, path string) string {
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if p := zeroField(v.Field(i), path+"."+v.Type().Field(i).Name); p != "" {
				return p
			}
		}
		return ""
	case reflect.Slice:
		if v.Len() == 0 {
			return path
		}
		for i := range v.Len() {
			if p := zeroField(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
		return ""
	}
	if v.IsZero() {
		return path
	}
	return ""
}

// normal returns gf as plain gob would decode it: empty slices nil.
func normal(gf gobFact) gobFact {
	v := reflect.New(reflect.TypeOf(gf.Fact).Elem())
	v.Elem().Set(reflect.ValueOf(gf.Fact).Elem())
	nilEmpty(v.Elem())
	gf.Fact = v.Interface().(analysis.Fact)
	return gf
}

func nilEmpty(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			nilEmpty(v.Field(i))
		}
	case reflect.Slice:
		if v.Len() == 0 {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		s := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(s, v)
		for i := range s.Len() {
			nilEmpty(s.Index(i))
		}
		v.Set(s)
	}
}
