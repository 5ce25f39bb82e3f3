package crm_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/problem"
)

func search(t *testing.T, f fixture, typ, body string) (crm.SearchResult, error) {
	t.Helper()
	req, err := crm.ParseSearchRequest([]byte(body))
	if err != nil {
		return crm.SearchResult{}, err
	}
	return f.svc.Search(context.Background(), f.acct, typ, req)
}

func emails(res crm.SearchResult) []string {
	var out []string
	for _, r := range res.Results {
		out = append(out, r.Values["email"])
	}
	return out
}

func TestSearch(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		ctx := context.Background()
		people := []map[string]string{
			{"email": "ada@example.com", "lastname": "Lovelace", "hs_language": "en", "hs_marketable_status": "true"},
			{"email": "marie@example.fr", "lastname": "Curie", "hs_language": "fr", "hs_marketable_status": "false"},
			{"email": "emmy@example.de", "lastname": "Noether", "hs_language": "de"},
			{"email": "grace@navy.mil", "lastname": "Hopper", "hs_language": "en", "hs_marketable_status": "true"},
		}
		for _, p := range people {
			f.clock.Advance(1e9)
			f.create(t, "contacts", p)
		}
		if _, err := f.svc.CreateProperty(ctx, f.acct, "contacts", crm.PropertyInput{Name: "score", Label: "Score", Type: crm.Number}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Update(ctx, f.acct, "contacts", "grace@navy.mil", "email", map[string]string{"score": "99.5"}, api); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name, body string
			want       []string
			total      int
		}{
			{"no filters: creation order", `{}`, []string{"ada@example.com", "marie@example.fr", "emmy@example.de", "grace@navy.mil"}, 4},
			{"EQ is case-insensitive on text", `{"filterGroups":[{"filters":[{"propertyName":"lastname","operator":"EQ","value":"CURIE"}]}]}`,
				[]string{"marie@example.fr"}, 1},
			{"enumerations are case-sensitive", `{"filterGroups":[{"filters":[{"propertyName":"hs_language","operator":"EQ","value":"FR"}]}]}`, nil, 0},
			{"groups are ORed, filters ANDed", `{"filterGroups":[
				{"filters":[{"propertyName":"hs_language","operator":"EQ","value":"en"},{"propertyName":"hs_marketable_status","operator":"EQ","value":"true"},{"propertyName":"email","operator":"CONTAINS_TOKEN","value":"*.mil"}]},
				{"filters":[{"propertyName":"hs_language","operator":"EQ","value":"de"}]}]}`, []string{"emmy@example.de", "grace@navy.mil"}, 2},
			{"IN and sort descending", `{"filterGroups":[{"filters":[{"propertyName":"hs_language","operator":"IN","values":["en","fr"]}]}],"sorts":[{"propertyName":"lastname","direction":"DESCENDING"}]}`,
				[]string{"ada@example.com", "grace@navy.mil", "marie@example.fr"}, 3},
			{"no value sorts lowest: first ascending", `{"sorts":[{"propertyName":"hs_marketable_status","direction":"ASCENDING"}]}`,
				[]string{"emmy@example.de", "marie@example.fr", "ada@example.com", "grace@navy.mil"}, 4},
			{"no value sorts lowest: last descending", `{"sorts":[{"propertyName":"hs_marketable_status","direction":"DESCENDING"}]}`,
				[]string{"grace@navy.mil", "ada@example.com", "marie@example.fr", "emmy@example.de"}, 4},
			{"custom property without a value, ascending", `{"sorts":[{"propertyName":"score","direction":"ASCENDING"}]}`,
				[]string{"ada@example.com", "marie@example.fr", "emmy@example.de", "grace@navy.mil"}, 4},
			{"custom property without a value, descending", `{"sorts":[{"propertyName":"score","direction":"DESCENDING"}]}`,
				[]string{"grace@navy.mil", "emmy@example.de", "marie@example.fr", "ada@example.com"}, 4},
			{"sort given as a string", `{"sorts":["-createdate"],"limit":1}`, []string{"grace@navy.mil"}, 4},
			{"NOT_HAS_PROPERTY", `{"filterGroups":[{"filters":[{"propertyName":"hs_marketable_status","operator":"NOT_HAS_PROPERTY"}]}]}`, []string{"emmy@example.de"}, 1},
			{"NEQ includes records without the value", `{"filterGroups":[{"filters":[{"propertyName":"hs_marketable_status","operator":"NEQ","value":"true"}]}]}`,
				[]string{"marie@example.fr", "emmy@example.de"}, 2},
			{"custom number", `{"filterGroups":[{"filters":[{"propertyName":"score","operator":"GT","value":99}]}]}`, []string{"grace@navy.mil"}, 1},
			{"custom NOT_HAS_PROPERTY", `{"filterGroups":[{"filters":[{"propertyName":"score","operator":"NOT_HAS_PROPERTY"}]}],"limit":2,"after":"1"}`,
				[]string{"marie@example.fr", "emmy@example.de"}, 3},
			{"query text", `{"query":"hopper"}`, []string{"grace@navy.mil"}, 1},
			{"record id", `{"filterGroups":[{"filters":[{"propertyName":"hs_object_id","operator":"IN","values":["2","3"]}]}]}`,
				[]string{"marie@example.fr", "emmy@example.de"}, 2},
			{"datetime BETWEEN", `{"filterGroups":[{"filters":[{"propertyName":"createdate","operator":"BETWEEN","value":"2026-11-25T12:00:02Z","highValue":"1795608003000"}]}]}`,
				[]string{"marie@example.fr", "emmy@example.de"}, 2},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res, err := search(t, f, "contacts", tc.body)
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(emails(res)) != fmt.Sprint(tc.want) || res.Total != tc.total {
					t.Fatalf("got %v (total %d), want %v (total %d)", emails(res), res.Total, tc.want, tc.total)
				}
			})
		}
	})
}

