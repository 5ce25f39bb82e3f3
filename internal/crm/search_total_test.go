package crm_test

import (
	"fmt"
	"testing"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db/dbtest"
)

func TestSearchTotalIsCapped(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		dbtest.BulkContacts(t, f.db, f.acct, f.clock.Now(), crm.MaxSearchResults+1, "many")
		dbtest.BulkContacts(t, f.db, f.acct, f.clock.Now(), crm.MaxSearchResults, "exact")
		dbtest.BulkContacts(t, f.db, f.acct, f.clock.Now(), 3, "few")
		byName := func(name, paging string) string {
			return `{"filterGroups":[{"filters":[{"propertyName":"lastname","operator":"EQ","value":"` + name + `"}]}]` + paging + `}`
		}
		cases := []struct {
			name, body string
			total      int
			capped     bool
			results    int
			next       int
		}{
			{"more than the cap", byName("many", ""), crm.MaxSearchResults, true, 10, 10},
			{"more than the cap, last page", byName("many", `,"limit":200,"after":"9800"`), crm.MaxSearchResults, true, 200, -1},
			{"exactly the cap", byName("exact", ""), crm.MaxSearchResults, false, 10, 10},
			{"exactly the cap, last page", byName("exact", `,"limit":10,"after":"9990"`), crm.MaxSearchResults, false, 10, -1},
			{"exactly the cap, next to last page", byName("exact", `,"limit":10,"after":"9980"`), crm.MaxSearchResults, false, 10, 9990},
			{"fewer", byName("few", ""), 3, false, 3, -1},
			{"either", `{"filterGroups":[{"filters":[{"propertyName":"lastname","operator":"EQ","value":"few"}]},
				{"filters":[{"propertyName":"lastname","operator":"EQ","value":"exact"}]}]}`, crm.MaxSearchResults, true, 10, 10},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res, err := search(t, f, "contacts", tc.body)
				if err != nil {
					t.Fatal(err)
				}
				got := fmt.Sprintf("total %d, capped %t, %d results, next %d", res.Total, res.Capped, len(res.Results), res.Next)
				want := fmt.Sprintf("total %d, capped %t, %d results, next %d", tc.total, tc.capped, tc.results, tc.next)
				if got != want {
					t.Fatalf("got %s, want %s", got, want)
				}
			})
		}
	})
}
