package api_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// draftQuote creates a draft quote through the CRM expiring at expires, with a contact when
// email is set and line items given as their properties.
func draftQuote(t *testing.T, a *apptest.App, expires time.Time, email string, lines ...map[string]string) crm.Record {
	t.Helper()
	ctx := context.Background()
	src := crm.Source{Type: "API", ID: "test"}
	props := map[string]string{"hs_title": "Gym <b>deal</b>", "hs_status": "DRAFT"}
	if !expires.IsZero() {
		props["hs_expiration_date"] = crm.FormatDatetime(expires)
	}
	q, err := a.CRM.Create(ctx, a.Account.ID, "quotes", crm.Input{Properties: props}, src)
	if err != nil {
		t.Fatal(err)
	}
	withLinesAndBuyer(t, a, q, email, lines)
	return q
}

// gymQuoteLines are two monthly lines for 12 payments (one 10% off), an annual line until
// cancelled 25% off, and a one-time setup: 45 + 20 + 150 + 30 = 245 after 55 of discounts.
func gymQuoteLines() []map[string]string {
	monthly := func(name, price, qty string, more ...string) map[string]string {
		l := map[string]string{"name": name, "price": price, "quantity": qty, "recurringbillingfrequency": "monthly",
			"hs_recurring_billing_number_of_payments": "12"}
		for i := 0; i+1 < len(more); i += 2 {
			l[more[i]] = more[i+1]
		}
		return l
	}
	return []map[string]string{
		monthly("Membership", "50", "1", "hs_discount_percentage", "10"),
		monthly("Locker", "10", "2"),
		{"name": "Annual review", "price": "200", "quantity": "1", "hs_discount_percentage": "25", "recurringbillingfrequency": "annually"},
		{"name": "Setup", "price": "30", "quantity": "1"},
	}
}

// publish publishes a quote through the API and returns the token of its URL.
func publish(t *testing.T, a *apptest.App, id string) string {
	t.Helper()
	res, b := a.Do(t, "POST", "/settle/v1/quotes/"+id+"/publish", "", "", nil)
	var q struct{ URL, Status string }
	if err := json.Unmarshal(b, &q); res.StatusCode != http.StatusOK || err != nil || q.Status != "PUBLISHED" {
		t.Fatalf("publish: %d %s", res.StatusCode, b)
	}
	return strings.TrimPrefix(q.URL, a.URL+"/quotes/")
}

func quoteCheckout(token, email, method string) string {
	return `{"source":{"type":"quote","id":"` + token + `"},"buyer":{"email":"` + email + `","first_name":"Ada"},"payment_method":` + method + `}`
}

