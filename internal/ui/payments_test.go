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
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/processor"
)

// charge makes a card payment from a payment link in the app's first account, as a buyer
// would at checkout.
func charge(t *testing.T, a *apptest.App, email string, amount money.Amount) payment.Payment {
	t.Helper()
	p, err := a.Payments.Charge(context.Background(), a.Account.ID, payment.ChargeInput{Amount: amount,
		Buyer: payment.Buyer{Email: email},
		Method: processor.TokenizeParams{Card: &processor.CardDetails{Number: "4242424242424242", ExpMonth: 12,
			ExpYear: 2030, CVC: "123"}},
		Source: payment.Source{Type: "payment_link", Name: "Yoga"}})
	if err != nil {
		t.Fatalf("charge %s %v: %v", email, amount, err)
	}
	return p
}

func usd(minor int64) money.Amount { return money.Amount{Minor: minor, Currency: "USD"} }

// paymentPath is a payment's page.
func paymentPath(p payment.Payment) string { return fmt.Sprintf("/payments/%d", p.ID) }

// storedPayment reads a payment and its refunds as the payment service has them.
func storedPayment(t *testing.T, a *apptest.App, p payment.Payment) (payment.Payment, []payment.Refund) {
	t.Helper()
	ctx := context.Background()
	got, err := a.Payments.Get(ctx, a.Account.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	refunds, err := a.Payments.Refunds(ctx, a.Account.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got, refunds
}

// wantUnrefunded fails the test unless p is still succeeded with no refund.
func wantUnrefunded(t *testing.T, a *apptest.App, p payment.Payment) {
	t.Helper()
	got, refunds := storedPayment(t, a, p)
	if got.Status != payment.StatusSucceeded || got.Refunded.Minor != 0 || len(refunds) != 0 {
		t.Errorf("the payment is now %s, %d refunded, %d refunds", got.Status, got.Refunded.Minor, len(refunds))
	}
}

// related returns the ids of a payment's contact, company and deal.
func related(t *testing.T, a *apptest.App, p payment.Payment) (contact, company, deal int64) {
	t.Helper()
	linked, err := a.Payments.Related(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return linked.Contact, linked.Company, linked.Deal
}

func TestPaymentsListAndItsEmptyState(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := signedIn(t, a, a.Admin.Email)
		res, body := d.get("/payments")
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, "<h1>Payments</h1>", "There are no payments yet.", `<a href="/payments" aria-current="page">`,
			"Payments are processed by Settle&#39;s built-in processor, in USD.", `<a href="/settings" class="button button-primary">Open payment settings</a>`,
			`href="/settings/api-tokens"`, "POST /settle/v1/payments", `<a href="/selling/links/new" class="button">Create a payment link</a>`)
		wantLacks(t, body, "<table")

		first := charge(t, a, "ada@example.com", usd(10000))
		for i := 1; i < 27; i++ {
			charge(t, a, fmt.Sprintf("buyer%02d@example.com", i), usd(int64(100*i)))
		}
		_, body = d.get("/payments")
		wantLacks(t, body, "There are no payments yet.", "ada@example.com")
		if n := strings.Count(body, `class="row-title amount-cell"`); n != 25 {
			t.Errorf("first page: %d rows, want 25", n)
		}
		wantContains(t, body, `<a href="/payments/`, "$26.00", "buyer26@example.com", `<span class="status-badge status-success">Succeeded</span>`,
			"<td>Card</td>")
		next := regexp.MustCompile(`href="(/payments\?after=\d+)" class="button" rel="next"`).FindStringSubmatch(body)
		if next == nil {
			t.Fatal("no link to the next page")
		}
		_, body = d.get(next[1])
		if n := strings.Count(body, `class="row-title amount-cell"`); n != 2 {
			t.Errorf("second page: %d rows, want 2", n)
		}
		wantContains(t, body, `<a href="`+paymentPath(first)+`">$100.00</a>`, "ada@example.com", `href="/payments" class="button"`)
		wantLacks(t, body, `rel="next"`)
	})
}

