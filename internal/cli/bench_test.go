package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/bench"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// benchJSON runs `settle bench --json` on a for 40 requests of scenario and returns what it
// printed, failing the test unless the command succeeded.
func benchJSON(t *testing.T, a *apptest.App, scenario string) bench.Result {
	t.Helper()
	code, out, errOut := run(t, env{}, "bench", "--url", a.URL, "--token", a.Token, "--scenario", scenario,
		"--clients", "4", "--count", "40", "--json", "--database-url", a.Config.DatabaseURL)
	if code != 0 {
		t.Fatalf("bench %s: exit %d, %s %s", scenario, code, out, errOut)
	}
	var r bench.Result
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("bench %s printed %q: %v", scenario, out, err)
	}
	return r
}

// TestBenchRunsEveryScenario loads a Settle with each scenario: every request succeeds and
// is counted, the figures are ordered, the writes the scenario makes are in the database
// (the ledger gains a balance transaction per charge and per refund) and the ledger adds up.
func TestBenchRunsEveryScenario(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ledger := map[string]int64{} // balance transactions after each scenario
		for _, scenario := range bench.Scenarios() {
			r := benchJSON(t, a, scenario)
			if r.Scenario != scenario || r.Requests != 40 || r.ErrorCount() != 0 || r.RequestsPerSecond <= 0 ||
				!(r.P50 > 0 && r.P50 <= r.P95 && r.P95 <= r.P99 && r.P99 <= r.Max) {
				t.Errorf("%s: %+v", scenario, r)
			}
			if r.Ledger == nil || !r.Ledger.Verified {
				t.Fatalf("%s: ledger %+v", scenario, r.Ledger)
			}
			ledger[scenario] = r.Ledger.Transactions
		}
		// In name order: checkout makes 40 charges; mixed, record and search none; refund
		// makes 16 charges (four per client) and refunds 40 times.
		if ledger["checkout"] != 40 || ledger["mixed"] != 40 || ledger["record"] != 40 || ledger["refund"] != 40+16+40 ||
			ledger["search"] != 96 {
			t.Errorf("balance transactions after each scenario: %v", ledger)
		}
		_, body := a.Do(t, "POST", "/crm/v3/objects/commerce_payments/search", "",
			`{"filterGroups":[{"filters":[{"propertyName":"hs_processor_type","operator":"EQ","value":"quickbooks"}]}],"limit":1}`, nil)
		if !strings.Contains(string(body), `"total":56`) { // mixed: 8 before and 8 among its 40; record: 40
			t.Errorf("CRM payments recorded by mixed and record: %s", body)
		}
	})
}

// TestBenchBadInput: an unknown scenario, a missing bound, an unreachable server, a URL
// without a scheme and a refused token each get a clear message, and nothing is sent for
// the first two.
func TestBenchBadInput(t *testing.T) {
	a := apptest.New(t, config.SQLite)
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown scenario", []string{"--url", a.URL, "--token", a.Token, "--scenario", "soak", "--count", "1"}, 2,
			`unknown scenario "soak": choose one of checkout, mixed, record, refund, search`},
		{"no bound", []string{"--url", a.URL, "--token", a.Token, "--scenario", "record"}, 2, "give either --duration"},
		{"both bounds", []string{"--url", a.URL, "--token", a.Token, "--scenario", "record", "--count", "3", "--duration", "1s"}, 2,
			"give either --duration"},
		{"no token", []string{"--url", a.URL, "--scenario", "record", "--count", "1"}, 2, "--token is required"},
		{"unreachable", []string{"--url", "http://127.0.0.1:1", "--token", a.Token, "--scenario", "record", "--count", "1"}, 1,
			"cannot reach Settle at http://127.0.0.1:1"},
		{"not a URL", []string{"--url", "127.0.0.1:8080", "--token", a.Token, "--scenario", "record", "--count", "1"}, 1,
			`the URL "127.0.0.1:8080" is not usable`},
		{"refused token", []string{"--url", a.URL, "--token", "stl_wrong", "--scenario", "record", "--count", "1"}, 1,
			"Settle refused the token (401)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := run(t, env{}, append([]string{"bench"}, c.args...)...)
			if code != c.code || !strings.Contains(errOut, c.want) || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, errOut, c.code, c.want)
			}
		})
	}
}