func TestQuoteAcceptedAndPaid(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		q := draftQuote(t, a, time.Now().AddDate(0, 1, 0), "ada@example.com", gymQuoteLines()...)
		url := "/settle/v1/quotes/" + q.IDString() + "/publish"
		a.Run(t, []apptest.Scenario{{Name: "publish", Method: "POST", URL: url, ExpectedStatus: 200,
			ExpectedContent: []string{`"status":"PUBLISHED"`, `"amount":24500`, `"currency":"USD"`, `"url":"` + a.URL + `/quotes/`}},
			{Name: "publish again", Method: "POST", URL: url, ExpectedStatus: 400, ExpectedContent: []string{"INVALID_TRANSITION"}}})
		token := quoteToken(t, a, q.IDString())
		var co checkoutView
		a.Run(t, []apptest.Scenario{
			{Name: "a quantity", Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken, ExpectedStatus: 400,
				Body:            strings.Replace(quoteCheckout(token, "ada@example.com", card("4242424242424242")), `"buyer"`, `"quantity":2,"buyer"`, 1),
				ExpectedContent: []string{"QUANTITY_NOT_ALLOWED"}},
			{Name: "accept and pay", Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken, ExpectedStatus: 200,
				Body: quoteCheckout(token, "ada@example.com", card("4242424242424242")), ExpectedContent: []string{`"status":"succeeded"`},
				Check: readCheckout(&co)},
			{Name: "not twice", Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken, ExpectedStatus: 400,
				Body: quoteCheckout(token, "ada@example.com", card("4242424242424242")), ExpectedContent: []string{"QUOTE_ACCEPTED"}},
		})
		quote := getObject(t, a, "quotes", q.IDString(), "hs_status,hs_quote_amount,hs_currency", "commerce_payments,deals")
		wantProps(t, "quote", quote.Properties, map[string]string{"hs_status": "ACCEPTED", "hs_quote_amount": "245", "hs_currency": "USD"})
		pay := getObject(t, a, "commerce_payments", co.PaymentID, "hs_initial_amount,hs_total_discounts_amount,hs_payment_source_app",
			"contacts,deals,line_items")
		wantProps(t, "payment", pay.Properties, map[string]string{"hs_initial_amount": "245", "hs_total_discounts_amount": "55",
			"hs_payment_source_app": "QUOTE"})
		deal := one(t, pay.linked("deals"))
		if got := getObject(t, a, "deals", deal, "amount", ""); got.Properties["amount"] != "245" {
			t.Errorf("deal amount %q, want the discounted total 245", got.Properties["amount"])
		}
		if one(t, quote.linked("commerce_payments")) != co.PaymentID || one(t, quote.linked("deals")) != deal {
			t.Errorf("quote associations %+v", quote.Associations)
		}
		if len(co.SubscriptionIDs) != 2 {
			t.Fatalf("subscriptions %v, want a monthly and an annual one", co.SubscriptionIDs)
		}
		contact := one(t, pay.linked("contacts"))
		monthly := checkSubscription(t, a, co.SubscriptionIDs[0], contact, deal, map[string]string{"hs_name": "Membership, Locker",
			"hs_recurring_billing_frequency": "monthly", "hs_recurring_billing_number_of_payments": "12", "hs_last_payment_amount": "65"})
		checkLines(t, a, monthly, map[string]string{"Membership": "45", "Locker": "20"})
		checkSubscription(t, a, co.SubscriptionIDs[1], contact, deal, map[string]string{"hs_name": "Annual review",
			"hs_recurring_billing_frequency": "annually", "hs_last_payment_amount": "150"})
	})
}

// quoteToken publishes nothing: it reads the token of a published quote's URL.
func quoteToken(t *testing.T, a *apptest.App, id string) string {
	t.Helper()
	var n int64
	_ = json.Unmarshal([]byte(id), &n)
	var token string
	err := a.DB.Reader(context.Background()).QueryRowContext(context.Background(),
		`SELECT token FROM checkout_tokens WHERE account_id = $1 AND object_type = 'quotes' AND object_id = $2`, a.Account.ID, n).Scan(&token)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

func TestQuotePublishAndExpiry(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		soon := draftQuote(t, a, time.Now().Add(48*time.Hour), "soon@example.com", gymQuoteLines()...)
		past := draftQuote(t, a, time.Now().Add(-time.Hour), "", gymQuoteLines()...)
		empty := draftQuote(t, a, time.Time{}, "")
		token := publish(t, a, soon.IDString())
		a.Run(t, []apptest.Scenario{
			{Name: "an expiry passed, no contact", Method: "POST", URL: "/settle/v1/quotes/" + past.IDString() + "/publish", ExpectedStatus: 400,
				ExpectedContent: []string{`"in":"hs_expiration_date"`, `"code":"INVALID_RANGE"`, `"in":"contacts"`}},
			{Name: "nothing at all", Method: "POST", URL: "/settle/v1/quotes/" + empty.IDString() + "/publish", ExpectedStatus: 400,
				ExpectedContent: []string{`"in":"hs_expiration_date"`, `"in":"line_items"`, `"in":"contacts"`}},
			{Name: "an unknown quote", Method: "POST", URL: "/settle/v1/quotes/999999/publish", ExpectedStatus: 404},
			{Name: "three days pass", Method: "POST", URL: "/settle/v1/test-clock/advance", Body: `{"by":"72h"}`, ExpectedStatus: 200},
		})
		before := counts(t, a)
		a.Run(t, []apptest.Scenario{{Name: "an expired quote", Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken,
			ExpectedStatus: 400, Body: quoteCheckout(token, "soon@example.com", card("4242424242424242")),
			ExpectedContent: []string{`"in":"source.id"`, `"code":"QUOTE_EXPIRED"`}}})
		if after := counts(t, a); !maps.Equal(before, after) {
			t.Errorf("an expired quote's checkout wrote records: before %v, after %v", before, after)
		}
		if got := getObject(t, a, "quotes", soon.IDString(), "hs_status", ""); got.Properties["hs_status"] != "EXPIRED" {
			t.Errorf("expired quote status %q", got.Properties["hs_status"])
		}
	})
}

