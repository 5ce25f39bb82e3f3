package api_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// gymLink sells two monthly items for 12 payments, one with 10% off, and an annual item
// until cancelled with 25% off: 4500 + 2 × 1000 + 15000 = 21500 cents after 5500 of discounts.
const gymLink = `{"name":"Gym <b>Pro</b> & co","allow_quantity":true,"payment_methods":["card","ach"],"line_items":[
	{"name":"Membership","unit_amount":5000,"currency":"USD","discount_percent":"10","recurring":{"interval":"month","term_cycles":12}},
	{"name":"Locker","unit_amount":1000,"currency":"USD","quantity":2,"recurring":{"interval":"month","interval_count":1,"term_cycles":12}},
	{"name":"Annual <i>review</i>","unit_amount":20000,"currency":"USD","discount_percent":25,"recurring":{"interval":"year","term_cycles":null}}]}`

// card is a checkout's payment method with a card number.
func card(number string) string {
	return `{"type":"card","card":{"number":"` + number + `","exp_month":12,"exp_year":2040,"cvc":"123"}}`
}

// checkoutBody is a checkout of a link's slug by email with a card; extra adds fields.
func checkoutBody(slug, email, number, extra string) string {
	return `{"source":{"type":"payment_link","id":"` + slug + `"},"buyer":{"email":"` + email + `","first_name":"Ada"},` +
		`"payment_method":` + card(number) + extra + `}`
}

// linkView is the part of a payment link answer tests look at.
type linkView struct {
	ID, Slug, URL, Name, Currency string
	Active                        bool
}

// createLink creates a link through the API and returns it.
func createLink(t *testing.T, a *apptest.App, body string) linkView {
	t.Helper()
	res, b := a.Do(t, "POST", "/settle/v1/payment-links", "", body, nil)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create link: %d %s", res.StatusCode, b)
	}
	var l linkView
	if err := json.Unmarshal(b, &l); err != nil {
		t.Fatal(err)
	}
	return l
}

// checkoutView is a checkout answer.
type checkoutView struct {
	PaymentID       string   `json:"payment_id"`
	Status          string   `json:"status"`
	SubscriptionIDs []string `json:"subscription_ids"`
	InvoiceID       *string  `json:"invoice_id"`
	ReceiptURL      *string  `json:"receipt_url"`
}

func readCheckout(dst *checkoutView) func(*testing.T, *http.Response, []byte) {
	return func(t *testing.T, _ *http.Response, body []byte) {
		if err := json.Unmarshal(body, dst); err != nil || dst.PaymentID == "" {
			t.Fatalf("no payment in %s", body)
		}
	}
}

// object is a CRM record as the CRM API shows it, with the ids of its associations.
type object struct {
	ID           string
	Properties   map[string]string
	Associations map[string]struct{ Results []struct{ ID string } }
}

