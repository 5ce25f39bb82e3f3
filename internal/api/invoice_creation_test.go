package api_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"testing"

	"github.com/riverqueue/river"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/payment"
)

// TestLinkPaymentGetsOnePaidInvoice turns "create invoices" on (SPEC F7): a payment through
// a link gets one paid invoice with copies of its line items, associated with the payment,
// its contact and its deal, and working its follow-up job again makes no second one.
func TestLinkPaymentGetsOnePaidInvoice(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		link := createLink(t, a, gymLink)
		var co checkoutView
		a.Run(t, []apptest.Scenario{
			{Name: "create invoices", Method: "PATCH", URL: "/settle/v1/account", Body: `{"settings":{"create_invoices":true}}`, ExpectedStatus: 200,
				ExpectedContent: []string{`"create_invoices":true`}},
			{Name: "pay", Method: "POST", URL: "/settle/v1/checkout", Token: apptest.NoToken, ExpectedStatus: 200,
				Body: checkoutBody(link.Slug, "ada@example.com", "4242424242424242", ""), Check: readCheckout(&co)},
		})
		waitFollowups(t, a, co.PaymentID, "payment_invoice:payment.succeeded")
		var id int64
		_ = json.Unmarshal([]byte(co.PaymentID), &id)
		worker := &payment.EventWorker{Service: a.Payments}
		job := &river.Job[payment.EventArgs]{Args: payment.EventArgs{Kinds: []string{payment.KindInvoice},
			Followup: payment.Followup{AccountID: a.Account.ID, PaymentID: id, Event: string(payment.EventSucceeded)}}}
		if err := worker.Work(context.Background(), job); err != nil {
			t.Fatalf("the job again: %v", err)
		}
		ctx := context.Background()
		if err := a.DB.InTx(ctx, func(tx *sql.Tx) error {
			return a.Invoices.CreateForPayment(a.DB.WithTx(ctx, tx), tx, job.Args.Followup)
		}); err != nil {
			t.Fatalf("the handler again, without its follow-up record: %v", err)
		}
		pay := getObject(t, a, "commerce_payments", co.PaymentID, "", "invoices,contacts,deals")
		inv := getObject(t, a, "invoices", one(t, pay.linked("invoices")), "hs_number,hs_invoice_status,hs_amount_billed,hs_amount_paid,hs_balance_due,hs_currency",
			"line_items,contacts,deals,commerce_payments")
		wantProps(t, "invoice", inv.Properties, map[string]string{"hs_number": "INV-0001", "hs_invoice_status": "paid", "hs_amount_billed": "215",
			"hs_amount_paid": "215", "hs_balance_due": "0", "hs_currency": "USD"})
		if len(inv.linked("line_items")) != 3 || one(t, inv.linked("contacts")) != one(t, pay.linked("contacts")) ||
			one(t, inv.linked("deals")) != one(t, pay.linked("deals")) || one(t, inv.linked("commerce_payments")) != co.PaymentID {
			t.Errorf("invoice associations %+v", inv.Associations)
		}
		checkLines(t, a, inv.linked("line_items"), map[string]string{"Membership": "45", "Locker": "20", "Annual <i>review</i>": "150"})
		if c := countOf(t, a, "invoices"); c != 1 {
			t.Errorf("%d invoices, want exactly one", c)
		}
	})
}

// countOf is how many records of a type the account has.
func countOf(t *testing.T, a *apptest.App, typ string) int {
	t.Helper()
	_, b := a.Do(t, "POST", "/crm/v3/objects/"+typ+"/search", "", `{"limit":1}`, nil)
	var page struct{ Total int }
	if err := json.Unmarshal(b, &page); err != nil {
		t.Fatalf("search %s: %s", typ, b)
	}
	return page.Total
}
