package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/payment"
)

// sellingLink creates a payment link in the app's account, branded "Acme <Studio>" in green:
// a one-time item and a monthly item of 12 payments, in dollars, with in's options.
func sellingLink(t *testing.T, a *apptest.App, in checkout.LinkInput) checkout.Link {
	t.Helper()
	ctx := context.Background()
	name, color := "Acme <Studio>", "#0A7F5A"
	if _, err := a.Auth.UpdateAccount(ctx, a.Account.ID, authBranding(name, color)); err != nil {
		t.Fatal(err)
	}
	if in.Name == "" {
		in.Name = "Yoga <script>alert(1)</script> pass"
	}
	if in.Items == nil {
		in.Items = []lineitem.Item{
			{Name: "Starter mat", UnitPrice: 2500, Currency: "USD", Quantity: 1},
			{Name: "Classes", UnitPrice: 4000, Currency: "USD", Quantity: 1,
				Billing: &lineitem.Billing{Frequency: lineitem.FrequencyMonthly, Term: lineitem.FixedTerm(12)}},
		}
	}
	l, err := a.Checkout.Create(ctx, a.Account.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// payForm opens a link's page in d, as a browser without JavaScript, and posts form with
// the page's CSRF token.
func payForm(d *dashboard, slug string, form url.Values) (*http.Response, string) {
	d.t.Helper()
	return d.submit("/pay/"+slug, "/pay/"+slug, form)
}

// cardForm is a checkout form paying by card.
func cardForm(email, number string) url.Values {
	return url.Values{"buyer.email": {email}, "buyer.first_name": {"Ada"}, "buyer.last_name": {"Lovelace"},
		"method": {"card"}, "card.number": {number}, "card.exp_month": {"12"}, "card.exp_year": {"34"}, "card.cvc": {"123"}}
}

// countRecords counts the account's records of typ whose prop equals value.
func countRecords(t *testing.T, a *apptest.App, typ, prop, value string) int {
	t.Helper()
	req, err := crm.ParseSearchRequest(fmt.Appendf(nil,
		`{"filterGroups":[{"filters":[{"propertyName":%q,"operator":"EQ","value":%q}]}],"limit":10}`, prop, value))
	if err != nil {
		t.Fatal(err)
	}
	res, err := a.CRM.Search(context.Background(), a.Account.ID, typ, req)
	if err != nil {
		t.Fatal(err)
	}
	return res.Total
}

// wantBuyerRecords checks that email paid count times and has exactly one contact, or none
// when it never paid.
func wantBuyerRecords(t *testing.T, a *apptest.App, email string, payments int) {
	t.Helper()
	contacts := min(payments, 1)
	if got := countRecords(t, a, payment.Type, "hs_customer_email", email); got != payments {
		t.Errorf("%s has %d payments, want %d", email, got, payments)
	}
	if got := countRecords(t, a, "contacts", "email", email); got != contacts {
		t.Errorf("%s has %d contacts, want %d", email, got, contacts)
	}
}

func TestBuyerPageRendering(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		full := sellingLink(t, a, checkout.LinkInput{AllowQuantity: true, CollectBillingAddress: true,
			Methods: []checkout.Method{checkout.MethodCard, checkout.MethodSEPA}})
		plain := sellingLink(t, a, checkout.LinkInput{Name: "Plain", Items: []lineitem.Item{{Name: "Book", UnitPrice: 1000, Currency: "USD", Quantity: 2}}})
		cases := []struct {
			name, path string
			headers    []string
			want, lack []string
		}{
			{name: "english by default", path: "/pay/" + full.Slug,
				want: []string{`<html lang="en">`, "Yoga &lt;script&gt;alert(1)&lt;/script&gt; pass", "Acme &lt;Studio&gt;",
					"every month, 12 payments", "$25.00", "$40.00", "$65.00", `id="f-quantity"`, "Billing address",
					`id="f-card-number"`, `id="f-sepa-iban"`, `name="method" id="method-card" value="card" checked`,
					`<legend>Payment method</legend>`, `autocomplete="cc-number"`},
				lack: []string{"<script>alert(1)", `id="f-ach-routing-number"`, `id="error-summary"`}},
			{name: "query language", path: "/pay/" + full.Slug + "?lang=fr",
				want: []string{`<html lang="fr">`, "chaque mois, 12 paiements", "Adresse de facturation", "Numéro de carte"}},
			{name: "browser language", path: "/pay/" + full.Slug, headers: []string{"Accept-Language", "de-CH, de;q=0.9"},
				want: []string{`<html lang="de">`, "jeden Monat, 12 Zahlungen", "Kartennummer"}},
			{name: "query beats browser", path: "/pay/" + full.Slug + "?lang=es", headers: []string{"Accept-Language", "de"},
				want: []string{`<html lang="es">`, "cada mes, 12 pagos", "Número de tarjeta"}},
			{name: "fixed quantity, no address", path: "/pay/" + plain.Slug,
				want: []string{"2 × $10.00", "$20.00", `id="f-card-number"`},
				lack: []string{`id="f-quantity"`, "Billing address", "every month", `id="f-sepa-iban"`}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res, body := newDashboard(t, a).get(tc.path, tc.headers...)
				wantStatus(t, res, body, http.StatusOK)
				wantContains(t, body, tc.want...)
				wantLacks(t, body, tc.lack...)
				csp := res.Header.Get("Content-Security-Policy")
				if !strings.Contains(csp, "style-src 'self' 'sha256-") || !strings.Contains(csp, "script-src 'self'") ||
					res.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("headers %v", res.Header)
				}
				wantContains(t, body, "<style>:root{--brand:#0a7f5a;--brand-ink:#ffffff}</style>")
			})
		}
	})
}

