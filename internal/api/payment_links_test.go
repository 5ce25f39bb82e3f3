package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

func TestPaymentLinkLifecycle(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		link := createLink(t, a, gymLink)
		if len(link.Slug) < 12 || link.URL != a.URL+"/pay/"+link.Slug || link.Currency != "USD" || !link.Active {
			t.Fatalf("link %+v: want a slug of 12+ characters, its URL, USD, active", link)
		}
		other := createLink(t, a, `{"name":"Second","line_items":[{"name":"Tea","unit_amount":300,"currency":"GBP",
			"recurring":{"interval":"quarter","interval_count":2,"term_cycles":4}}]}`)
		url := "/settle/v1/payment-links/" + link.ID
		a.Run(t, []apptest.Scenario{
			{Name: "HTML is kept as typed and escaped in JSON", Method: "GET", URL: url, ExpectedStatus: 200,
				ExpectedContent:    []string{`"name":"Gym \u003cb\u003ePro\u003c/b\u003e \u0026 co"`, `"payment_methods":["card","ach"]`, `"allow_quantity":true`},
				NotExpectedContent: []string{"<b>", "<i>"}},
			{Name: "recurrences read back in canonical form", Method: "GET", URL: "/settle/v1/payment-links/" + other.ID, ExpectedStatus: 200,
				ExpectedContent: []string{`"recurring":{"interval":"month","interval_count":6,"term_cycles":4}`, `"payment_methods":["card"]`}},
			{Name: "newest first, a page at a time", Method: "GET", URL: "/settle/v1/payment-links?limit=1", ExpectedStatus: 200,
				ExpectedContent: []string{`"id":"` + other.ID + `"`, `"after":"` + other.ID + `"`}, NotExpectedContent: []string{`"id":"` + link.ID + `"`}},
			{Name: "the next page", Method: "GET", URL: "/settle/v1/payment-links?limit=1&after=" + other.ID, ExpectedStatus: 200,
				ExpectedContent: []string{`"id":"` + link.ID + `"`}, NotExpectedContent: []string{`"paging"`}},
			{Name: "rename only", Method: "PATCH", URL: url, Body: `{"name":"Gym Max"}`, ExpectedStatus: 200,
				ExpectedContent: []string{`"name":"Gym Max"`, `"name":"Membership"`, `"allow_quantity":true`}},
			{Name: "replace the items and methods", Method: "PATCH", URL: url, ExpectedStatus: 200,
				Body:            `{"line_items":[{"name":"Day pass","unit_amount":1500,"currency":"EUR","tax_rate":"20"}],"payment_methods":["sepa","card"]}`,
				ExpectedContent: []string{`"currency":"EUR"`, `"tax_rate":"20"`, `"payment_methods":["card","sepa"]`, `"name":"Gym Max"`}},
			{Name: "an invalid change keeps the link", Method: "PATCH", URL: url, Body: `{"name":"","payment_methods":["cash"]}`, ExpectedStatus: 400,
				ExpectedContent: []string{`"in":"name"`, `"in":"payment_methods"`}},
			{Name: "deactivate", Method: "DELETE", URL: url, ExpectedStatus: 204},
			{Name: "still readable", Method: "GET", URL: url, ExpectedStatus: 200, ExpectedContent: []string{`"active":false`, `"name":"Gym Max"`}},
			{Name: "active again", Method: "PATCH", URL: url, Body: `{"active":true}`, ExpectedStatus: 200, ExpectedContent: []string{`"active":true`}},
			{Name: "an unknown link", Method: "GET", URL: "/settle/v1/payment-links/999999", ExpectedStatus: 404},
			{Name: "a slug is not an id", Method: "GET", URL: "/settle/v1/payment-links/" + link.Slug, ExpectedStatus: 404},
		})
		got, err := a.Checkout.Get(context.Background(), a.Account.ID, mustID(t, other.ID))
		if err != nil || got.Items[0].Billing == nil || got.Items[0].Billing.Frequency != "per_six_months" || got.Items[0].Billing.Term.Payments != 4 {
			t.Errorf("stored link %+v, %v: want the item billed per six months, 4 times", got, err)
		}
	})
}

