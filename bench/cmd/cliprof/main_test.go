package main

import (
	"slices"
	"testing"
)

func TestPatternsOf(t *testing.T) {
	for _, tc := range []struct {
		args, want []string
	}{
		{[]string{"-json", "./..."}, []string{"./..."}},
		{[]string{"-f", "json", "-lockblock", "a", "b"}, []string{"a", "b"}},
		{[]string{"--f", "sarif", "--tags=x", "std"}, []string{"std"}},
		{[]string{"-c", "2", "-sarif", "out.sarif", "p"}, []string{"p"}},
		{[]string{"-test=false", "--", "-odd"}, []string{"-odd"}},
		{[]string{"-json"}, nil},
	} {
		if got := patternsOf(tc.args); !slices.Equal(got, tc.want) {
			t.Errorf("patternsOf(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}