func TestPaymentPanel(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		p := charge(t, a, "ada@example.com", usd(10000))
		contact, _, deal := related(t, a, p)
		d := signedIn(t, a, a.Admin.Email)
		res, body := d.get(paymentPath(p))
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body,
			`<title>$100.00 · Payment · My business · Settle</title>`,
			`<span class="payment-amount">$100.00</span> <span class="status-badge status-success">Succeeded</span>`,
			fmt.Sprintf(`<dt>Buyer</dt><dd><a href="/contacts/%d">ada@example.com</a></dd>`, contact),
			"<dt>Payment method</dt><dd>Card</dd>", "<dt>Processor</dt><dd>Settle payments</dd>",
			"<dt>Source</dt><dd>Payment link · Yoga</dd>",
			"<dt>Gross amount</dt><dd>$100.00</dd>", "<dt>Fees</dt><dd>-$3.20</dd>", "<dt>Refunds</dt><dd>$0.00</dd>",
			`<div class="amount-total"><dt>Net amount</dt><dd>$96.80</dd>`, "<dt>Amount paid</dt><dd>$100.00</dd>",
			"No refunds.", "The processor recorded this payment", `<span class="readonly-value">Settle payments</span>`,
			`<span class="readonly-value">$96.80</span>`,
			"Payment of $100.00 succeeded", `id="assoc-contacts"`, `id="assoc-companies"`, `id="assoc-deals"`, `id="assoc-invoices"`,
			fmt.Sprintf(`<a href="/deals/%d" class="assoc-name">Yoga – ada@example.com</a>`, deal),
			"No line items. Payments from payment links and quotes will list what was bought here.",
			"No subscription.", "No invoice associated yet.", "Replace the contact", "Add an existing company",
			`<dialog id="refund-dialog"`, `data-dialog="refund-dialog"`, `value="100.00"`)
		wantLacks(t, body, `id="properties-form"`, "Activity: payment")

		// The contact's page links the payment, on its card and in its timeline (SPEC F15).
		_, body = d.get(fmt.Sprintf("/contacts/%d", contact))
		link := `<a href="` + paymentPath(p) + `"`
		wantContains(t, body, `id="assoc-commerce_payments"`, link+` class="assoc-name">$100.00</a>`,
			"Payment of "+link+">$100.00</a> succeeded")

		// In French, amounts, statuses and the panel's words.
		_, body = d.get(paymentPath(p) + "?lang=fr")
		wantContains(t, body, "100,00\u00a0$US", "Réussi", "Montant brut", "Historique du paiement", "Rembourser")
	})
}

func TestPaymentInTheSettlementCurrency(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		currencies := []string{"USD", "EUR"}
		if _, err := a.Auth.UpdateAccount(context.Background(), a.Account.ID, auth.AccountUpdate{Currencies: &currencies}); err != nil {
			t.Fatal(err)
		}
		p := charge(t, a, "ada@example.com", money.Amount{Minor: 10000, Currency: "EUR"})
		_, body := signedIn(t, a, a.Admin.Email).get(paymentPath(p))
		wantContains(t, body, "<dt>Gross amount</dt><dd>€100.00</dd>", "In the settlement currency (USD)",
			"<dt>Gross amount</dt><dd>$108.37</dd>", "<dt>Exchange rate</dt><dd>1 EUR = 1.0837 USD</dd>")
	})
}

