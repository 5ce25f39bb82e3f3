package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/crm"
)

// quoteIsolation gives account A a draft quote and returns the quote routes' isolation
// cases (run with account B's token) and a check that it is still a draft.
func quoteIsolation(t *testing.T, a *apptest.App) (map[string]apptest.Scenario, func(*testing.T)) {
	t.Helper()
	q := draftQuote(t, a, time.Now().AddDate(0, 1, 0), "a-quote@a.test", map[string]string{"name": "Plan", "price": "9", "quantity": "1"})
	cases := map[string]apptest.Scenario{
		"POST /settle/v1/quotes/{id}/publish": {Method: "POST", URL: "/settle/v1/quotes/" + q.IDString() + "/publish", ExpectedStatus: 404,
			NotExpectedContent: []string{"a-quote@a.test", "Gym"}},
	}
	return cases, func(t *testing.T) {
		e, err := a.CRM.Get(context.Background(), a.Account.ID, "quotes", q.IDString(), "", crm.ReadOptions{})
		if err != nil || e.Values["hs_status"] != "DRAFT" || e.Values["hs_quote_amount"] != "" {
			t.Errorf("A's quote changed: %+v, %v", e.Values, err)
		}
	}
}