func (o object) linked(typ string) []string {
	var ids []string
	for _, r := range o.Associations[typ].Results {
		ids = append(ids, r.ID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// getObject reads a record through the CRM API with properties and associations.
func getObject(t *testing.T, a *apptest.App, typ, id, props, assocs string) object {
	t.Helper()
	res, b := a.Do(t, "GET", "/crm/v3/objects/"+typ+"/"+id+"?properties="+props+"&associations="+assocs, "", "", nil)
	var o object
	if err := json.Unmarshal(b, &o); res.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("read %s %s: %d %s", typ, id, res.StatusCode, b)
	}
	return o
}

// counts are how many records of each type the account has, as a search finds them.
func counts(t *testing.T, a *apptest.App) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, typ := range []string{"contacts", "commerce_payments", "deals", "line_items", "subscriptions"} {
		_, b := a.Do(t, "POST", "/crm/v3/objects/"+typ+"/search", "", `{"limit":1}`, nil)
		var page struct{ Total int }
		if err := json.Unmarshal(b, &page); err != nil {
			t.Fatalf("search %s: %s", typ, b)
		}
		out[typ] = page.Total
	}
	return out
}

func TestCheckoutStartsSubscriptions(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		link := createLink(t, a, gymLink)
		var co checkoutView
		a.Run(t, []apptest.Scenario{{Name: "pay without a token", Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken,
			Body: checkoutBody(link.Slug, "ada@example.com", "4242424242424242", ""), ExpectedStatus: 200,
			ExpectedContent: []string{`"status":"succeeded"`, `"invoice_id":null`, `"receipt_url":null`}, Check: readCheckout(&co)}})
		if len(co.SubscriptionIDs) != 2 {
			t.Fatalf("subscriptions %v, want 2", co.SubscriptionIDs)
		}
		pay := getObject(t, a, "commerce_payments", co.PaymentID, "hs_initial_amount,hs_total_discounts_amount,hs_payment_source_app,"+
			"hs_payment_source_id,hs_payment_source_name,hs_payment_source_url", "contacts,deals,line_items,subscriptions")
		wantProps(t, "payment", pay.Properties, map[string]string{"hs_initial_amount": "215", "hs_total_discounts_amount": "55",
			"hs_payment_source_app": "SALES_CHECKOUT", "hs_payment_source_id": link.ID, "hs_payment_source_name": "Gym <b>Pro</b> & co",
			"hs_payment_source_url": a.URL + "/pay/" + link.Slug})
		contact, deal := one(t, pay.linked("contacts")), one(t, pay.linked("deals"))
		if got := getObject(t, a, "deals", deal, "amount", "line_items"); got.Properties["amount"] != "215" || len(got.linked("line_items")) != 3 {
			t.Errorf("deal %+v: want the discounted total 215 and the 3 line items", got)
		}
		if len(pay.linked("line_items")) != 3 || len(pay.linked("subscriptions")) != 0 {
			t.Errorf("payment linked with line items %v and subscriptions %v; want 3 and none of two", pay.linked("line_items"), pay.linked("subscriptions"))
		}
		monthly := checkSubscription(t, a, co.SubscriptionIDs[0], contact, deal, map[string]string{"hs_name": "Membership, Locker",
			"hs_status": "active", "hs_recurring_billing_frequency": "monthly", "hs_recurring_billing_number_of_payments": "12",
			"hs_last_payment_amount": "65", "hs_currency_code": "USD"})
		annual := checkSubscription(t, a, co.SubscriptionIDs[1], contact, deal, map[string]string{"hs_name": "Annual <i>review</i>",
			"hs_recurring_billing_frequency": "annually", "hs_recurring_billing_number_of_payments": "", "hs_last_payment_amount": "150"})
		checkLines(t, a, monthly, map[string]string{"Membership": "45", "Locker": "20"})
		checkLines(t, a, annual, map[string]string{"Annual <i>review</i>": "150"})
	})
}

// checkSubscription checks a subscription's properties and that it is associated with the
// contact and the deal, and returns its line items.
func checkSubscription(t *testing.T, a *apptest.App, id, contact, deal string, want map[string]string) []string {
	t.Helper()
	s := getObject(t, a, "subscriptions", id, "hs_name,hs_status,hs_recurring_billing_frequency,hs_recurring_billing_number_of_payments,"+
		"hs_last_payment_amount,hs_currency_code,hs_recurring_billing_start_date,hs_next_payment_due_date", "contacts,deals,line_items")
	wantProps(t, "subscription "+id, s.Properties, want)
	if !slices.Equal(s.linked("contacts"), []string{contact}) || !slices.Equal(s.linked("deals"), []string{deal}) {
		t.Errorf("subscription %s: contacts %v, deals %v; want %s and %s", id, s.linked("contacts"), s.linked("deals"), contact, deal)
	}
	if s.Properties["hs_next_payment_due_date"] <= s.Properties["hs_recurring_billing_start_date"] {
		t.Errorf("subscription %s: next payment %q is not after the start %q", id, s.Properties["hs_next_payment_due_date"],
			s.Properties["hs_recurring_billing_start_date"])
	}
	return s.linked("line_items")
}

