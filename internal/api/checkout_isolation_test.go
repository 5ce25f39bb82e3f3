package api_test

import (
	"context"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/lineitem"
)

// checkoutIsolation gives account A a payment link and returns the payment link and
// checkout routes' isolation cases (run with account B's token) and a check that A's link
// is unchanged. A checkout needs no token: its link's slug names the account, so B's token
// neither reaches A's link by its id nor makes A's link B's.
func checkoutIsolation(t *testing.T, a *apptest.App) (map[string]apptest.Scenario, func(*testing.T)) {
	t.Helper()
	ctx := context.Background()
	in := checkout.LinkInput{Name: "A's secret plan", Items: []lineitem.Item{{Name: "Plan", UnitPrice: 900, Currency: "USD", Quantity: 1}}}
	link, err := a.Checkout.Create(ctx, a.Account.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	url := "/settle/v1/payment-links/" + itoa(link.ID)
	cases := map[string]apptest.Scenario{
		"GET /settle/v1/payment-links": {Method: "GET", URL: "/settle/v1/payment-links", ExpectedStatus: 200, ExpectedContent: []string{`"results":[]`}},
		"POST /settle/v1/payment-links": {Method: "POST", URL: "/settle/v1/payment-links", ExpectedStatus: 201,
			Body: `{"name":"B's plan","line_items":[{"name":"Plan","unit_amount":500,"currency":"GBP"}]}`},
		"GET /settle/v1/payment-links/{id}":    {Method: "GET", URL: url, ExpectedStatus: 404},
		"PATCH /settle/v1/payment-links/{id}":  {Method: "PATCH", URL: url, Body: `{"name":"Owned"}`, ExpectedStatus: 404},
		"DELETE /settle/v1/payment-links/{id}": {Method: "DELETE", URL: url, ExpectedStatus: 404},
		"POST /settle/v1/checkout": {Method: "POST", URL: "/settle/v1/checkout", ExpectedStatus: 404,
			Body: checkoutBody(itoa(link.ID), "b@b.test", "4242424242424242", "")},
	}
	for k, sc := range cases {
		sc.NotExpectedContent = append(sc.NotExpectedContent, "A's secret plan", link.Slug)
		cases[k] = sc
	}
	return cases, func(t *testing.T) {
		got, err := a.Checkout.Get(ctx, a.Account.ID, link.ID)
		if err != nil || got.Name != in.Name || !got.Active || len(got.Items) != 1 {
			t.Errorf("A's payment link changed: %+v, %v", got, err)
		}
	}
}
