// Package schema validates SARIF logs against the JSON schema of SARIF 2.1.0, for tests. It embeds the
// schema (see NOTICE.md for its origin and license) and implements the part of JSON Schema draft 4 that
// the schema uses: type, required, properties, additionalProperties, items, $ref to a definition, enum,
// minimum, maximum, minItems, uniqueItems, pattern, anyOf, oneOf and the uri and date-time formats.
package schema

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

//go:embed sarif-schema-2.1.0.json
var sarifSchema []byte

// Validate returns an error listing every place where the JSON document doc breaks the SARIF 2.1.0
// schema, or nil if it conforms.
func Validate(doc []byte) error {
	var root, instance any
	if err := json.Unmarshal(sarifSchema, &root); err != nil {
		return fmt.Errorf("schema: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(doc)))
	dec.UseNumber()
	if err := dec.Decode(&instance); err != nil {
		return fmt.Errorf("log: %v", err)
	}
	v := &validator{defs: root.(map[string]any)["definitions"].(map[string]any)}
	v.check("$", instance, root.(map[string]any))
	return errors.Join(v.errs...)
}

type validator struct {
	defs map[string]any
	errs []error
}

func (v *validator) errorf(path, format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
}

// check validates the value x at path against schema s.
func (v *validator) check(path string, x any, s map[string]any) {
	if ref, ok := s["$ref"].(string); ok {
		name, ok := strings.CutPrefix(ref, "#/definitions/")
		def, found := v.defs[name].(map[string]any)
		if !ok || !found {
			v.errorf(path, "schema: unresolved $ref %q", ref)
			return
		}
		v.check(path, x, def)
	}
	if t, ok := s["type"]; ok && !hasType(x, t) {
		v.errorf(path, "%s, want type %v", describe(x), t)
		return
	}
	if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return equal(e, x) }) {
		v.errorf(path, "%s is not one of %v", describe(x), enum)
	}
	for _, kw := range []string{"anyOf", "oneOf"} {
		alts, ok := s[kw].([]any)
		if !ok {
			continue
		}
		n := 0
		for _, alt := range alts {
			sub := &validator{defs: v.defs}
			sub.check(path, x, alt.(map[string]any))
			if len(sub.errs) == 0 {
				n++
			}
		}
		if n == 0 || kw == "oneOf" && n > 1 {
			v.errorf(path, "%s matches %d of the %d schemas of %s", describe(x), n, len(alts), kw)
		}
	}
	switch x := x.(type) {
	case map[string]any:
		v.checkObject(path, x, s)
	case []any:
		v.checkArray(path, x, s)
	case string:
		v.checkString(path, x, s)
	case json.Number:
		f, _ := x.Float64()
		if min, ok := s["minimum"].(float64); ok && f < min {
			v.errorf(path, "%v is less than the minimum %v", x, min)
		}
		if max, ok := s["maximum"].(float64); ok && f > max {
			v.errorf(path, "%v is more than the maximum %v", x, max)
		}
	}
}

func (v *validator) checkObject(path string, x map[string]any, s map[string]any) {
	if req, ok := s["required"].([]any); ok {
		for _, name := range req {
			if _, ok := x[name.(string)]; !ok {
				v.errorf(path, "missing required property %q", name)
			}
		}
	}
	props, _ := s["properties"].(map[string]any)
	for _, name := range sortedKeys(x) {
		p := path + "." + name
		if ps, ok := props[name].(map[string]any); ok {
			v.check(p, x[name], ps)
			continue
		}
		switch ap := s["additionalProperties"].(type) {
		case bool:
			if !ap {
				v.errorf(path, "property %q is not allowed", name)
			}
		case map[string]any:
			v.check(p, x[name], ap)
		}
	}
}

func (v *validator) checkArray(path string, x []any, s map[string]any) {
	if min, ok := s["minItems"].(float64); ok && float64(len(x)) < min {
		v.errorf(path, "%d items, want at least %v", len(x), min)
	}
	if unique, _ := s["uniqueItems"].(bool); unique {
		for i := range x {
			for j := range i {
				if equal(x[i], x[j]) {
					v.errorf(path, "items %d and %d are equal, but items must be unique", j, i)
				}
			}
		}
	}
	if items, ok := s["items"].(map[string]any); ok {
		for i, item := range x {
			v.check(fmt.Sprintf("%s[%d]", path, i), item, items)
		}
	}
}

func (v *validator) checkString(path, x string, s map[string]any) {
	if pat, ok := s["pattern"].(string); ok {
		re, err := regexp.Compile(pat)
		if err != nil {
			v.errorf(path, "schema: pattern %q: %v", pat, err)
		} else if !re.MatchString(x) {
			v.errorf(path, "%q does not match %q", x, pat)
		}
	}
	switch s["format"] {
	case "uri":
		if u, err := url.Parse(x); err != nil || !u.IsAbs() {
			v.errorf(path, "%q is not an absolute URI", x)
		}
	case "uri-reference":
		if _, err := url.Parse(x); err != nil {
			v.errorf(path, "%q is not a URI reference: %v", x, err)
		}
	case "date-time":
		if _, err := time.Parse(time.RFC3339, x); err != nil {
			v.errorf(path, "%q is not a date-time: %v", x, err)
		}
	}
}

// hasType reports whether x has the JSON type t, a name or a list of names.
func hasType(x any, t any) bool {
	if list, ok := t.([]any); ok {
		return slices.ContainsFunc(list, func(t any) bool { return hasType(x, t) })
	}
	switch t {
	case "object":
		_, ok := x.(map[string]any)
		return ok
	case "array":
		_, ok := x.([]any)
		return ok
	case "string":
		_, ok := x.(string)
		return ok
	case "boolean":
		_, ok := x.(bool)
		return ok
	case "null":
		return x == nil
	case "number":
		_, ok := x.(json.Number)
		return ok
	case "integer":
		n, ok := x.(json.Number)
		if !ok {
			return false
		}
		f, err := n.Float64()
		return err == nil && f == math.Trunc(f)
	}
	return false
}

// equal reports whether the JSON values a and b are equal; numbers from the schema are float64 and
// those from the log json.Number.
func equal(a, b any) bool {
	norm := func(x any) string {
		data, _ := json.Marshal(x)
		return string(data)
	}
	return norm(a) == norm(b)
}

func describe(x any) string {
	data, _ := json.Marshal(x)
	if len(data) > 60 {
		data = append(data[:57], "..."...)
	}
	return string(data)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