func TestRefundThroughTheForm(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		p := charge(t, a, "ada@example.com", usd(10000))
		d := signedIn(t, a, a.Admin.Email)
		page, refundPage := paymentPath(p), paymentPath(p)+"/refund"

		res, body := d.get(refundPage)
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, "<h1>Refund a payment</h1>", `value="100.00"`, "Up to $100.00.",
			`<option value="requested_by_customer" selected>Requested by the customer</option>`, `<a href="`+page+`" class="button">Cancel</a>`)

		res, body = d.submit(page, refundPage, url.Values{"amount": {"30"}, "reason": {"requested_by_customer"}})
		wantRedirect(t, res, body, page+"?notice=refunded")
		_, body = d.get(page + "?notice=refunded")
		wantContains(t, body, "The refund was made.", `<span class="status-badge status-neutral">Partially refunded</span>`,
			`<span class="refund-amount">$30.00</span>`, "Requested by the customer · ", "<dt>Refunds</dt><dd>-$30.00</dd>",
			"<dt>Net amount</dt><dd>$66.80</dd>", "<dt>Amount paid</dt><dd>$70.00</dd>", `value="70.00"`,
			"Refund on the payment of $100.00, now Partially refunded")

		refusals := []struct {
			name string
			form url.Values
			want []string
		}{
			{name: "more than remains", form: url.Values{"amount": {"70.01"}, "reason": {"other"}},
				want: []string{`id="f-refund-amount-error">At most $70.00 can still be refunded.`, `value="70.01"`}},
			{name: "no number", form: url.Values{"amount": {"ten"}, "reason": {"other"}},
				want: []string{`id="f-refund-amount-error">Enter an amount above zero, up to $70.00.`}},
			{name: "zero", form: url.Values{"amount": {"0"}, "reason": {"other"}},
				want: []string{`id="f-refund-amount-error">Enter an amount above zero, up to $70.00.`}},
			{name: "too many decimals", form: url.Values{"amount": {"1.005"}, "reason": {"other"}},
				want: []string{`id="f-refund-amount-error">Enter an amount above zero`}},
			{name: "a reason not offered", form: url.Values{"amount": {"5"}, "reason": {"bored"}},
				want: []string{`id="f-refund-reason-error">Choose one of the options offered.`}},
		}
		for _, tc := range refusals {
			t.Run(tc.name, func(t *testing.T) {
				res, body := d.submit(page, refundPage, tc.form)
				wantStatus(t, res, body, http.StatusBadRequest)
				wantContains(t, body, append(tc.want, "Some fields need your attention. Nothing was saved.")...)
				got, refunds := storedPayment(t, a, p)
				if got.Refunded.Minor != 3000 || len(refunds) != 1 || got.Status != payment.StatusPartiallyRefund {
					t.Errorf("the payment is now %s with %d refunded in %d refunds", got.Status, got.Refunded.Minor, len(refunds))
				}
			})
		}

		// A decimal comma, as French, German and Spanish write amounts; then the rest.
		res, body = d.submit(page, refundPage, url.Values{"amount": {"20,50"}, "reason": {"duplicate"}})
		wantRedirect(t, res, body, page+"?notice=refunded")
		res, body = d.submit(page, refundPage, url.Values{"amount": {"49.50"}, "reason": {"other"}})
		wantRedirect(t, res, body, page+"?notice=refunded")
		got, refunds := storedPayment(t, a, p)
		if got.Status != payment.StatusRefunded || len(refunds) != 3 || refunds[1].Amount.Minor != 2050 || refunds[1].Reason != "duplicate" {
			t.Errorf("the payment is %s with refunds %+v", got.Status, refunds)
		}
		_, body = d.get(page)
		wantContains(t, body, `<span class="status-badge status-neutral">Refunded</span>`, "<dt>Net amount</dt><dd>-$3.20</dd>",
			"Only succeeded payments with an amount left can be refunded.")
		wantLacks(t, body, "<dialog")
		res, body = d.submit(page, refundPage, url.Values{"amount": {"1"}, "reason": {"other"}})
		wantStatus(t, res, body, http.StatusBadRequest)
		wantContains(t, body, "This payment cannot be refunded: only succeeded or partially refunded payments can.")
	})
}