func TestBuyerCheckoutRefusals(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		l := sellingLink(t, a, checkout.LinkInput{AllowQuantity: true, CollectBillingAddress: true})
		with := func(f url.Values, kv ...string) url.Values {
			f = cloneValues(f)
			for i := 0; i+1 < len(kv); i += 2 {
				f.Set(kv[i], kv[i+1])
			}
			return f
		}
		good := with(cardForm("ada@example.com", "4242 4242 4242 4242"), "quantity", "1",
			"billing_address.line1", "1 Main St", "billing_address.country", "US")
		cases := []struct {
			name   string
			form   url.Values
			status int
			want   []string
		}{
			{"no email", with(good, "buyer.email", ""), http.StatusBadRequest,
				[]string{`id="f-buyer-email-error">Enter your email address.`, `aria-describedby="f-buyer-email-hint f-buyer-email-error"`,
					`<a href="#f-buyer-email">Enter your email address.</a>`}},
			{"malformed email", with(good, "buyer.email", "ada@"), http.StatusBadRequest,
				[]string{"Enter an email address such as name@example.com.", `value="ada@"`}},
			{"no card number", with(good, "card.number", ""), http.StatusBadRequest,
				[]string{`id="f-card-number-error">Fill in this field.`}},
			{"bad card number", with(good, "card.number", "4242 4242 4242 4241"), http.StatusBadRequest,
				[]string{"Check the card number: it is not a valid card."}},
			{"expired card", with(good, "card.exp_year", "19"), http.StatusBadRequest,
				[]string{`id="f-card-exp-year-error">This card has expired`}},
			{"quantity zero", with(good, "quantity", "0"), http.StatusBadRequest,
				[]string{`id="f-quantity-error">Enter a whole number from 1 to 999999.`}},
			{"quantity a billion", with(good, "quantity", "1000000000"), http.StatusBadRequest,
				[]string{"Enter a whole number from 1 to 999999."}},
			{"no address", with(good, "billing_address.line1", ""), http.StatusBadRequest,
				[]string{`id="f-billing-address-line1-error"`}},
			{"a method the link does not take", with(good, "method", "sepa", "sepa.iban", "DE89370400440532013000",
				"sepa.account_holder", "Ada"), http.StatusBadRequest,
				[]string{`id="f-payment-method-error">This payment method is not accepted here`}},
			{"no method", with(good, "method", ""), http.StatusBadRequest, []string{"Choose how to pay."}},
			{"html in names", with(good, "buyer.email", "", "buyer.first_name", "<script>alert(2)</script>"), http.StatusBadRequest,
				[]string{`value="&lt;script&gt;alert(2)&lt;/script&gt;"`}},
			{"no CSRF token", with(good, "csrf_token", "forged"), http.StatusForbidden,
				[]string{"This page had expired."}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				d := newDashboard(t, a)
				var res *http.Response
				var body string
				if tc.form.Get("csrf_token") != "" {
					d.get("/pay/" + l.Slug)
					res, body = d.post("/pay/"+l.Slug, tc.form)
				} else {
					res, body = payForm(d, l.Slug, tc.form)
				}
				wantStatus(t, res, body, tc.status)
				wantContains(t, body, tc.want...)
				wantContains(t, body, `id="error-summary" role="alert" tabindex="-1" autofocus`, `value="US"`)
				wantLacks(t, body, "4242 4242 4242 424", `value="123"`, "<script>alert(2)")
			})
		}
		wantBuyerRecords(t, a, "ada@example.com", 0)
	})
}

var receiptPath = regexp.MustCompile(`^/pay/[a-z2-7]{16}/done/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+(\?lang=[a-z]+)?$`)

