package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/invoice"
	"github.com/settlehq/settle/internal/lineitem"
)

// draftInvoice creates a draft invoice in USD for a contact, billing two line items: 2 ×
// $50.00 and 1 × $25.00 less 10%, $122.50 in all.
func draftInvoice(t *testing.T, a *apptest.App, accountID int64) crm.Record {
	t.Helper()
	contact := record(t, a, accountID, "contacts", map[string]string{"email": "ada@example.com", "firstname": "Ada"})
	ctx := context.Background()
	inv, err := a.CRM.Create(ctx, accountID, invoice.Type, crm.Input{Properties: map[string]string{"hs_currency": "USD"},
		Associations: []crm.AssociationInput{{ToType: "contacts", ToID: contact.IDString()}}}, crm.Source{Type: "API", ID: "test"})
	if err != nil {
		t.Fatal(err)
	}
	for _, props := range []map[string]string{
		{"name": "Consulting day", "price": "50.00", "quantity": "2"},
		{"name": "Report", "price": "25.00", "quantity": "1", "hs_discount_percentage": "10"},
	} {
		in := crm.Input{Properties: props, Associations: []crm.AssociationInput{{ToType: invoice.Type, ToID: inv.IDString()}}}
		if _, err := a.CRM.Create(ctx, accountID, "line_items", in, crm.Source{Type: "API", ID: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	return inv
}

func invoicePath(inv crm.Record) string { return "/selling/invoices/" + inv.IDString() }

// storedInvoice reads an invoice of the app's first account.
func storedInvoice(t *testing.T, a *apptest.App, inv crm.Record) invoice.Invoice {
	t.Helper()
	got, err := a.Invoices.Get(context.Background(), a.Account.ID, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestInvoicePage(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		inv := draftInvoice(t, a, a.Account.ID)
		d := signedIn(t, a, a.Admin.Email)
		page := invoicePath(inv)

		res, body := d.get("/selling/invoices")
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, "<h1>Invoices</h1>", `<a href="/selling/invoices" aria-current="page">`, `href="`+page+`"`)
		res, body = d.get(page)
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, "Draft invoice", `<span class="status-badge status-neutral">Draft</span>`,
			"<dt>Amount billed</dt><dd>$122.50</dd>", `<th scope="row" class="row-title">Consulting day</th>`,
			`<td class="amount-cell">$100.00</td>`, `<td class="amount-cell">$2.50</td>`, `<dt>Total</dt><dd>$122.50</dd>`,
			`action="`+page+`/finalize"`, `href="`+page+`/pdf"`, `id="assoc-contacts"`)
		wantLacks(t, body, `action="`+page+`/void"`)

		res, body = d.submit(page, page+"/finalize", url.Values{"due_date": {"2001-01-01"}})
		wantStatus(t, res, body, http.StatusBadRequest)
		wantContains(t, body, `id="f-due-date-error">The due date must be on or after the invoice date.</p>`, `value="2001-01-01"`)
		if got := storedInvoice(t, a, inv); got.Status != invoice.StatusDraft {
			t.Fatalf("a refused finalize left the invoice %s", got.Status)
		}

		res, body = d.submit(page, page+"/finalize", url.Values{"due_date": {""}})
		wantRedirect(t, res, body, page+"?notice=invoice_finalize")
		_, body = d.get(page + "?notice=invoice_finalize")
		wantContains(t, body, "The invoice was finalized and numbered.", "<h1>INV-0001 ", `<span class="status-badge status-pending">Open</span>`,
			`action="`+page+`/void"`, `action="`+page+`/send"`, `action="`+page+`/payments"`, `value="122.50"`)

		res, body = d.get(page + "/pdf")
		wantStatus(t, res, body, http.StatusOK)
		if res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF-") ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "INV-0001.pdf") {
			t.Errorf("PDF: %q, %q, starts %q", res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"), body[:min(8, len(body))])
		}

		res, body = d.submit(page, page+"/send", nil)
		wantRedirect(t, res, body, page+"?notice=invoice_send")

		manual := url.Values{"amount": {"abc"}, "method": {"check"}, "paid_at": {"2026-01-15"}, "reference": {"Cheque 42"}}
		res, body = d.submit(page, page+"/payments", manual)
		wantStatus(t, res, body, http.StatusBadRequest)
		wantContains(t, body, `id="f-amount-error">Enter the amount received, above zero.</p>`, `value="Cheque 42"`)
		manual.Set("amount", "122.50")
		res, body = d.submit(page, page+"/payments", manual)
		wantRedirect(t, res, body, page+"?notice=invoice_record_payment")
		if got := storedInvoice(t, a, inv); got.Status != invoice.StatusPaid || got.Paid.Minor != 12250 {
			t.Fatalf("after the manual payment: %s, paid %v", got.Status, got.Paid)
		}
		_, body = d.get(page)
		wantContains(t, body, `<span class="status-badge status-success">Paid</span>`, "<dt>Balance due</dt><dd>$0.00</dd>",
			"This invoice is closed", `id="assoc-commerce_payments"`)

		res, body = d.submit(page, page+"/void", nil)
		wantStatus(t, res, body, http.StatusBadRequest)
		wantContains(t, body, "The invoice&#39;s status does not allow this", `role="alert"`)
		if got := storedInvoice(t, a, inv); got.Status != invoice.StatusPaid {
			t.Errorf("void refused, but the invoice is now %s", got.Status)
		}
	})
}

func TestSellingNeedsPermissions(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		inv := draftInvoice(t, a, a.Account.ID)
		p := charge(t, a, "ada@example.com", usd(10000))
		a.UserWith(t, "viewer@acme.test", auth.PermViewPayments)
		viewer := signedIn(t, a, "viewer@acme.test")
		page := invoicePath(inv)
		_, body := viewer.get(page)
		wantContains(t, body, "need the Manage payments and subscriptions permission")
		wantLacks(t, body, `action="`+page+`/finalize"`)
		cases := []struct {
			name, path string
			form       url.Values
		}{
			{name: "finalize", path: page + "/finalize"},
			{name: "record a payment", path: page + "/payments", form: url.Values{"amount": {"10"}, "method": {"cash"}, "paid_at": {"2026-01-15"}}},
			{name: "void", path: page + "/void"},
			{name: "add a line", path: page + "/lines", form: url.Values{"name": {"Extra"}, "unit_amount": {"5"}, "currency": {"USD"}}},
			{name: "remove a line", path: page + "/lines/" + lineIDs(t, a, a.Account.ID, invoice.Type, inv)[0] + "/remove"},
			{name: "refund", path: paymentPath(p) + "/refund", form: url.Values{"amount": {"10.00"}, "reason": {"duplicate"}}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res, body := viewer.submit(page, tc.path, tc.form)
				wantStatus(t, res, body, http.StatusForbidden)
			})
		}
		if got := storedInvoice(t, a, inv); got.Status != invoice.StatusDraft || got.Billed.Minor != 12250 {
			t.Errorf("the invoice is now %s, billing %v", got.Status, got.Billed)
		}
		wantUnrefunded(t, a, p)
	})
}

