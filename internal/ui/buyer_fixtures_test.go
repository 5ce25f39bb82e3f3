package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/invoice"
)

// brandAccount gives the app's account the brand the buyer page tests look for:
// "Acme <Studio>" in green.
func brandAccount(t *testing.T, a *apptest.App) {
	t.Helper()
	if _, err := a.Auth.UpdateAccount(context.Background(), a.Account.ID, authBranding("Acme <Studio>", "#0A7F5A")); err != nil {
		t.Fatal(err)
	}
}

// crmTestSource marks the CRM writes the tests make.
func crmTestSource() crm.Source { return crm.Source{Type: "API", ID: "test"} }

// recordWithLines creates a record of typ with props, its line items (given as their
// properties) and a contact, all associated with it. The contact's email is user+{id}@domain
// for the record's id, one contact per record.
func recordWithLines(t *testing.T, a *apptest.App, typ string, props map[string]string, user, domain string, lines ...map[string]string) crm.Record {
	t.Helper()
	ctx := context.Background()
	rec, err := a.CRM.Create(ctx, a.Account.ID, typ, crm.Input{Properties: props}, crmTestSource())
	if err != nil {
		t.Fatal(err)
	}
	on := []crm.AssociationInput{{ToType: typ, ToID: rec.IDString()}}
	for _, l := range lines {
		if _, err := a.CRM.Create(ctx, a.Account.ID, "line_items", crm.Input{Properties: l, Associations: on}, crmTestSource()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.CRM.Create(ctx, a.Account.ID, "contacts", crm.Input{Properties: map[string]string{"email": user + "+" + rec.IDString() + "@" + domain}, Associations: on}, crmTestSource()); err != nil {
		t.Fatal(err)
	}
	return rec
}

// payableInvoice finalizes a new invoice of 150.00 USD — an audit whose name holds HTML and two
// reports — and returns it with the token of its pay page.
func payableInvoice(t *testing.T, a *apptest.App) (invoice.Invoice, string) {
	t.Helper()
	ctx := context.Background()
	rec := recordWithLines(t, a, "invoices", map[string]string{}, "billing", "globex.test",
		map[string]string{"name": "Audit <b>bold</b>", "price": "100", "quantity": "1"},
		map[string]string{"name": "Report", "price": "25", "quantity": "2"})
	inv, err := a.Invoices.Finalize(ctx, a.Account.ID, rec.ID, invoice.FinalizeInput{})
	if err != nil {
		t.Fatal(err)
	}
	payURL, err := a.Checkout.InvoicePayURL(ctx, a.Account.ID, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	return inv, strings.TrimPrefix(payURL, a.URL+"/invoices/pay/")
}

// payableQuote publishes a new quote expiring at expires: a monthly membership of 12
// payments at 50.00 less 10% and a one-time setup of 30.00, 75.00 USD in all. It returns
// the quote and the token of its page.
func payableQuote(t *testing.T, a *apptest.App, expires time.Time) (checkout.Quote, string) {
	t.Helper()
	rec := recordWithLines(t, a, "quotes", map[string]string{"hs_title": "Gym <b>deal</b>", "hs_status": "DRAFT",
		"hs_expiration_date": crm.FormatDatetime(expires)}, "member", "example.com",
		map[string]string{"name": "Membership", "price": "50", "quantity": "1", "hs_discount_percentage": "10",
			"recurringbillingfrequency": "monthly", "hs_recurring_billing_number_of_payments": "12"},
		map[string]string{"name": "Setup", "price": "30", "quantity": "1"})
	q, err := a.Checkout.Publish(context.Background(), a.Account.ID, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	return q, strings.TrimPrefix(q.URL, a.URL+"/quotes/")
}

// payByAPI pays an invoice or a quote through the checkout API by card, as another buyer.
func payByAPI(t *testing.T, a *apptest.App, sourceType, token, email string) {
	t.Helper()
	body := `{"source":{"type":"` + sourceType + `","id":"` + token + `"},"buyer":{"email":"` + email + `"},` +
		`"payment_method":{"type":"card","card":{"number":"4242424242424242","exp_month":12,"exp_year":2040,"cvc":"123"}}}`
	if res, b := a.Do(t, "POST", "/settle/v1/checkout", apptest.NoToken, body, nil); res.StatusCode != http.StatusOK {
		t.Fatalf("pay %s %s: %d %s", sourceType, token, res.StatusCode, b)
	}
}

// achForm is a checkout form paying by ACH with the account that settles.
func achForm(email string) url.Values {
	return url.Values{"buyer.email": {email}, "method": {"ach"}, "ach.account_holder": {"Jane Buyer"},
		"ach.routing_number": {"110000000"}, "ach.account_number": {"000123456789"}}
}

// advanceTestClock moves the account's test clock by d through the API.
func advanceTestClock(t *testing.T, a *apptest.App, d time.Duration) {
	t.Helper()
	if res, b := a.Do(t, "POST", "/settle/v1/test-clock/advance", "", `{"by":"`+d.String()+`"}`, nil); res.StatusCode != http.StatusOK {
		t.Fatalf("advance the test clock: %d %s", res.StatusCode, b)
	}
}

// quoteStatusOf reads a quote's hs_status from the database.
func quoteStatusOf(t *testing.T, a *apptest.App, id int64) string {
	t.Helper()
	e, err := a.CRM.Get(context.Background(), a.Account.ID, "quotes", crm.Record{ID: id}.IDString(), "", crm.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return e.Record.Values["hs_status"]
}

// buyerPageCase is a GET of a buyer page and what it must and must not show.
type buyerPageCase struct {
	name, path string
	headers    []string
	status     int
	want, lack []string
}

// runBuyerPages opens each case's page in a fresh browser.
func runBuyerPages(t *testing.T, a *apptest.App, cases []buyerPageCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, body := newDashboard(t, a).get(tc.path, tc.headers...)
			wantStatus(t, res, body, tc.status)
			wantContains(t, body, tc.want...)
			wantLacks(t, body, tc.lack...)
			if res.Header.Get("Cache-Control") != "no-store" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "style-src 'self' 'sha256-") {
				t.Errorf("headers %v", res.Header)
			}
		})
	}
}

// noForm is what a page without a checkout form lacks.
var noForm = []string{`<form method="post"`, `name="card.number"`, `name="csrf_token"`}

// publishedQuoteToken publishes a quote expiring in a month and returns its token.
func publishedQuoteToken(t *testing.T, a *apptest.App) string {
	t.Helper()
	_, token := payableQuote(t, a, time.Now().AddDate(0, 1, 0))
	return token
}

// refusalCase is a post of a buyer form that must be refused with status, showing want,
// and charge nothing.
type refusalCase struct {
	name   string
	post   func(d *dashboard) (*http.Response, string)
	status int
	want   []string
	lack   []string
}

// runRefusals posts each case from a fresh browser and checks that email paid nothing and
// has no contact afterwards.
func runRefusals(t *testing.T, a *apptest.App, email string, cases []refusalCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, body := tc.post(newDashboard(t, a))
			wantStatus(t, res, body, tc.status)
			wantContains(t, body, tc.want...)
			wantLacks(t, body, append(tc.lack, "4242 4242 4242 424", "<script>alert(2)")...)
		})
	}
	wantBuyerRecords(t, a, email, 0)
}