func TestPaymentsFollowPermissions(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		p := charge(t, a, "ada@example.com", usd(10000))
		contact, _, _ := related(t, a, p)
		other := record(t, a, a.Account.ID, "contacts", map[string]string{"email": "grace@example.com"})
		a.UserWith(t, "viewer@acme.test", auth.PermViewPayments)
		a.UserWith(t, "settings@acme.test", auth.PermManageSettings)
		viewer, settings := signedIn(t, a, "viewer@acme.test"), signedIn(t, a, "settings@acme.test")
		page := paymentPath(p)

		res, body := viewer.get(page)
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, `<span class="payment-amount">$100.00</span>`, "ada@example.com",
			"Seeing a payment&#39;s history needs the Manage payments and subscriptions permission.")
		wantLacks(t, body, `<ol class="timeline">`, "Payment of $100.00 succeeded", "<dialog", "/refund", "Actions",
			page+"/associations", "Replace the contact")

		forged := []struct {
			name, path string
			form       url.Values
		}{
			{name: "refund", path: page + "/refund", form: url.Values{"amount": {"10"}, "reason": {"other"}}},
			{name: "replace the contact", path: page + "/associations", form: url.Values{"to_type": {"contacts"}, "to_id": {other.IDString()}}},
			{name: "remove the contact", path: fmt.Sprintf("%s/associations/contacts/%d/delete", page, contact)},
			{name: "change a property", path: page, form: url.Values{"p.hs_reference_number": {"X"}}},
			{name: "add the payment to a contact", path: "/contacts/" + other.IDString() + "/associations",
				form: url.Values{"to_type": {"commerce_payments"}, "to_id": {fmt.Sprint(p.ID)}}},
		}
		for _, tc := range forged {
			t.Run("a viewer cannot "+tc.name, func(t *testing.T) {
				res, body := viewer.submit(page, tc.path, tc.form)
				wantStatus(t, res, body, http.StatusForbidden)
				wantContains(t, body, "You do not have access to this page")
			})
		}
		res, body = viewer.get(page + "/refund")
		wantStatus(t, res, body, http.StatusForbidden)
		wantUnrefunded(t, a, p)
		if c, _, _ := related(t, a, p); c != contact {
			t.Errorf("the payment's contact is now %d, want %d", c, contact)
		}

		// Without a payment permission, payments are nowhere to be seen.
		for _, path := range []string{"/payments", page} {
			res, body := settings.get(path)
			wantStatus(t, res, body, http.StatusForbidden)
		}
		_, body = settings.get(fmt.Sprintf("/contacts/%d", contact))
		wantLacks(t, body, "assoc-commerce_payments", `href="/payments/`, "Payment of")
	})
}

func TestReplaceThePaymentsContact(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ctx := context.Background()
		p := charge(t, a, "ada@example.com", usd(10000))
		ada, _, deal := related(t, a, p)
		grace := record(t, a, a.Account.ID, "contacts", map[string]string{"email": "grace@example.com", "firstname": "Grace"})
		d := signedIn(t, a, a.Admin.Email)
		page := paymentPath(p)

		res, body := d.get(page + "?add=contacts&q=grace")
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, "<summary>Replace the contact</summary>", "The record you choose replaces ada@example.com.",
			`name="to_id" value="`+grace.IDString()+`" checked`, `>Replace</button>`)

		res, body = d.submit(page, page+"/associations", url.Values{"to_type": {"contacts"}, "to_id": {grace.IDString()}})
		wantRedirect(t, res, body, page+"?notice=associated")
		contacts, err := a.CRM.Associations(ctx, a.Account.ID, payment.Type, fmt.Sprint(p.ID), "contacts", 0, 10)
		if err != nil || len(contacts.Results) != 1 || contacts.Results[0].ID != grace.ID {
			t.Fatalf("the payment's contacts are %+v (%v), want Grace alone", contacts.Results, err)
		}
		_, body = d.get(page)
		wantContains(t, body, `<a href="/contacts/`+grace.IDString()+`" class="assoc-name">Grace</a>`,
			`<dt>Buyer</dt><dd><a href="/contacts/`+grace.IDString()+`">Grace</a> <span class="muted">ada@example.com</span></dd>`)
		wantLacks(t, body, fmt.Sprintf(`<a href="/contacts/%d" class="assoc-name">`, ada))
		_, body = d.get(fmt.Sprintf("/contacts/%d", ada))
		wantContains(t, body, "No longer associated with <a href=\""+page+"\">$100.00</a>")

		// Labels: the account's own label on payments and deals.
		labels, err := a.CRM.CreateLabel(ctx, a.Account.ID, payment.Type, "deals", crm.LabelInput{Label: "Deposit", InverseLabel: "Deposit of"})
		if err != nil {
			t.Fatal(err)
		}
		dealLink := fmt.Sprintf("%s/associations/deals/%d", page, deal)
		res, body = d.submit(page, dealLink, url.Values{"type_id": {fmt.Sprint(labels[0].TypeID)}})
		wantRedirect(t, res, body, page+"?notice=labels_saved")
		_, body = d.get(page)
		wantContains(t, body, `<span class="tag tag-label">Deposit</span>`)

		res, body = d.submit(page, dealLink+"/delete", nil)
		wantRedirect(t, res, body, page+"?notice=association_removed")
		_, body = d.get(page)
		wantContains(t, body, "No deals associated yet.", "<summary>Add an existing deal</summary>")
	})
}

