package schema

import (
	"strings"
	"testing"
)

// The validator accepts a minimal log and rejects logs that break the schema in each way it checks.
func TestValidate(t *testing.T) {
	const valid = `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
		{"ruleId": "r", "message": {"text": "m"}, "locations": [{"physicalLocation": {
			"artifactLocation": {"uri": "a.go", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 1}}}]}]}]}`
	if err := Validate([]byte(valid)); err != nil {
		t.Errorf("valid log: %v", err)
	}
	for _, tc := range []struct{ log, want string }{
		{`{"version": "2.1.0"}`, `$: missing required property "runs"`},
		{`{"version": "2.0.0", "runs": []}`, `$.version: "2.0.0" is not one of [2.1.0]`},
		{`{"version": "2.1.0", "runs": [{}]}`, `$.runs[0]: missing required property "tool"`},
		{`{"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}`, `$.runs[0].tool.driver: missing required property "name"`},
		{`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{}]}]}`, `$.runs[0].results[0]: missing required property "message"`},
		{`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {}}]}]}`, `$.runs[0].results[0].message: {} matches 0 of the 2 schemas of anyOf`},
		{`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "colour": 1}]}]}`, `$.runs[0].results[0]: property "colour" is not allowed`},
		{`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a"}, "region": {"startLine": 0}}}]}]}]}`, `startLine: 0 is less than the minimum 1`},
		{`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "fatal"}]}]}`, `$.runs[0].results[0].level: "fatal" is not one of`},
		{`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x", "informationUri": "not a uri"}}}]}`, `$.runs[0].tool.driver.informationUri: "not a uri" is not an absolute URI`},
		{`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x", "rules": [{"id": "a"}, {"id": "a"}]}}}]}`, `items 0 and 1 are equal`},
		{`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": 1}}}]}`, `$.runs[0].tool.driver.name: 1, want type string`},
	} {
		err := Validate([]byte(tc.log))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\nerror %v\nwant %q", tc.log, err, tc.want)
		}
	}
}