// checkLines checks that line items are exactly the named ones, with their net amounts.
func checkLines(t *testing.T, a *apptest.App, ids []string, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	for _, id := range ids {
		l := getObject(t, a, "line_items", id, "name,amount", "")
		got[l.Properties["name"]] = l.Properties["amount"]
	}
	if len(got) != len(want) {
		t.Errorf("line items %v, want %v", got, want)
	}
	for name, amount := range want {
		if got[name] != amount {
			t.Errorf("line item %q amount %q, want %q (all: %v)", name, got[name], amount, got)
		}
	}
}

func wantProps(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s = %q, want %q", what, k, got[k], v)
		}
	}
}

func one(t *testing.T, ids []string) string {
	t.Helper()
	if len(ids) != 1 {
		t.Fatalf("ids %v, want exactly one", ids)
	}
	return ids[0]
}

func TestCheckoutBadInputWritesNothing(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		gym := createLink(t, a, gymLink)
		fixed := createLink(t, a, `{"name":"Fixed","collect_billing_address":true,"line_items":[{"name":"Seat","unit_amount":900,"currency":"USD"}]}`)
		gone := createLink(t, a, `{"name":"Gone","line_items":[{"name":"Old","unit_amount":900,"currency":"USD"}]}`)
		a.Run(t, []apptest.Scenario{{Name: "deactivate", Method: "DELETE", URL: "/settle/v1/payment-links/" + gone.ID, ExpectedStatus: 204}})
		before := counts(t, a)
		pay := func(name, body string, status int, want ...string) apptest.Scenario {
			return apptest.Scenario{Name: name, Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken, Body: body,
				ExpectedStatus: status, ExpectedContent: append(want, `"status":"error"`, `"correlationId"`)}
		}
		good := "4242424242424242"
		a.Run(t, []apptest.Scenario{
			{Name: "a link in two currencies", Method: "POST", URL: "/settle/v1/payment-links", ExpectedStatus: 400,
				Body:            `{"name":"Mixed","line_items":[{"name":"A","unit_amount":100,"currency":"USD"},{"name":"B","unit_amount":100,"currency":"EUR"}]}`,
				ExpectedContent: []string{`"category":"VALIDATION_ERROR"`, `"in":"line_items[1].currency"`, `"code":"CURRENCY_MISMATCH"`}},
			pay("quantity 0", checkoutBody(gym.Slug, "q0@example.com", good, `,"quantity":0`), 400, `"in":"quantity"`, `"code":"INVALID_RANGE"`),
			pay("quantity 10^9", checkoutBody(gym.Slug, "q9@example.com", good, `,"quantity":1000000000`), 400, `"in":"quantity"`, `"code":"INVALID_RANGE"`),
			pay("a quantity that takes a line past the maximum", checkoutBody(gym.Slug, "qx@example.com", good, `,"quantity":500000`), 400,
				`"in":"quantity"`, `Locker`),
			pay("a quantity on a fixed link", checkoutBody(fixed.Slug, "qf@example.com", good, `,"quantity":2,"billing_address":{"line1":"1 Main St","country":"US"}`),
				400, `"in":"quantity"`, `"code":"QUANTITY_NOT_ALLOWED"`),
			pay("a deactivated link", checkoutBody(gone.Slug, "gone@example.com", good, ""), 400, `"in":"source.id"`, `"code":"INACTIVE_LINK"`),
			pay("a method the link does not allow", `{"source":{"type":"payment_link","id":"`+gym.Slug+`"},"buyer":{"email":"sepa@example.com"},`+
				`"payment_method":{"type":"sepa","sepa":{"iban":"DE89370400440532013000","account_holder":"A"}}}`, 400,
				`"in":"payment_method.type"`, `"code":"METHOD_NOT_ALLOWED"`),
			pay("no payment details", `{"source":{"type":"payment_link","id":"`+gym.Slug+`"},"buyer":{"email":"x@example.com"},"payment_method":{"type":"card"}}`,
				400, `"in":"payment_method"`, `"code":"REQUIRED"`),
			pay("a missing email", checkoutBody(gym.Slug, "", good, ""), 400, `"in":"buyer.email"`, `"code":"REQUIRED"`),
			pay("a malformed email", checkoutBody(gym.Slug, "ada@", good, ""), 400, `"in":"buyer.email"`, `"code":"INVALID_EMAIL"`),
			pay("a named address is not an email", checkoutBody(gym.Slug, `Ada \u003cada@example.com\u003e`, good, ""), 400, `"code":"INVALID_EMAIL"`),
			pay("no billing address where the link asks for one", checkoutBody(fixed.Slug, "addr@example.com", good, ""), 400,
				`"in":"billing_address"`, `"code":"REQUIRED"`),
			pay("every problem at once", checkoutBody(fixed.Slug, "nope", good, `,"quantity":0`), 400, `"in":"buyer.email"`, `"in":"quantity"`,
				`"in":"billing_address"`),
			pay("an unknown link", checkoutBody("aaaaaaaaaaaaaaaa", "who@example.com", good, ""), 404, `"category":"OBJECT_NOT_FOUND"`),
			pay("a link's id instead of its slug", checkoutBody(gym.ID, "who@example.com", good, ""), 404, `"category":"OBJECT_NOT_FOUND"`),
			pay("no source", `{"buyer":{"email":"who@example.com"}}`, 400, `"in":"source.id"`),
			pay("not JSON", `{"source":`, 400, `"code":"INVALID_JSON"`),
		})
		if after := counts(t, a); !maps.Equal(before, after) {
			t.Errorf("refused checkouts wrote records: before %v, after %v", before, after)
		}
	})
}

