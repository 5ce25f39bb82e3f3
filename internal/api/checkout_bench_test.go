package api_test

import (
	"encoding/json"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// BenchmarkCheckout pays payment links through POST /settle/v1/checkout from 32 concurrent
// clients, each checkout a new buyer: the charge with every side effect of a payment, the
// line items and, for the subscription link, two subscriptions. It reports checkouts per
// second (as payments/s) and latency percentiles. b.N is the number of checkouts:
//
//	SETTLE_TEST_DATABASE_URL=… go test ./internal/api -run '^$' -bench Checkout -benchtime 2000x
func BenchmarkCheckout(b *testing.B) {
	for _, engine := range dbtest.Engines(b) {
		for _, shape := range []struct{ name, link string }{
			{"one-time", `{"name":"Ticket","line_items":[{"name":"Ticket","unit_amount":4999,"currency":"USD"}]}`},
			{"subscriptions", gymLink},
		} {
			b.Run(string(engine)+"/"+shape.name, func(b *testing.B) {
				a := apptest.New(b, engine)
				slug := benchLink(b, a, shape.link)
				runClients(b, a, 32, "/settle/v1/checkout", checkoutBody(slug, "buyer%d@example.com", "4242424242424242", ""))
			})
		}
	}
}

// benchLink creates a payment link and returns its slug.
func benchLink(b *testing.B, a *apptest.App, body string) string {
	b.Helper()
	res, out := a.DoUnchecked(b, "POST", "/settle/v1/payment-links", "", body, nil)
	if res.StatusCode != 201 {
		b.Fatalf("create link: %d %s", res.StatusCode, out)
	}
	var l linkView
	if err := json.Unmarshal(out, &l); err != nil {
		b.Fatal(err)
	}
	return l.Slug
}