func TestPaymentProperties(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ctx := context.Background()
		processed := charge(t, a, "ada@example.com", usd(10000))
		rec, err := a.CRM.Create(ctx, a.Account.ID, payment.Type, crm.Input{Properties: map[string]string{
			"hs_initial_amount": "50", "hs_currency_code": "USD", "hs_initiated_date": "2026-01-05T00:00:00Z",
			"hs_processor_type": "quickbooks", "hs_customer_email": "grace@example.com", "hs_latest_status": "succeeded",
			"hs_payment_method_type": "check"}}, crm.Source{Type: "API", ID: "test"})
		if err != nil {
			t.Fatal(err)
		}
		d := signedIn(t, a, a.Admin.Email)
		external := "/payments/" + rec.IDString()

		_, body := d.get(external)
		wantContains(t, body, `<form method="post" action="`+external+`" id="properties-form">`, `id="f-p-hs-reference-number"`,
			"<dt>Processor</dt><dd>QuickBooks</dd>", "<dt>Payment method</dt><dd>Check</dd>")
		res, body := d.submit(external, external, url.Values{"p.hs_reference_number": {"CHK-1042"}})
		wantRedirect(t, res, body, external+"?notice=saved")
		if got := stored(t, a, payment.Type, rec.IDString()); got.Values["hs_reference_number"] != "CHK-1042" {
			t.Errorf("reference %q", got.Values["hs_reference_number"])
		}
		res, body = d.submit(external, external, url.Values{"p.hs_latest_status": {"processing"}, "p.hs_reference_number": {"CHK-2"}})
		wantStatus(t, res, body, http.StatusBadRequest)
		wantContains(t, body, `id="f-p-hs-latest-status-error">A payment cannot move from its current status to this one.`)
		if got := stored(t, a, payment.Type, rec.IDString()); got.Values["hs_reference_number"] != "CHK-1042" {
			t.Errorf("a refused form wrote the reference %q", got.Values["hs_reference_number"])
		}

		// A payment recorded outside Settle is refunded on record only.
		_, body = d.get(external + "/refund")
		wantContains(t, body, "This payment was recorded outside Settle")

		// A processed payment has no form, and a forged post is refused by the payment rules.
		page := paymentPath(processed)
		res, body = d.submit(page, page, url.Values{"p.hs_reference_number": {"Mine"}})
		wantStatus(t, res, body, http.StatusBadRequest)
		wantContains(t, body, "The processor recorded this payment, so it cannot be changed here; refund it instead.")
		if got := stored(t, a, payment.Type, fmt.Sprint(processed.ID)); got.Values["hs_reference_number"] != "" {
			t.Errorf("the processed payment took the reference %q", got.Values["hs_reference_number"])
		}
	})
}

func TestPaymentPagesAreIsolated(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		p := charge(t, a, "ada@example.com", usd(10000))
		contact, _, _ := related(t, a, p)
		acctB, _, _ := a.OtherAccount(t, "neighbour@other.test")
		own := record(t, a, acctB.ID, "contacts", map[string]string{"email": "bob@other.test"})
		d := signedIn(t, a, "neighbour@other.test")
		page := paymentPath(p)
		cases := []struct {
			name, method, path string
			form               url.Values
		}{
			{name: "open A's payment", method: "GET", path: page},
			{name: "open its refund form", method: "GET", path: page + "/refund"},
			{name: "refund it", method: "POST", path: page + "/refund", form: url.Values{"amount": {"10"}, "reason": {"other"}}},
			{name: "change it", method: "POST", path: page, form: url.Values{"p.hs_reference_number": {"X"}}},
			{name: "give it B's contact", method: "POST", path: page + "/associations",
				form: url.Values{"to_type": {"contacts"}, "to_id": {own.IDString()}}},
			{name: "remove its contact", method: "POST", path: fmt.Sprintf("%s/associations/contacts/%d/delete", page, contact)},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var res *http.Response
				var body string
				if tc.method == "GET" {
					res, body = d.get(tc.path)
				} else {
					res, body = d.submit("/payments", tc.path, tc.form)
				}
				wantStatus(t, res, body, http.StatusNotFound)
				wantContains(t, body, "Page not found")
				wantLacks(t, body, "ada@example.com", "$100.00")
			})
		}
		_, body := d.get("/payments")
		wantContains(t, body, "There are no payments yet.")
		wantLacks(t, body, "ada@example.com")
		wantUnrefunded(t, a, p)
		if c, _, _ := related(t, a, p); c != contact {
			t.Errorf("A's payment now has contact %d", c)
		}
	})
}

