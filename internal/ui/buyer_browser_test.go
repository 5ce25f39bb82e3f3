package ui_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// TestBuyerPaysInChromium has a buyer pay a payment link by card and land on the receipt,
// then another buyer's card be declined, the reason shown and focused, and the retry with a
// good card succeed. Each buyer ends with one payment and one contact.
func TestBuyerPaysInChromium(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		l := sellingLink(t, a, checkout.LinkInput{Name: "Yoga pass"})
		page := a.URL + "/pay/" + l.Slug

		ada := apptest.Browser(t)
		step(t, ada, "open the link", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#f-buyer-email")))
		wantText(t, ada, "h1", "Yoga pass")
		wantText(t, ada, ".merchant-name", "Acme <Studio>")
		if bg := eval[string](t, ada, `getComputedStyle(document.querySelector(".pay-button")).backgroundColor`); bg != "rgb(10, 127, 90)" {
			t.Errorf("the pay button is %q, not the brand colour", bg)
		}
		fillCard(t, ada, "ada@example.com", "4242 4242 4242 4242", true)
		step(t, ada, "pay", chromedp.Click(chromedp.CSS(".pay-button")), chromedp.WaitVisible(chromedp.CSS("#receipt-amount")))
		wantText(t, ada, "#receipt-amount", "$65.00")
		wantText(t, ada, "#receipt-method", "Visa •••• 4242")
		wantText(t, ada, "#receipt-status", "Succeeded")
		wantText(t, ada, "#receipt-email", "ada@example.com")
		keepScreenshot(t, ada, "buyer-receipt-"+string(engine)+".png")

		grace := apptest.Browser(t)
		step(t, grace, "open the link on a phone", chromedp.EmulateViewport(375, 800), chromedp.Navigate(page),
			chromedp.WaitVisible(chromedp.CSS("#f-buyer-email")))
		if cols := eval[string](t, grace, `getComputedStyle(document.querySelector(".checkout")).gridTemplateColumns`); strings.Contains(cols, " ") {
			t.Errorf("on a phone the page has columns %q, want one", cols)
		}
		fillCard(t, grace, "grace@example.com", "4000 0000 0000 0002", true)
		step(t, grace, "pay with a card that is declined", chromedp.Click(chromedp.CSS(".pay-button")),
			chromedp.WaitVisible(chromedp.CSS("#error-summary")))
		if focused := eval[string](t, grace, `document.activeElement.id`); focused != "error-summary" {
			t.Errorf("after the decline %q has the focus, want the error summary", focused)
		}
		reason := eval[string](t, grace, `document.getElementById("f-card-number-error").textContent`)
		if !strings.Contains(reason, "Your card was declined") {
			t.Errorf("decline reason %q", reason)
		}
		kept := eval[[]string](t, grace, `["f-buyer-email", "f-card-number", "f-card-cvc", "f-card-exp-month"].map(id => document.getElementById(id).value)`)
		if kept[0] != "grace@example.com" || kept[1] != "" || kept[2] != "" || kept[3] != "12" {
			t.Errorf("after the decline the form holds %q: want the email and expiry kept, the number and CVC cleared", kept)
		}
		fillCard(t, grace, "", "4242424242424242", false)
		step(t, grace, "retry with a good card, submitting from the keyboard", chromedp.Focus(chromedp.CSS("#f-card-cvc")),
			chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.CSS("#receipt-amount")))
		wantText(t, grace, "#receipt-status", "Succeeded")
		wantText(t, grace, "#receipt-email", "grace@example.com")

		wantBuyerRecords(t, a, "ada@example.com", 1)
		wantBuyerRecords(t, a, "grace@example.com", 1)
	})
}

// fillCard types a buyer's email (unless empty), a card number and a CVC, and the expiry
// too when expiry is set.
func fillCard(t *testing.T, ctx context.Context, email, number string, expiry bool) {
	t.Helper()
	var actions []chromedp.Action[chromedp.Void]
	if email != "" {
		actions = append(actions, chromedp.SendKeys(chromedp.CSS("#f-buyer-email"), email),
			chromedp.SendKeys(chromedp.CSS("#f-buyer-first-name"), "Test"))
	}
	actions = append(actions, chromedp.SendKeys(chromedp.CSS("#f-card-number"), number),
		chromedp.SendKeys(chromedp.CSS("#f-card-cvc"), "123"))
	if expiry {
		actions = append(actions, chromedp.SendKeys(chromedp.CSS("#f-card-exp-month"), "12"),
			chromedp.SendKeys(chromedp.CSS("#f-card-exp-year"), "34"))
	}
	step(t, ctx, "fill in the card", actions...)
}
