package ui_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// TestDashboardInChromium walks the shell as a user would: the login form, the navigation,
// a change of settings that shows in the header, a new API token and signing out.
func TestDashboardInChromium(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ctx := apptest.Browser(t)

		step(t, ctx, "open the dashboard signed out", chromedp.Navigate(a.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#f-email")))
		wantText(t, ctx, "h1", "Sign in")
		if styled := eval[string](t, ctx, `getComputedStyle(document.querySelector(".card")).borderRadius`); styled != "10px" {
			t.Errorf("the stylesheet is not applied: card border-radius %q", styled)
		}

		step(t, ctx, "sign in",
			chromedp.SendKeys(chromedp.CSS("#f-email"), a.Admin.Email),
			chromedp.SendKeys(chromedp.CSS("#f-password"), apptest.AdminPassword),
			chromedp.Click(chromedp.CSS("form[action='/login'] button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("nav.sidebar")))
		nav := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("nav.sidebar a")).map(a => a.textContent.trim())`)
		want := []string{"Payments", "Disputes", "Payouts", "Reports", "Payment links", "Invoices", "Quotes", "Products", "Contacts", "Companies", "Deals", "Workflows", "Segments", "Settings", "Mailbox"}
		if !slices.Equal(nav, want) {
			t.Errorf("navigation %q, want %q", nav, want)
		}

		step(t, ctx, "rename the account",
			chromedp.Click(chromedp.CSS("nav.sidebar a[href='/settings']")),
			chromedp.WaitVisible(chromedp.CSS("#f-name")),
			chromedp.Clear(chromedp.CSS("#f-name")),
			chromedp.SendKeys(chromedp.CSS("#f-name"), "Acme Europe"),
			chromedp.Click(chromedp.CSS("form.settings-form button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(".notice-success")))
		wantText(t, ctx, ".account-name", "Acme Europe")
		wantText(t, ctx, "nav.sidebar a[aria-current=page]", "Settings")

		step(t, ctx, "create an API token",
			chromedp.Click(chromedp.CSS("nav.tabs a[href='/settings/api-tokens']")),
			chromedp.WaitVisible(chromedp.CSS("#f-name")),
			chromedp.SendKeys(chromedp.CSS("#f-name"), "Browser token"),
			chromedp.Click(chromedp.CSS("input[value='settle.account.read']")),
			chromedp.Click(chromedp.CSS("form[action='/settings/api-tokens'] button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#new-token")),
			// The copy button is hidden until the page's script, allowed by the CSP, shows it.
			chromedp.WaitVisible(chromedp.CSS("button[data-copy]")))
		if secret := eval[string](t, ctx, `document.getElementById("new-token").value`); !strings.HasPrefix(secret, "stl_") {
			t.Errorf("token field %q", secret)
		}

		step(t, ctx, "sign out",
			chromedp.Click(chromedp.CSS("form[action='/logout'] button")),
			chromedp.WaitVisible(chromedp.CSS("#f-email")))
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil || !strings.HasSuffix(loc, "/login") {
			t.Errorf("after signing out the browser is at %q (%v), want the login page", loc, err)
		}
	})
}

func step(t *testing.T, ctx context.Context, name string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func wantText(t *testing.T, ctx context.Context, selector, want string) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(selector)))
	if err != nil || strings.TrimSpace(got) != want {
		t.Errorf("%s: text %q (%v), want %q", selector, got, err, want)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// TestRecordsInChromium creates a contact and a company through their forms, associates
// them from the contact's page and sees the company there. With SETTLE_TEST_ARTIFACTS set,
// it keeps a screenshot of the contact's page.
func TestRecordsInChromium(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ctx := apptest.Browser(t)
		step(t, ctx, "sign in",
			chromedp.Navigate(a.URL+"/contacts"),
			chromedp.SendKeys(chromedp.CSS("#f-email"), a.Admin.Email),
			chromedp.SendKeys(chromedp.CSS("#f-password"), apptest.AdminPassword),
			chromedp.Click(chromedp.CSS("form[action='/login'] button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#f-p-firstname")))
		step(t, ctx, "create a contact",
			chromedp.SendKeys(chromedp.CSS("#f-p-firstname"), "Ada"),
			chromedp.SendKeys(chromedp.CSS("#f-p-lastname"), "Lovelace"),
			chromedp.SendKeys(chromedp.CSS("#f-p-email"), "ada@example.com"),
			chromedp.Click(chromedp.CSS("#create-record button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(".record-header h1")))
		wantText(t, ctx, ".record-header h1", "Ada Lovelace")
		contact, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		step(t, ctx, "create a company",
			chromedp.Navigate(a.URL+"/companies"),
			chromedp.SendKeys(chromedp.CSS("#f-p-name"), "Acme"),
			chromedp.SendKeys(chromedp.CSS("#f-p-domain"), "acme.test"),
			chromedp.Click(chromedp.CSS("#create-record button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(".record-header h1")))
		step(t, ctx, "find the company from the contact",
			chromedp.Navigate(strings.TrimSuffix(contact, "?notice=record_created")),
			chromedp.Click(chromedp.CSS("#assoc-companies .assoc-add summary")),
			chromedp.SendKeys(chromedp.CSS("#q-companies"), "acme"),
			chromedp.Click(chromedp.CSS("#assoc-companies form.search button")),
			chromedp.WaitVisible(chromedp.CSS("#assoc-companies form.assoc-pick")))
		step(t, ctx, "associate it",
			chromedp.Click(chromedp.CSS("#assoc-companies form.assoc-pick button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(".notice-success")))
		wantText(t, ctx, "#assoc-companies .assoc-name", "Acme")
		wantText(t, ctx, "#assoc-companies .assoc-detail", "acme.test")
		keepScreenshot(t, ctx, "contact-record-"+string(engine)+".png")
	})
}

// keepScreenshot saves the page in SETTLE_TEST_ARTIFACTS, when it is set.
func keepScreenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("SETTLE_TEST_ARTIFACTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, name), png, 0o644)
	}
	if err != nil {
		t.Errorf("screenshot: %v", err)
	}
}

// TestRefundInChromium opens a payment, refunds part of it through the dialog of the
// actions menu and sees its new status. With SETTLE_TEST_ARTIFACTS set, it keeps a
// screenshot of the payment's page.
func TestRefundInChromium(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		p := charge(t, a, "ada@example.com", usd(10000))
		ctx := apptest.Browser(t)
		step(t, ctx, "sign in",
			chromedp.Navigate(a.URL+paymentPath(p)),
			chromedp.SendKeys(chromedp.CSS("#f-email"), a.Admin.Email),
			chromedp.SendKeys(chromedp.CSS("#f-password"), apptest.AdminPassword),
			chromedp.Click(chromedp.CSS("form[action='/login'] button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(".payment-header")))
		wantText(t, ctx, ".payment-header .status-badge", "Succeeded")
		step(t, ctx, "open the refund dialog",
			chromedp.Click(chromedp.CSS(".menu summary")),
			chromedp.Click(chromedp.CSS("a[data-dialog=refund-dialog]")),
			chromedp.WaitVisible(chromedp.CSS("#refund-dialog #f-refund-amount")))
		if focused := eval[string](t, ctx, `document.activeElement.id`); focused != "f-refund-amount" {
			t.Errorf("the dialog opened with %q focused, want the amount", focused)
		}
		step(t, ctx, "refund $25",
			chromedp.SendKeys(chromedp.CSS("#f-refund-amount"), "25"),
			chromedp.Click(chromedp.CSS("#refund-dialog button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(".notice-success")))
		wantText(t, ctx, ".payment-header .status-badge", "Partially refunded")
		wantText(t, ctx, "#refunds .refund-amount", "$25.00")
		keepScreenshot(t, ctx, "payment-record-"+string(engine)+".png")
	})
}