func TestPaymentLinkFromProduct(t *testing.T) {
	a := apptest.New(t, config.SQLite)
	res, b := a.Do(t, "POST", "/crm/v3/objects/products", "", `{"properties":{"name":"Yoga <3","price":"12.50","hs_currency_code":"CAD",
		"hs_sku":"YG-1","recurringbillingfrequency":"weekly","hs_recurring_billing_number_of_payments":"10"}}`, nil)
	var product struct{ ID string }
	if err := json.Unmarshal(b, &product); err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("product: %d %s", res.StatusCode, b)
	}
	a.Run(t, []apptest.Scenario{
		{Name: "a line copies what it leaves out", Method: "POST", URL: "/settle/v1/payment-links", ExpectedStatus: 201,
			Body: `{"name":"Yoga","line_items":[{"product_id":"` + product.ID + `","quantity":2},{"product_id":"` + product.ID + `","name":"Yoga mat","unit_amount":4000}]}`,
			ExpectedContent: []string{`"name":"Yoga \u003c3","sku":"YG-1","unit_amount":1250,"currency":"CAD","quantity":2`,
				`"recurring":{"interval":"week","interval_count":1,"term_cycles":10}`, `"name":"Yoga mat","sku":"YG-1","unit_amount":4000`}},
		{Name: "an unknown product", Method: "POST", URL: "/settle/v1/payment-links", ExpectedStatus: 400,
			Body: `{"name":"Yoga","line_items":[{"product_id":"999999"}]}`, ExpectedContent: []string{`"in":"line_items[0].product_id"`}},
	})
}

func TestPaymentLinkBadInput(t *testing.T) {
	a := apptest.New(t, config.SQLite)
	line := func(fields string) string {
		return `{"name":"L","line_items":[{"name":"A","unit_amount":100,"currency":"USD"` + fields + `}]}`
	}
	cases := []struct{ name, body, in, code string }{
		{"no name", `{"name":" ","line_items":[{"name":"A","unit_amount":100,"currency":"USD"}]}`, "name", "REQUIRED"},
		{"a name too long", `{"name":"` + strings.Repeat("é", 256) + `","line_items":[{"name":"A","unit_amount":100,"currency":"USD"}]}`, "name", "INVALID_LENGTH"},
		{"no items", `{"name":"L","line_items":[]}`, "line_items", "REQUIRED"},
		{"an unknown method", `{"name":"L","payment_methods":["cash"],"line_items":[{"name":"A","unit_amount":100,"currency":"USD"}]}`, "payment_methods", "INVALID_OPTION"},
		{"a negative price", line(`,"unit_amount":-1`), "line_items[0].unit_amount", "INVALID_RANGE"},
		{"a quantity of 0", line(`,"quantity":0`), "line_items[0].quantity", "INVALID_RANGE"},
		{"a bad percentage", line(`,"discount_percent":"ten"`), "line_items[0].discount_percent", "INVALID_PERCENT"},
		{"a percentage above 100", line(`,"discount_percent":100.5`), "line_items[0].discount_percent", "INVALID_PERCENT"},
		{"an unknown interval", line(`,"recurring":{"interval":"fortnight","term_cycles":null}`), "line_items[0].recurring.interval", "INVALID_OPTION"},
		{"an interval count too large", line(`,"recurring":{"interval":"day","interval_count":400,"term_cycles":null}`), "line_items[0].recurring.interval_count", "INVALID_RANGE"},
		{"no cycles", line(`,"recurring":{"interval":"month","term_cycles":0}`), "line_items[0].recurring.term_cycles", "INVALID_RANGE"},
		{"too many cycles", line(`,"recurring":{"interval":"month","term_cycles":1001}`), "line_items[0].recurring.term_cycles", "INVALID_RANGE"},
		{"free", line(`,"unit_amount":0`), "line_items", "INVALID_AMOUNT"},
		{"an unknown field", line(`,"colour":"red"`), "colour", "UNKNOWN_FIELD"},
	}
	var scenarios []apptest.Scenario
	for _, tc := range cases {
		scenarios = append(scenarios, apptest.Scenario{Name: tc.name, Method: "POST", URL: "/settle/v1/payment-links", Body: tc.body,
			ExpectedStatus: 400, ExpectedContent: []string{`"category":"VALIDATION_ERROR"`, `"in":"` + tc.in + `"`, `"code":"` + tc.code + `"`}})
	}
	a.Run(t, scenarios)
	if links, _, err := a.Checkout.List(context.Background(), a.Account.ID, 10, 0); err != nil || len(links) != 0 {
		t.Errorf("refused links were stored: %d, %v", len(links), err)
	}
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	if err := json.Unmarshal([]byte(s), &n); err != nil {
		t.Fatal(err)
	}
	return n
}
