package api_test

import (
	"testing"
	"time"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

func TestSearchTotalCapped(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		dbtest.BulkContacts(t, a.DB, a.Account.ID, time.Now().UTC(), 10_001, "many")
		dbtest.BulkContacts(t, a.DB, a.Account.ID, time.Now().UTC(), 10_000, "exact")
		dbtest.BulkContacts(t, a.DB, a.Account.ID, time.Now().UTC(), 2, "few")
		byName := func(name string) string {
			return `{"filterGroups":[{"filters":[{"propertyName":"lastname","operator":"EQ","value":"` + name + `"}]}],"limit":1}`
		}
		const url = "/crm/v3/objects/contacts/search"
		a.Run(t, []apptest.Scenario{
			{Name: "more than 10,000 match", Method: "POST", URL: url, Body: byName("many"), ExpectedStatus: 200,
				ExpectedContent: []string{`{"total":10000,"totalCapped":true,"results":[`, `"paging":{"next":{"after":"1"}}`}},
			{Name: "exactly 10,000 match", Method: "POST", URL: url, Body: byName("exact"), ExpectedStatus: 200,
				ExpectedContent: []string{`{"total":10000,"results":[`}, NotExpectedContent: []string{"totalCapped"}},
			{Name: "fewer match", Method: "POST", URL: url, Body: byName("few"), ExpectedStatus: 200,
				ExpectedContent: []string{`{"total":2,"results":[`}, NotExpectedContent: []string{"totalCapped"}},
		})
	})
}
