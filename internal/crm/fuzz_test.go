package crm

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var placeholder = regexp.MustCompile(`\$(\d+)`)

// highestPlaceholder returns the largest $n in sql, which must equal the number of arguments.
func highestPlaceholder(sql string) int {
	high := 0
	for _, m := range placeholder.FindAllStringSubmatch(sql, -1) {
		if n, _ := strconv.Atoi(m[1]); n > high {
			high = n
		}
	}
	return high
}

// FuzzSearchRequest feeds arbitrary bodies to the search parser and compiler: neither may
// panic, and whatever compiles must carry every value as a parameter — placeholders up to
// the number of arguments, and no quoted literal but the LIKE escape.
func FuzzSearchRequest(f *testing.F) {
	seeds := []string{
		`{}`,
		`{"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ","value":"a@b.c"}]}],"sorts":["-createdate"],"limit":100}`,
		`{"filterGroups":[{"filters":[{"propertyName":"createdate","operator":"BETWEEN","value":"1579514400000","highValue":"2026-01-01"}]}]}`,
		`{"filterGroups":[{"filters":[{"propertyName":"hs_language","operator":"IN","values":["fr","de"]}]},{"filters":[{"propertyName":"associations.deal","operator":"EQ","value":"12"}]}]}`,
		`{"filterGroups":[{"filters":[{"propertyName":"email","operator":"CONTAINS_TOKEN","value":"*@x.com"}]}],"query":"ada","after":"20"}`,
		`{"sorts":[{"propertyName":"lastname","direction":"DESCENDING"}],"properties":["email"],"after":9}`,
		`{"filterGroups":[{"filters":[{"propertyName":"hs_object_id","operator":"GT","value":5}]}]}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	types := NewRegistry()
	contacts, _ := types.Lookup("contacts")
	sch := Schema{ObjectType: contacts, Custom: []Property{{Name: "score", Type: Number, Custom: true, Label: Labels{En: "Score"}}}}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := ParseSearchRequest(body)
		if err != nil {
			return
		}
		c, err := compileSearch(types, sch, 1, req)
		if err != nil {
			return
		}
		sql := c.where + " " + c.orderBy + c.joins
		if n := highestPlaceholder(sql); n != len(c.q.args) {
			t.Fatalf("placeholders up to $%d for %d arguments in %s", n, len(c.q.args), sql)
		}
		// The only literal the compiler writes is the LIKE escape character: any other quote
		// would mean an operand reached the SQL text.
		if strings.Count(sql, "'") != 2*strings.Count(sql, `ESCAPE '\'`) {
			t.Fatalf("a literal other than the LIKE escape is in the SQL: %s", sql)
		}
	})
}