func TestPaymentFormsNeedTheirCSRFToken(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		p := charge(t, a, "ada@example.com", usd(10000))
		contact, _, _ := related(t, a, p)
		d := signedIn(t, a, a.Admin.Email)
		page := paymentPath(p)
		for _, tc := range []struct {
			name, path string
			form       url.Values
		}{
			{name: "refund", path: page + "/refund", form: url.Values{"amount": {"10"}, "reason": {"other"}}},
			{name: "remove the contact", path: fmt.Sprintf("%s/associations/contacts/%d/delete", page, contact)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res, body := d.post(tc.path, tc.form)
				wantStatus(t, res, body, http.StatusForbidden)
				wantContains(t, body, "This form has expired")
			})
		}
		wantUnrefunded(t, a, p)
		if c, _, _ := related(t, a, p); c != contact {
			t.Errorf("the payment's contact is now %d", c)
		}
	})
}

// TestBankDebitOnThePanel follows an ACH debit and a disputed card on their panels: the
// debit processes, settles when the test clock moves on and is refunded over business
// days; the dispute opens on the timeline.
func TestBankDebitOnThePanel(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ctx := context.Background()
		pay := func(email string, method processor.TokenizeParams) payment.Payment {
			p, err := a.Payments.Charge(ctx, a.Account.ID, payment.ChargeInput{Amount: usd(20000), Buyer: payment.Buyer{Email: email},
				Method: method, Source: payment.Source{Type: "api"}})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		debit := pay("jane@example.com", processor.TokenizeParams{ACH: &processor.ACHDetails{RoutingNumber: "110000000",
			AccountNumber: "000123456789", AccountHolder: "Jane Buyer"}})
		disputed := pay("fraud@example.com", processor.TokenizeParams{Card: &processor.CardDetails{Number: "4000000000000259",
			ExpMonth: 1, ExpYear: 2040, CVC: "123"}})
		d := signedIn(t, a, a.Admin.Email)
		page := paymentPath(debit)

		_, body := d.get(page)
		wantContains(t, body, `<span class="status-badge status-pending">Processing</span>`, "<dt>Payment method</dt><dd>ACH</dd>",
			"Only succeeded payments with an amount left can be refunded.", "Payment of $200.00 submitted, processing")
		wantLacks(t, body, "<dialog")

		res, body := d.submit("/settings/test-clock", "/settings/test-clock", url.Values{"by": {"336h"}})
		wantRedirect(t, res, body, "/settings/test-clock?notice=test_clock_advanced")
		_, body = d.get(page)
		wantContains(t, body, `<span class="status-badge status-success">Succeeded</span>`, "Payment of $200.00 succeeded", "<dialog")

		res, body = d.submit(page, page+"/refund", url.Values{"amount": {"50"}, "reason": {"requested_by_customer"}})
		wantRedirect(t, res, body, page+"?notice=refund_processing")
		_, body = d.get(page + "?notice=refund_processing")
		wantContains(t, body, "The refund was submitted: bank refunds take 5 to 10 business days.",
			`<span class="status-badge status-pending">Refund processing</span>`, `<span class="status-badge status-pending">Processing</span>`,
			"Refund on the payment of $200.00 submitted, processing")

		_, body = d.get(paymentPath(disputed))
		wantContains(t, body, `<span class="status-badge status-warning">Disputed (needs response)</span>`, "Payment of $200.00 disputed",
			"Only succeeded payments with an amount left can be refunded.")
	})
}
