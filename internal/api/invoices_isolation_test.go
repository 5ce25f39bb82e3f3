package api_test

import (
	"context"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/invoice"
)

// invoiceIsolation gives account A a draft and an open invoice, and returns the invoice
// routes' isolation cases (run with account B's token) and a check that both are unchanged.
func invoiceIsolation(t *testing.T, a *apptest.App) (map[string]apptest.Scenario, func(*testing.T)) {
	t.Helper()
	ctx := context.Background()
	draft := invoiceWithLines(t, a, "", invoiceLine("Audit", "100", "1"))
	open := invoiceWithLines(t, a, "a-buyer@a.test", invoiceLine("Audit", "100", "1"))
	if _, err := a.Invoices.Finalize(ctx, a.Account.ID, open.ID, invoice.FinalizeInput{}); err != nil {
		t.Fatal(err)
	}
	d, o := "/settle/v1/invoices/"+draft.IDString(), "/settle/v1/invoices/"+open.IDString()
	cases := map[string]apptest.Scenario{
		"POST /settle/v1/invoices/{id}/finalize":           {Method: "POST", URL: d + "/finalize", Body: `{}`, ExpectedStatus: 404},
		"POST /settle/v1/invoices/{id}/void":               {Method: "POST", URL: o + "/void", ExpectedStatus: 404},
		"POST /settle/v1/invoices/{id}/mark-uncollectible": {Method: "POST", URL: o + "/mark-uncollectible", ExpectedStatus: 404},
		"POST /settle/v1/invoices/{id}/send":               {Method: "POST", URL: o + "/send", ExpectedStatus: 404},
		"GET /settle/v1/invoices/{id}/pdf":                 {Method: "GET", URL: o + "/pdf", ExpectedStatus: 404},
	}
	for k, sc := range cases {
		sc.NotExpectedContent = append(sc.NotExpectedContent, "a-buyer@a.test", "INV-0001")
		cases[k] = sc
	}
	return cases, func(t *testing.T) {
		got, err := a.Invoices.Get(ctx, a.Account.ID, draft.ID)
		if err != nil || got.Status != invoice.StatusDraft || got.Number != "" {
			t.Errorf("A's draft changed: %+v, %v", got, err)
		}
		got, err = a.Invoices.Get(ctx, a.Account.ID, open.ID)
		if err != nil || got.Status != invoice.StatusOpen || got.Number != "INV-0001" {
			t.Errorf("A's open invoice changed: %+v, %v", got, err)
		}
		if sent, err := a.Invoices.Deliveries(ctx, a.Account.ID, open.ID); err != nil || len(sent) != 0 {
			t.Errorf("A's invoice was sent: %+v, %v", sent, err)
		}
	}
}