func TestSellingIsIsolated(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		acctB, _, _ := a.OtherAccount(t, "neighbour@other.test")
		invB := draftInvoice(t, a, acctB.ID)
		linkB, err := a.Checkout.Create(context.Background(), acctB.ID, checkout.LinkInput{Name: "Neighbour's link",
			Items: []lineitem.Item{{Name: "Thing", UnitPrice: 1000, Currency: "USD", Quantity: 1}}})
		if err != nil {
			t.Fatal(err)
		}
		quoteB := record(t, a, acctB.ID, "quotes", map[string]string{"hs_title": "Neighbour's quote", "hs_status": "DRAFT"})
		d := signedIn(t, a, a.Admin.Email)
		inv, link := invoicePath(invB), fmt.Sprintf("/selling/links/%d", linkB.ID)
		lineB, quote := lineIDs(t, a, acctB.ID, invoice.Type, invB)[0], "/selling/quotes/"+quoteB.IDString()
		cases := []struct{ method, path string }{
			{"GET", inv}, {"GET", inv + "/pdf"}, {"POST", inv + "/finalize"}, {"POST", inv + "/void"},
			{"POST", inv + "/payments"}, {"POST", inv + "/send"}, {"POST", inv + "/lines"}, {"POST", inv + "/lines/" + lineB + "/remove"},
			{"POST", invoicePath(draftInvoice(t, a, a.Account.ID)) + "/lines/" + lineB + "/remove"},
			{"GET", quote}, {"POST", quote + "/lines"}, {"POST", quote + "/publish"},
			{"GET", link}, {"POST", link}, {"POST", link + "/deactivate"}, {"POST", link + "/reactivate"},
		}
		for _, tc := range cases {
			t.Run(tc.method+" "+tc.path, func(t *testing.T) {
				var res *http.Response
				var body string
				if tc.method == "GET" {
					res, body = d.get(tc.path)
				} else {
					res, body = d.submit("/selling/links", tc.path, withValues(linkForm(), "amount", "1"))
				}
				wantStatus(t, res, body, http.StatusNotFound)
				wantLacks(t, body, "Neighbour", "Consulting day")
			})
		}
		_, body := d.get("/selling/links")
		wantLacks(t, body, "Neighbour")
		got, err := a.Checkout.Get(context.Background(), acctB.ID, linkB.ID)
		if err != nil || !got.Active || got.Name != "Neighbour's link" {
			t.Errorf("B's link is now %+v, %v", got, err)
		}
		if st, _ := a.Invoices.Get(context.Background(), acctB.ID, invB.ID); st.Status != invoice.StatusDraft || st.Billed.Minor != 12250 {
			t.Errorf("B's invoice is now %s, billing %v", st.Status, st.Billed)
		}
	})
}
