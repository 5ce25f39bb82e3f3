package ui_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/invoice"
)

func TestBuyerInvoicePage(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		brandAccount(t, a)
		open, token := payableInvoice(t, a)
		_, paid := payableInvoice(t, a)
		payByAPI(t, a, "invoice", paid, "payables@globex.test")
		voided, void := payableInvoice(t, a)
		if _, err := a.Invoices.Void(context.Background(), a.Account.ID, voided.ID); err != nil {
			t.Fatal(err)
		}
		written, uncollectible := payableInvoice(t, a)
		if _, err := a.Invoices.MarkUncollectible(context.Background(), a.Account.ID, written.ID); err != nil {
			t.Fatal(err)
		}
		_, processing := payableInvoice(t, a)
		res, body := newDashboard(t, a).submit("/invoices/pay/"+processing, "/invoices/pay/"+processing, achForm("debit@globex.test"))
		wantStatus(t, res, body, http.StatusSeeOther)
		page := "/invoices/pay/" + token
		runBuyerPages(t, a, []buyerPageCase{
			{name: "english by default", path: page, status: http.StatusOK,
				want: []string{`<html lang="en">`, "Invoice " + open.Number, "Acme &lt;Studio&gt;", "Audit &lt;b&gt;bold&lt;/b&gt;",
					"2 × $25.00", `id="order-total">$150.00`, `id="order-paid">$0.00`, `id="order-due">$150.00`, `id="invoice-issued">`,
					`id="invoice-due-date">`, `href="/invoices/pay/` + token + `/pdf"`, "Download the invoice (PDF)",
					`name="method" id="method-card" value="card" checked`, `id="method-ach"`, `id="f-ach-routing-number"`,
					`action="/invoices/pay/` + token + `"`, "Pay $150.00", "<style>:root{--brand:#0a7f5a;--brand-ink:#ffffff}</style>"},
				lack: []string{"<b>bold", `id="f-sepa-iban"`, `id="f-quantity"`, "Billing address", `id="error-summary"`}},
			{name: "query language", path: page + "?lang=fr", status: http.StatusOK,
				want: []string{`<html lang="fr">`, "Facture " + open.Number, "Solde dû", "Télécharger la facture", "Numéro de carte",
					`action="/invoices/pay/` + token + `?lang=fr"`}},
			{name: "browser language", path: page, headers: []string{"Accept-Language", "de-CH, de;q=0.9"}, status: http.StatusOK,
				want: []string{`<html lang="de">`, "Rechnung " + open.Number, "Offener Betrag", "Fälligkeitsdatum"}},
			{name: "query beats browser", path: page + "?lang=es", headers: []string{"Accept-Language", "de"}, status: http.StatusOK,
				want: []string{`<html lang="es">`, "Factura " + open.Number, "Saldo pendiente"}},
			{name: "paid", path: "/invoices/pay/" + paid, status: http.StatusOK,
				want: []string{"Paid, thank you", `id="order-due">$0.00`, `id="order-paid">$150.00`, "/pdf"}, lack: noForm},
			{name: "paid in French", path: "/invoices/pay/" + paid + "?lang=fr", status: http.StatusOK,
				want: []string{"Payée, merci"}, lack: noForm},
			{name: "a bank debit processing", path: "/invoices/pay/" + processing, status: http.StatusOK,
				want: []string{"Payment processing", "once your bank confirms it"}, lack: noForm},
			{name: "void", path: "/invoices/pay/" + void, status: http.StatusGone,
				want: []string{"This invoice was cancelled", "nothing to pay"}, lack: append(noForm, "$150.00")},
			{name: "void in Spanish", path: "/invoices/pay/" + void + "?lang=es", status: http.StatusGone,
				want: []string{"Esta factura fue anulada"}, lack: noForm},
			{name: "uncollectible", path: "/invoices/pay/" + uncollectible, status: http.StatusGone,
				want: []string{"This invoice can no longer be paid online"}, lack: noForm},
			{name: "unknown", path: "/invoices/pay/aaaaaaaaaaaaaaaa", status: http.StatusNotFound, want: []string{"Page not found"}, lack: noForm},
			{name: "malformed", path: "/invoices/pay/1", status: http.StatusNotFound, want: []string{"Page not found"}, lack: noForm},
			{name: "a quote's token", path: "/invoices/pay/" + publishedQuoteToken(t, a), status: http.StatusNotFound, lack: noForm},
		})
	})
}

func TestBuyerInvoicePDF(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		inv, token := payableInvoice(t, a)
		d := newDashboard(t, a)
		res, body := d.get("/invoices/pay/" + token + "/pdf")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.HasPrefix(body, "%PDF-") || res.Header.Get("Content-Type") != "application/pdf" ||
			res.Header.Get("Content-Disposition") != `inline; filename="`+inv.Number+`.pdf"` {
			t.Errorf("PDF answer %v, starting %q", res.Header, body[:min(len(body), 8)])
		}
		for _, path := range []string{"/invoices/pay/aaaaaaaaaaaaaaaa/pdf", "/invoices/pay/" + publishedQuoteToken(t, a) + "/pdf"} {
			res, body := d.get(path)
			wantStatus(t, res, body, http.StatusNotFound)
		}
	})
}