// forged posts form to page without this browser's token for it: with the token of
// another page, opened first.
func forged(page, other string, form url.Values) func(d *dashboard) (*http.Response, string) {
	return func(d *dashboard) (*http.Response, string) {
		form = cloneValues(form)
		form.Set("csrf_token", d.csrf(other))
		return d.post(page, form)
	}
}

// submitted posts form from page's own form.
func submitted(page string, form url.Values) func(d *dashboard) (*http.Response, string) {
	return func(d *dashboard) (*http.Response, string) { return d.submit(page, page, form) }
}

// stale opens page, then lets change happen, then posts form with the token page gave.
func stale(page string, form url.Values, change func()) func(d *dashboard) (*http.Response, string) {
	return func(d *dashboard) (*http.Response, string) {
		form = cloneValues(form)
		form.Set("csrf_token", d.csrf(page))
		change()
		return d.post(page, form)
	}
}

// buyerValues is f with the name, value pairs kv set.
func buyerValues(f url.Values, kv ...string) url.Values {
	f = cloneValues(f)
	for i := 0; i+1 < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

// openInvoiceToken opens an invoice and returns the token of its pay page.
func openInvoiceToken(t *testing.T, a *apptest.App) string {
	t.Helper()
	_, token := payableInvoice(t, a)
	return token
}
