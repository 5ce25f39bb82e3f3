package api_test

import (
	"context"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/processor"
)

// paymentIsolation gives account A a paid card payment and an invoice, and returns the
// payment routes' isolation cases (run with account B's token) and a check that A's payment
// is unchanged.
func paymentIsolation(t *testing.T, a *apptest.App) (map[string]apptest.Scenario, func(*testing.T)) {
	t.Helper()
	ctx := context.Background()
	pay, err := a.Payments.Charge(ctx, a.Account.ID, payment.ChargeInput{Amount: money.Amount{Minor: 5000, Currency: "USD"},
		Buyer:  payment.Buyer{Email: "payer@a.test"},
		Method: processor.TokenizeParams{Card: &processor.CardDetails{Number: "4242424242424242", ExpMonth: 12, ExpYear: 2030, CVC: "123"}}})
	if err != nil {
		t.Fatal(err)
	}
	inv, err := a.CRM.Create(ctx, a.Account.ID, "invoices", crm.Input{Properties: map[string]string{"hs_currency": "USD"}}, crm.Source{Type: "API"})
	if err != nil {
		t.Fatal(err)
	}
	id, invID := itoa(pay.ID), inv.IDString()
	cases := map[string]apptest.Scenario{
		"GET /settle/v1/payments": {Method: "GET", URL: "/settle/v1/payments", ExpectedStatus: 200, ExpectedContent: []string{`"results":[]`}},
		"POST /settle/v1/payments": {Method: "POST", URL: "/settle/v1/payments", ExpectedStatus: 400,
			Body: `{"amount":100,"currency":"GBP","buyer":{"email":"b@b.test"},"payment_method":{"type":"card"}}`},
		"GET /settle/v1/payments/{id}":          {Method: "GET", URL: "/settle/v1/payments/" + id, ExpectedStatus: 404},
		"GET /settle/v1/payments/{id}/refunds":  {Method: "GET", URL: "/settle/v1/payments/" + id + "/refunds", ExpectedStatus: 404},
		"POST /settle/v1/payments/{id}/refunds": {Method: "POST", URL: "/settle/v1/payments/" + id + "/refunds", Body: `{"amount":100,"reason":"other"}`, ExpectedStatus: 404},
		"GET /settle/v1/payments/{id}/history":  {Method: "GET", URL: "/settle/v1/payments/" + id + "/history", ExpectedStatus: 404},
		"POST /settle/v1/invoices/{id}/manual-payments": {Method: "POST", URL: "/settle/v1/invoices/" + invID + "/manual-payments",
			Body: `{"amount":100,"currency":"USD","method":"cash","paid_at":"2026-11-25T10:00:00Z"}`, ExpectedStatus: 404},
	}
	for k, sc := range cases {
		sc.NotExpectedContent = append(sc.NotExpectedContent, "payer@a.test")
		cases[k] = sc
	}
	return cases, func(t *testing.T) {
		got, err := a.Payments.Get(ctx, a.Account.ID, pay.ID)
		if err != nil || got.Status != payment.StatusSucceeded || got.Refunded.Minor != 0 {
			t.Errorf("A's payment changed: %+v, %v", got, err)
		}
		e, err := a.CRM.Get(ctx, a.Account.ID, "invoices", invID, "", crm.ReadOptions{})
		if err != nil || e.Values["hs_invoice_status"] != "draft" {
			t.Errorf("A's invoice changed: %+v, %v", e.Values, err)
		}
	}
}