// TestQuotesExpireOnTheirDateUnread: a published quote is EXPIRED in searches once its
// expiration date passes on the account's clock, though nobody opens it; one whose date was
// moved later expires at the new date; one accepted before its date stays ACCEPTED.
func TestQuotesExpireOnTheirDateUnread(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		now := time.Now()
		plain := draftQuote(t, a, now.Add(48*time.Hour), "plain@example.com", gymQuoteLines()...)
		moved := draftQuote(t, a, now.Add(48*time.Hour), "moved@example.com", gymQuoteLines()...)
		accepted := draftQuote(t, a, now.Add(48*time.Hour), "taken@example.com", gymQuoteLines()...)
		publish(t, a, plain.IDString())
		publish(t, a, moved.IDString())
		token := publish(t, a, accepted.IDString())
		a.Run(t, []apptest.Scenario{
			{Name: "the date of one is moved later", Method: "PATCH", URL: "/crm/v3/objects/quotes/" + moved.IDString(), ExpectedStatus: 200,
				Body: `{"properties":{"hs_expiration_date":"` + crm.FormatDatetime(now.Add(120*time.Hour)) + `"}}`},
			{Name: "one is accepted and paid", Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken, ExpectedStatus: 200,
				Body: quoteCheckout(token, "taken@example.com", card("4242424242424242"))},
		})
		statuses := func() map[string]string {
			return map[string]string{"plain": quoteStatus(t, a, plain), "moved": quoteStatus(t, a, moved), "accepted": quoteStatus(t, a, accepted)}
		}
		if got := statuses(); got["plain"] != "PUBLISHED" || got["moved"] != "PUBLISHED" || got["accepted"] != "ACCEPTED" {
			t.Fatalf("before the date: %v", got)
		}
		advance(t, a, "72h")
		if got := statuses(); got["plain"] != "EXPIRED" || got["moved"] != "PUBLISHED" || got["accepted"] != "ACCEPTED" {
			t.Errorf("three days on: %v", got)
		}
		advance(t, a, "72h")
		if got := statuses(); got["moved"] != "EXPIRED" || got["accepted"] != "ACCEPTED" {
			t.Errorf("six days on: %v", got)
		}
	})
}

// advance moves the app's test clock forward by d, running what falls due.
func advance(t *testing.T, a *apptest.App, d string) {
	t.Helper()
	a.Run(t, []apptest.Scenario{{Name: "time passes: " + d, Method: "POST", URL: "/settle/v1/test-clock/advance",
		Body: `{"by":"` + d + `"}`, ExpectedStatus: 200}})
}

// quoteStatus finds a quote's hs_status through a CRM search, which reads the stored value
// and, unlike the quote's page, never expires anything itself.
func quoteStatus(t *testing.T, a *apptest.App, q crm.Record) string {
	t.Helper()
	_, b := a.Do(t, "POST", "/crm/v3/objects/quotes/search", "", `{"filterGroups":[{"filters":[
		{"propertyName":"hs_object_id","operator":"EQ","value":"`+q.IDString()+`"}]}],"properties":["hs_status"]}`, nil)
	var out struct {
		Results []struct {
			Properties map[string]string `json:"properties"`
		} `json:"results"`
	}
	if err := json.Unmarshal(b, &out); err != nil || len(out.Results) != 1 {
		t.Fatalf("search quote %s: %s", q.IDString(), b)
	}
	return out.Results[0].Properties["hs_status"]
}