func TestDeclinedCheckoutCanBeRetried(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		link := createLink(t, a, gymLink)
		before := counts(t, a)
		a.Run(t, []apptest.Scenario{{Name: "declined", Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken,
			Body: checkoutBody(link.Slug, "broke@example.com", "4000000000000002", ""), ExpectedStatus: 402,
			ExpectedContent: []string{`"category":"CARD_DECLINED"`, `"decline_code":"generic_decline"`}}})
		if after := counts(t, a); !maps.Equal(before, after) {
			t.Fatalf("a declined card wrote records: before %v, after %v", before, after)
		}
		var co checkoutView
		a.Run(t, []apptest.Scenario{{Name: "another card", Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken,
			Body: checkoutBody(link.Slug, "broke@example.com", "4242424242424242", ""), ExpectedStatus: 200, Check: readCheckout(&co)}})
		want := map[string]int{"contacts": 1, "commerce_payments": 1, "deals": 1, "line_items": 3, "subscriptions": 2}
		if after := counts(t, a); !maps.Equal(after, want) {
			t.Errorf("after the retry: %v, want %v", after, want)
		}
	})
}

func TestCheckoutIdempotencyAndQuantity(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		link := createLink(t, a, gymLink)
		body := checkoutBody(link.Slug, "twice@example.com", "4242424242424242", `,"quantity":2`)
		key := map[string]string{"Idempotency-Key": "checkout-1"}
		var first, replay checkoutView
		a.Run(t, []apptest.Scenario{
			{Name: "first", Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken, Body: body, Headers: key,
				ExpectedStatus: 200, Check: readCheckout(&first)},
			{Name: "replay", Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken, Body: body, Headers: key,
				ExpectedStatus: 200, Check: func(t *testing.T, res *http.Response, b []byte) {
					readCheckout(&replay)(t, res, b)
					if res.Header.Get("Idempotency-Hit") != "true" {
						t.Errorf("Idempotency-Hit %q, want true", res.Header.Get("Idempotency-Hit"))
					}
				}},
			{Name: "same key, another body", Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken, Headers: key,
				Body: checkoutBody(link.Slug, "other@example.com", "4242424242424242", ""), ExpectedStatus: 409},
		})
		if replay.PaymentID != first.PaymentID || !slices.Equal(replay.SubscriptionIDs, first.SubscriptionIDs) {
			t.Errorf("replay %+v, first %+v", replay, first)
		}
		if c := counts(t, a); c["commerce_payments"] != 1 || c["subscriptions"] != 2 {
			t.Errorf("records after a replay: %v", c)
		}
		pay := getObject(t, a, "commerce_payments", first.PaymentID, "hs_initial_amount,hs_total_discounts_amount", "")
		wantProps(t, "payment of 2", pay.Properties, map[string]string{"hs_initial_amount": "430", "hs_total_discounts_amount": "110"})
	})
}
