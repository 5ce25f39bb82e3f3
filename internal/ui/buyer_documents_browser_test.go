package ui_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/invoice"
)

// TestInvoicePaidByACHInChromium has a buyer pay an open invoice from its page by ACH: the
// receipt says the payment is processing, and once the test clock has passed the debit's
// settlement the invoice's page, reloaded, says it is paid and takes no payment.
func TestInvoicePaidByACHInChromium(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		brandAccount(t, a)
		inv, token := payableInvoice(t, a)
		page := a.URL + "/invoices/pay/" + token

		b := apptest.Browser(t)
		step(t, b, "open the invoice", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#f-buyer-email")))
		wantText(t, b, "h1", "Invoice "+inv.Number)
		wantText(t, b, "#order-due", "$150.00")
		wantText(t, b, "#invoice-pdf", "Download the invoice (PDF)")
		keepScreenshot(t, b, "buyer-invoice-"+string(engine)+".png")
		step(t, b, "choose ACH and fill in the account",
			chromedp.Click(chromedp.CSS("#method-ach")), chromedp.WaitVisible(chromedp.CSS("#f-ach-routing-number")),
			chromedp.SendKeys(chromedp.CSS("#f-buyer-email"), "payables@globex.test"),
			chromedp.SendKeys(chromedp.CSS("#f-ach-account-holder"), "Jane Buyer"),
			chromedp.SendKeys(chromedp.CSS("#f-ach-routing-number"), "110000000"),
			chromedp.SendKeys(chromedp.CSS("#f-ach-account-number"), "000123456789"))
		step(t, b, "pay", chromedp.Click(chromedp.CSS(".pay-button")), chromedp.WaitVisible(chromedp.CSS("#receipt-status")))
		wantText(t, b, "#receipt-status", "Processing")
		wantText(t, b, "#receipt-method", "US bank account (ACH) •••• 6789")
		wantText(t, b, "#receipt-amount", "$150.00")
		step(t, b, "see why it is processing", chromedp.WaitVisible(chromedp.CSS("#processing-note")))
		keepScreenshot(t, b, "buyer-invoice-receipt-"+string(engine)+".png")

		advanceTestClock(t, a, 14*24*time.Hour)
		step(t, b, "reload the invoice", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#document-state")))
		wantText(t, b, "#state-title", "Paid, thank you")
		keepScreenshot(t, b, "buyer-invoice-paid-"+string(engine)+".png")
		wantText(t, b, "#order-due", "$0.00")
		if forms := eval[int](t, b, `document.forms.length`); forms != 0 {
			t.Errorf("the paid invoice's page has %d forms, want none", forms)
		}
		if got, err := a.Invoices.Get(context.Background(), a.Account.ID, inv.ID); err != nil || got.Status != invoice.StatusPaid {
			t.Errorf("invoice %+v (%v), want paid", got, err)
		}
		wantBuyerRecords(t, a, "payables@globex.test", 1)
	})
}

// TestQuoteAcceptedInChromium has a buyer accept and pay a published quote by card,
// submitting from the keyboard, and land on the receipt; the quote is then ACCEPTED.
func TestQuoteAcceptedInChromium(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		brandAccount(t, a)
		q, token := payableQuote(t, a, time.Now().AddDate(0, 1, 0))

		b := apptest.Browser(t)
		step(t, b, "open the quote", chromedp.Navigate(a.URL+"/quotes/"+token), chromedp.WaitVisible(chromedp.CSS("#f-buyer-email")))
		wantText(t, b, "h1", "Gym <b>deal</b>")
		wantText(t, b, ".line-recurring", "every month, 12 payments")
		wantText(t, b, ".pay-button", "Accept and pay $75.00")
		fillCard(t, b, "ada@example.com", "4242 4242 4242 4242", true)
		step(t, b, "accept and pay from the keyboard", chromedp.Focus(chromedp.CSS("#f-card-cvc")), chromedp.KeyEvent("\r"),
			chromedp.WaitVisible(chromedp.CSS("#receipt-amount")))
		wantText(t, b, "#receipt-amount", "$75.00")
		wantText(t, b, "#receipt-status", "Succeeded")
		wantText(t, b, "#receipt-for", "Gym <b>deal</b>")
		if got := quoteStatusOf(t, a, q.ID); got != "ACCEPTED" {
			t.Errorf("quote %s, want ACCEPTED", got)
		}
		wantBuyerRecords(t, a, "ada@example.com", 1)
	})
}