// Records with equal values follow in creation order in either direction, as the
// property's index keeps them, even when their ids are in another order.
func TestSearchTiesFollowCreationOrder(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		f.clock.Advance(time.Hour)
		f.create(t, "contacts", map[string]string{"email": "later@example.com", "lastname": "Same"})
		f.clock.Advance(-time.Minute) // created after the first, dated before it
		f.create(t, "contacts", map[string]string{"email": "earlier@example.com", "lastname": "Same"})
		f.clock.Advance(time.Hour)
		f.create(t, "contacts", map[string]string{"email": "other@example.com", "lastname": "Other"})
		cases := []struct {
			name, sort string
			want       []string
		}{
			{"ascending", `ASCENDING`, []string{"other@example.com", "earlier@example.com", "later@example.com"}},
			{"descending", `DESCENDING`, []string{"later@example.com", "earlier@example.com", "other@example.com"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res, err := search(t, f, "contacts", `{"sorts":[{"propertyName":"lastname","direction":"`+tc.sort+`"}]}`)
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(emails(res)) != fmt.Sprint(tc.want) {
					t.Fatalf("got %v, want %v", emails(res), tc.want)
				}
			})
		}
	})
}

func TestSearchRefusals(t *testing.T) {
	group := func(n int) string {
		s := `{"filters":[`
		for i := range n {
			if i > 0 {
				s += ","
			}
			s += `{"propertyName":"email","operator":"HAS_PROPERTY"}`
		}
		return s + "]}"
	}
	groups := func(n, per int) string {
		s := `{"filterGroups":[`
		for i := range n {
			if i > 0 {
				s += ","
			}
			s += group(per)
		}
		return s + "]}"
	}
	cases := map[string]struct{ body, code string }{
		"6 groups":           {groups(6, 1), "TOO_MANY_FILTER_GROUPS"},
		"7 filters in group": {groups(1, 7), "TOO_MANY_FILTERS"},
		"19 filters":         {groups(4, 5), "TOO_MANY_FILTERS"},
		"limit 500":          {`{"limit":500}`, "INVALID_LIMIT"},
		"after past 10,000":  {`{"after":"10000"}`, "PAGING_LIMIT"},
		"after not a number": {`{"after":"abc"}`, "INVALID_AFTER"},
		"two sorts":          {`{"sorts":["email","lastname"]}`, "TOO_MANY_SORTS"},
		"unknown sort":       {`{"sorts":[{"propertyName":"shoe_size"}]}`, "PROPERTY_DOESNT_EXIST"},
		"unknown filter":     {`{"filterGroups":[{"filters":[{"propertyName":"shoe_size","operator":"EQ","value":"1"}]}]}`, "PROPERTY_DOESNT_EXIST"},
		"bad operator":       {`{"filterGroups":[{"filters":[{"propertyName":"email","operator":"LIKE","value":"x"}]}]}`, "INVALID_OPERATOR"},
		"BETWEEN needs two":  {`{"filterGroups":[{"filters":[{"propertyName":"createdate","operator":"BETWEEN","value":"1"}]}]}`, "MISSING_VALUE"},
		"number value":       {`{"filterGroups":[{"filters":[{"propertyName":"hs_object_id","operator":"GT","value":"many"}]}]}`, "INVALID_VALUE"},
		"token on a number":  {`{"filterGroups":[{"filters":[{"propertyName":"hs_object_id","operator":"CONTAINS_TOKEN","value":"1"}]}]}`, "INVALID_OPERATOR"},
		"not JSON":           {`{"filterGroups":`, "INVALID_JSON"},
	}
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		for name, tc := range cases {
			t.Run(name, func(t *testing.T) {
				_, err := search(t, f, "contacts", tc.body)
				var inv *problem.InvalidError
				if !errors.As(err, &inv) || inv.Fields[0].Code != tc.code {
					t.Fatalf("search %s: %v; want %s", tc.body, err, tc.code)
				}
			})
		}
	})
}
