package api_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/invoice"
)

// openInvoice finalizes a new invoice of 150.00 USD through the API and returns its id and
// the token of its pay URL.
func openInvoice(t *testing.T, a *apptest.App, email string) (id, token string) {
	t.Helper()
	inv := invoiceWithLines(t, a, email, invoiceLine("Audit", "100", "1"), invoiceLine("Report", "25", "2"))
	res, b := a.Do(t, "POST", "/settle/v1/invoices/"+inv.IDString()+"/finalize", "", `{}`, nil)
	var out struct {
		PayURL *string `json:"pay_url"`
	}
	if err := json.Unmarshal(b, &out); res.StatusCode != http.StatusOK || err != nil || out.PayURL == nil {
		t.Fatalf("finalize: %d %s", res.StatusCode, b)
	}
	if !strings.HasPrefix(*out.PayURL, a.URL+"/invoices/pay/") {
		t.Fatalf("pay_url %q", *out.PayURL)
	}
	return inv.IDString(), strings.TrimPrefix(*out.PayURL, a.URL+"/invoices/pay/")
}

// invoiceCheckout is a checkout body of an invoice's token with a payment method.
func invoiceCheckout(token, email, method string) string {
	return `{"source":{"type":"invoice","id":"` + token + `"},"buyer":{"email":"` + email + `"},"payment_method":` + method + `}`
}

// ach is an ACH payment method with a test account number.
func ach(account string) string {
	return `{"type":"ach","ach":{"routing_number":"110000000","account_number":"` + account + `","account_holder":"Jane Buyer"}}`
}

func invoiceStatus(t *testing.T, a *apptest.App, id string) invoice.Invoice {
	t.Helper()
	var n int64
	_ = json.Unmarshal([]byte(id), &n)
	inv, err := a.Invoices.Get(context.Background(), a.Account.ID, n)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func TestPayingAnInvoice(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		byCard, cardToken := openInvoice(t, a, "card@globex.test")
		byDebit, debitToken := openInvoice(t, a, "debit@globex.test")
		failing, failingToken := openInvoice(t, a, "fail@globex.test")
		var co, debit, failed checkoutView
		a.Run(t, []apptest.Scenario{
			{Name: "by card", Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken, ExpectedStatus: 200,
				Body:            invoiceCheckout(cardToken, "payables@globex.test", card("4242424242424242")),
				ExpectedContent: []string{`"status":"succeeded"`, `"invoice_id":"` + byCard + `"`}, Check: readCheckout(&co)},
			{Name: "by ACH", Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken, ExpectedStatus: 200,
				Body: invoiceCheckout(debitToken, "debit@globex.test", ach("000123456789")), ExpectedContent: []string{`"status":"processing"`},
				Check: readCheckout(&debit)},
			{Name: "not twice while the debit processes", Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken, ExpectedStatus: 400,
				Body: invoiceCheckout(debitToken, "debit@globex.test", card("4242424242424242")), ExpectedContent: []string{"PAYMENT_PROCESSING"}},
			{Name: "by a failing ACH", Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken, ExpectedStatus: 200,
				Body: invoiceCheckout(failingToken, "fail@globex.test", ach("000111111116")), Check: readCheckout(&failed)},
			{Name: "not by a method of another currency", Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken, ExpectedStatus: 400,
				Body:            invoiceCheckout(failingToken, "x@globex.test", `{"type":"sepa","sepa":{"iban":"DE89370400440532013000","account_holder":"A"}}`),
				ExpectedContent: []string{"METHOD_NOT_ALLOWED"}},
		})
		if inv := invoiceStatus(t, a, byCard); inv.Status != invoice.StatusPaid || inv.Paid.Minor != 15000 || inv.Due.Minor != 0 {
			t.Errorf("invoice paid by card: %+v", inv)
		}
		pay := getObject(t, a, "commerce_payments", co.PaymentID, "hs_initial_amount,hs_payment_source_app", "invoices,contacts")
		if pay.Properties["hs_initial_amount"] != "150" || pay.Properties["hs_payment_source_app"] != "INVOICE" ||
			one(t, pay.linked("invoices")) != byCard || len(pay.linked("contacts")) != 1 {
			t.Errorf("payment of the invoice: %+v", pay)
		}
		if inv := invoiceStatus(t, a, byDebit); inv.Status != invoice.StatusOpen || inv.Paid.Minor != 0 {
			t.Errorf("invoice of a processing debit: %+v", inv)
		}
		a.Run(t, []apptest.Scenario{{Name: "two weeks pass", Method: "POST", URL: "/settle/v1/test-clock/advance", Body: `{"by":"336h"}`, ExpectedStatus: 200},
			{Name: "the debit settled", Method: "GET", URL: "/settle/v1/payments/" + debit.PaymentID, ExpectedStatus: 200,
				ExpectedContent: []string{`"status":"succeeded"`}},
			{Name: "the failing debit failed", Method: "GET", URL: "/settle/v1/payments/" + failed.PaymentID, ExpectedStatus: 200,
				ExpectedContent: []string{`"status":"failed"`}}})
		if inv := invoiceStatus(t, a, byDebit); inv.Status != invoice.StatusPaid || inv.Paid.Minor != 15000 {
			t.Errorf("invoice once the debit settled: %+v", inv)
		}
		if inv := invoiceStatus(t, a, failing); inv.Status != invoice.StatusOpen || inv.Due.Minor != 15000 {
			t.Errorf("invoice of a failed debit: %+v", inv)
		}
	})
}

func TestPaidAndVoidInvoicesTakeNoPayment(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		_, paidToken := openInvoice(t, a, "paid@globex.test")
		voided, voidToken := openInvoice(t, a, "void@globex.test")
		a.Run(t, []apptest.Scenario{
			{Name: "pay", Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken, ExpectedStatus: 200,
				Body: invoiceCheckout(paidToken, "paid@globex.test", card("4242424242424242"))},
			{Name: "void", Method: "POST", URL: "/settle/v1/invoices/" + voided + "/void", ExpectedStatus: 200,
				ExpectedContent: []string{`"status":"voided"`, `"pay_url":"` + a.URL + "/invoices/pay/" + voidToken + `"`}},
		})
		before := counts(t, a)
		a.Run(t, []apptest.Scenario{
			{Name: "a paid invoice", Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken, ExpectedStatus: 400,
				Body:            invoiceCheckout(paidToken, "again@globex.test", card("4242424242424242")),
				ExpectedContent: []string{`"in":"source.id"`, `"code":"INVOICE_NOT_PAYABLE"`, "is paid"}},
			{Name: "a void invoice", Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken, ExpectedStatus: 400,
				Body:            invoiceCheckout(voidToken, "void2@globex.test", card("4242424242424242")),
				ExpectedContent: []string{`"code":"INVOICE_NOT_PAYABLE"`, "is voided"}},
			{Name: "an unknown token", Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken, ExpectedStatus: 404,
				Body: invoiceCheckout("aaaaaaaaaaaaaaaa", "who@globex.test", card("4242424242424242"))},
		})
		if after := counts(t, a); !maps.Equal(before, after) {
			t.Errorf("refused invoice checkouts wrote records: before %v, after %v", before, after)
		}
	})
}