func TestBuyerDeclineRetryAndReceipt(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		l := sellingLink(t, a, checkout.LinkInput{})
		// A signed-in user's browser pays as the buyer typed, never as the user (SPEC F9).
		d := signedIn(t, a, a.Admin.Email)
		res, body := payForm(d, l.Slug, cardForm("grace@example.com", "4000 0000 0000 0002"))
		wantStatus(t, res, body, http.StatusPaymentRequired)
		wantContains(t, body, `id="f-card-number-error">Your card was declined. Nothing was charged`, `value="grace@example.com"`)
		wantLacks(t, body, "4000 0000 0000 0002")
		wantBuyerRecords(t, a, "grace@example.com", 0)

		res, body = payForm(d, l.Slug, cardForm("grace@example.com", "4242 4242 4242 4242"))
		wantStatus(t, res, body, http.StatusSeeOther)
		done := res.Header.Get("Location")
		if !receiptPath.MatchString(done) || !strings.HasPrefix(done, "/pay/"+l.Slug+"/done/") {
			t.Fatalf("redirect to %q", done)
		}
		res, body = d.get(done)
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, "Payment received", `id="receipt-amount">$65.00`, `id="receipt-method">Visa •••• 4242`,
			`id="receipt-status">Succeeded`, `id="receipt-email">grace@example.com`, `id="receipt-merchant">Acme &lt;Studio&gt;`)
		wantLacks(t, body, a.Admin.Email)
		wantBuyerRecords(t, a, "grace@example.com", 1)
		wantBuyerRecords(t, a, a.Admin.Email, 0)

		t.Run("the receipt is only the paying browser's", func(t *testing.T) {
			payload, mac, _ := strings.Cut(strings.TrimPrefix(done, "/pay/"+l.Slug+"/done/"), ".")
			other := sellingLink(t, a, checkout.LinkInput{Name: "Other"})
			for name, path := range map[string]string{
				"tampered":   "/pay/" + l.Slug + "/done/" + payload + "." + flipFirst(mac),
				"other link": "/pay/" + other.Slug + "/done/" + payload + "." + mac,
				"bare id":    "/pay/" + l.Slug + "/done/1",
			} {
				res, body := d.get(path)
				if res.StatusCode != http.StatusNotFound || strings.Contains(body, "grace@example.com") {
					t.Errorf("%s receipt: status %d, want 404 without the buyer's email", name, res.StatusCode)
				}
			}
			res, body := newDashboard(t, a).get(done)
			wantStatus(t, res, body, http.StatusNotFound)
			wantLacks(t, body, "grace@example.com")
		})
	})
}

func TestBuyerBankDebitIsProcessing(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		l := sellingLink(t, a, checkout.LinkInput{Methods: []checkout.Method{checkout.MethodCard, checkout.MethodSEPA}})
		d := newDashboard(t, a)
		res, body := payForm(d, l.Slug, url.Values{"buyer.email": {"hans@example.com"}, "method": {"sepa"},
			"sepa.iban": {"DE89370400440532013000"}, "sepa.account_holder": {"Hans Muster"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = d.get(res.Header.Get("Location"), "Accept-Language", "de")
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, "Zahlung übermittelt", `id="receipt-method">SEPA-Lastschrift •••• 3000`,
			`id="receipt-status">In Bearbeitung`, `id="processing-note"`)
		wantBuyerRecords(t, a, "hans@example.com", 1)
	})
}

func TestBuyerInactiveAndUnknownLinks(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		l := sellingLink(t, a, checkout.LinkInput{})
		d := newDashboard(t, a)
		token := d.csrf("/pay/" + l.Slug)
		if _, err := a.Checkout.Deactivate(context.Background(), a.Account.ID, l.ID); err != nil {
			t.Fatal(err)
		}
		form := cardForm("late@example.com", "4242424242424242")
		form.Set("csrf_token", token)
		for _, tc := range []struct {
			name   string
			do     func() (*http.Response, string)
			status int
			want   string
		}{
			{"open", func() (*http.Response, string) { return d.get("/pay/" + l.Slug) }, http.StatusGone, "This payment link is no longer active"},
			{"open in French", func() (*http.Response, string) { return newDashboard(t, a).get("/pay/" + l.Slug + "?lang=fr") }, http.StatusGone, "Ce lien de paiement n&#39;est plus actif"},
			{"pay", func() (*http.Response, string) { return d.post("/pay/"+l.Slug, form) }, http.StatusGone, "Nothing was charged"},
			{"unknown", func() (*http.Response, string) { return d.get("/pay/aaaaaaaaaaaaaaaa") }, http.StatusNotFound, "Page not found"},
			{"malformed", func() (*http.Response, string) { return d.get("/pay/1") }, http.StatusNotFound, "Page not found"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res, body := tc.do()
				wantStatus(t, res, body, tc.status)
				wantContains(t, body, tc.want)
				wantLacks(t, body, `name="card.number"`)
			})
		}
		wantBuyerRecords(t, a, "late@example.com", 0)
	})
}

func authBranding(name, color string) auth.AccountUpdate {
	return auth.AccountUpdate{BrandCompanyName: &name, BrandColor: &color}
}

// flipFirst changes the first character of s.
func flipFirst(s string) string {
	if s[0] == 'A' {
		return "B" + s[1:]
	}
	return "A" + s[1:]
}
