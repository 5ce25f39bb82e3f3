package api_test

import (
	"testing"
	"time"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// bulkContacts inserts n contacts named lastname into the app's account in one statement.
func bulkContacts(t *testing.T, a *apptest.App, engine config.Engine, n int, lastname string) {
	t.Helper()
	sql := `INSERT INTO crm_contacts (account_id, created_at, updated_at, lastname)
		SELECT $1, CAST($2 AS TIMESTAMPTZ), CAST($2 AS TIMESTAMPTZ), CAST($3 AS TEXT) FROM generate_series(1, $4)`
	if engine == config.SQLite {
		sql = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $4)
			INSERT INTO crm_contacts (account_id, created_at, updated_at, lastname) SELECT $1, $2, $2, $3 FROM n`
	}
	if _, err := a.DB.Write.Exec(sql, a.Account.ID, time.Now().UTC(), lastname, n); err != nil {
		t.Fatal(err)
	}
}

func TestSearchTotalCapped(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		bulkContacts(t, a, engine, 10_001, "many")
		bulkContacts(t, a, engine, 10_000, "exact")
		bulkContacts(t, a, engine, 2, "few")
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