func TestBuyerInvoiceRefusals(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		_, token := payableInvoice(t, a)
		_, other := payableInvoice(t, a)
		paidLater, paidToken := payableInvoice(t, a)
		voidLater, voidToken := payableInvoice(t, a)
		page := "/invoices/pay/" + token
		good := cardForm("ada@example.com", "4242 4242 4242 4242")
		runRefusals(t, a, "ada@example.com", []refusalCase{
			{"no CSRF token", func(d *dashboard) (*http.Response, string) { d.get(page); return d.post(page, good) },
				http.StatusForbidden, []string{"This page had expired.", `value="ada@example.com"`}, nil},
			{"another invoice's CSRF token", forged(page, "/invoices/pay/"+other, good), http.StatusForbidden,
				[]string{"This page had expired."}, nil},
			{"a method of another currency", submitted(page, buyerValues(good, "method", "sepa", "sepa.iban", "DE89370400440532013000",
				"sepa.account_holder", "Ada")), http.StatusBadRequest, []string{`id="f-payment-method-error">This payment method is not accepted here`}, nil},
			{"no email", submitted(page, buyerValues(good, "buyer.email", "")), http.StatusBadRequest,
				[]string{`id="f-buyer-email-error">Enter your email address.`}, nil},
			{"html in names", submitted(page, buyerValues(good, "buyer.email", "", "buyer.first_name", "<script>alert(2)</script>")),
				http.StatusBadRequest, []string{`value="&lt;script&gt;alert(2)&lt;/script&gt;"`}, nil},
			{"a quantity is ignored, the card declined", submitted(page, buyerValues(cardForm("ada@example.com", "4000 0000 0000 0002"), "quantity", "3")),
				http.StatusPaymentRequired, []string{"Your card was declined", `id="order-due">$150.00`}, []string{`id="f-quantity"`}},
			{"paid meanwhile", stale("/invoices/pay/"+paidToken, good, func() { payByAPI(t, a, "invoice", paidToken, "first@example.com") }),
				http.StatusConflict, []string{"Paid, thank you"}, noForm},
			{"voided meanwhile", stale("/invoices/pay/"+voidToken, good, func() {
				if _, err := a.Invoices.Void(context.Background(), a.Account.ID, voidLater.ID); err != nil {
					t.Fatal(err)
				}
			}), http.StatusGone, []string{"This invoice was cancelled"}, noForm},
		})
		if inv, err := a.Invoices.Get(context.Background(), a.Account.ID, paidLater.ID); err != nil || inv.Paid.Minor != 15000 {
			t.Errorf("the invoice paid meanwhile was paid %v (%v), want once", inv.Paid, err)
		}
	})
}

var invoiceReceipt = regexp.MustCompile(`^/invoices/pay/[a-z2-7]{16}/done/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$`)

func TestBuyerPaysInvoiceByCard(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		brandAccount(t, a)
		inv, token := payableInvoice(t, a)
		page := "/invoices/pay/" + token
		// A signed-in user's browser pays as the buyer typed, never as the user (SPEC F9).
		d := signedIn(t, a, a.Admin.Email)
		res, body := d.submit(page, page, cardForm("payables@globex.test", "4242 4242 4242 4242"))
		wantStatus(t, res, body, http.StatusSeeOther)
		done := res.Header.Get("Location")
		if !invoiceReceipt.MatchString(done) || !strings.HasPrefix(done, page+"/done/") {
			t.Fatalf("redirect to %q", done)
		}
		res, body = d.get(done)
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, "Payment received", `id="receipt-for">Invoice `+inv.Number, `id="receipt-amount">$150.00`,
			`id="receipt-method">Visa •••• 4242`, `id="receipt-status">Succeeded`, `id="receipt-email">payables@globex.test`,
			`id="receipt-merchant">Acme &lt;Studio&gt;`)
		wantLacks(t, body, a.Admin.Email)
		wantBuyerRecords(t, a, "payables@globex.test", 1)
		wantBuyerRecords(t, a, a.Admin.Email, 0)
		res, body = d.get(page)
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, "Paid, thank you", `id="order-due">$0.00`)
		wantLacks(t, body, noForm...)
		if got, err := a.Invoices.Get(context.Background(), a.Account.ID, inv.ID); err != nil || got.Status != invoice.StatusPaid {
			t.Errorf("invoice %+v (%v), want paid", got, err)
		}
		for _, tc := range []struct {
			name string
			d    *dashboard
			path string
		}{
			{"another browser", newDashboard(t, a), done},
			{"another invoice", d, strings.Replace(done, token, openInvoiceToken(t, a), 1)},
			{"a quote", d, strings.Replace(done, "/invoices/pay/"+token, "/quotes/"+publishedQuoteToken(t, a), 1)},
		} {
			res, body := tc.d.get(tc.path)
			if res.StatusCode != http.StatusNotFound || strings.Contains(body, "payables@globex.test") {
				t.Errorf("receipt in %s: status %d, want 404 without the buyer's email", tc.name, res.StatusCode)
			}
		}
	})
}
