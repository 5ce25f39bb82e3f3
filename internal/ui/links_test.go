package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/lineitem"
)

// linkForm is the editor filled in with a yoga class and a monthly membership of 12
// payments, as a merchant would type them.
func linkForm() url.Values {
	return url.Values{"name": {"Yoga <studio>"}, "currency": {"USD"}, "rows": {"3"},
		"payment_methods": {"", "card", "ach"}, "allow_quantity": {"0", "1"}, "collect_billing_address": {"0"},
		"line_items[0].name": {"Drop-in class"}, "line_items[0].unit_amount": {"25.00"}, "line_items[0].quantity": {"2"},
		"line_items[0].tax_rate": {"8.875"},
		"line_items[1].name":     {"Membership"}, "line_items[1].unit_amount": {"49,99"}, "line_items[1].discount_percent": {"10"},
		"line_items[1].recurring.interval": {"month"}, "line_items[1].recurring.term_cycles": {"12"}}
}

// links reads the links of the app's first account.
func links(t *testing.T, a *apptest.App) []checkout.Link {
	t.Helper()
	ls, _, err := a.Checkout.List(context.Background(), a.Account.ID, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

var createdLink = regexp.MustCompile(`^/selling/links/(\d+)\?notice=link_created$`)

func TestPaymentLinkEditor(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := signedIn(t, a, a.Admin.Email)
		res, body := d.get("/selling/links")
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, "<h1>Payment links</h1>", "No payment links yet.", `<a href="/selling/links" aria-current="page">`)

		// Adding a line shows the form again with one line more, and saves nothing.
		res, body = d.submit("/selling/links/new", "/selling/links", withValues(linkForm(), "add_line", "1"))
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, `name="line_items[3].name"`, `value="Membership"`, `name="rows" value="4"`)
		if n := len(links(t, a)); n != 0 {
			t.Fatalf("adding a line saved %d links", n)
		}

		res, body = d.submit("/selling/links/new", "/selling/links", linkForm())
		m := createdLink.FindStringSubmatch(res.Header.Get("Location"))
		if m == nil {
			t.Fatalf("create: status %d, location %q; body: %s", res.StatusCode, res.Header.Get("Location"), body)
		}
		ls := links(t, a)
		if len(ls) != 1 || len(ls[0].Items) != 2 {
			t.Fatalf("stored %+v", ls)
		}
		l := ls[0]
		membership := l.Items[1]
		if l.Name != "Yoga <studio>" || !l.AllowQuantity || l.CollectBillingAddress || len(l.Methods) != 2 ||
			l.Items[0].UnitPrice != 2500 || l.Items[0].Quantity != 2 || l.Items[0].Billing != nil ||
			membership.UnitPrice != 4999 || membership.Discount.Percent != 10*lineitem.PercentScale || membership.Billing == nil ||
			membership.Billing.Frequency != lineitem.FrequencyMonthly || membership.Billing.Term.Payments != 12 {
			t.Fatalf("stored %+v, membership %+v", l, membership)
		}
		page := fmt.Sprintf("/selling/links/%d", l.ID)
		_, body = d.get(res.Header.Get("Location"))
		wantContains(t, body, "The payment link was created.", "Yoga &lt;studio&gt;", a.Checkout.URL(l), `target="_blank" rel="noopener"`,
			`data-copy="link-url"`, `value="49.99"`, `<option value="month" selected>`, `value="12"`)
		wantLacks(t, body, "Yoga <studio>")

		_, body = d.get("/selling/links")
		wantContains(t, body, `<a href="`+page+`">Yoga &lt;studio&gt;</a>`, "$99.43", a.Checkout.URL(l), "Active")

		edited := linkForm()
		edited.Set("name", "Yoga")
		edited.Set("line_items[0].unit_amount", "30")
		res, body = d.submit(page, page, edited)
		wantRedirect(t, res, body, page+"?notice=link_saved")
		if got := links(t, a)[0]; got.Name != "Yoga" || got.Items[0].UnitPrice != 3000 || len(got.Items) != 2 {
			t.Errorf("after the edit: %+v", got)
		}

		res, body = d.submit(page, page+"/deactivate", nil)
		wantRedirect(t, res, body, page+"?notice=link_deactivated")
		if links(t, a)[0].Active {
			t.Error("the link is still active")
		}
		_, body = d.get("/selling/links")
		wantContains(t, body, "Inactive")
		res, body = d.submit(page, page+"/reactivate", nil)
		wantRedirect(t, res, body, page+"?notice=link_reactivated")
		if !links(t, a)[0].Active {
			t.Error("the link is still inactive")
		}
	})
}

func TestPaymentLinkEditorRefusals(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := signedIn(t, a, a.Admin.Email)
		cases := []struct {
			name   string
			change url.Values
			want   []string
		}{
			{name: "a price that is not a number", change: url.Values{"line_items[1].unit_amount": {"lots"}},
				want: []string{`id="l1-unit-amount-error">Enter a unit price in the link&#39;s currency, such as 49.99.</p>`,
					`id="l1-unit-amount" name="line_items[1].unit_amount" type="text" value="lots"`}},
			{name: "a line without a name", change: url.Values{"line_items[1].name": {""}},
				want: []string{`id="l1-name-error">Give the line a name.</p>`}},
			{name: "a quantity of zero", change: url.Values{"line_items[0].quantity": {"0"}},
				want: []string{`id="l0-quantity-error">Enter a whole quantity from 1 to 999999.</p>`}},
			{name: "a quantity too large", change: url.Values{"line_items[0].quantity": {"1000000000"}},
				want: []string{`id="l0-quantity-error">Enter a whole quantity from 1 to 999999.</p>`}},
			{name: "no name", change: url.Values{"name": {""}},
				want: []string{`id="f-name-error">Give the link a name buyers will recognise.</p>`}},
			{name: "no line at all", change: url.Values{"line_items[0].name": {""}, "line_items[0].unit_amount": {""},
				"line_items[0].quantity": {""}, "line_items[0].tax_rate": {""}, "line_items[1].name": {""}, "line_items[1].unit_amount": {""},
				"line_items[1].discount_percent": {""}, "line_items[1].recurring.interval": {""}, "line_items[1].recurring.term_cycles": {""}},
				want: []string{`id="f-line-items-error">Fill in at least one line.</p>`}},
			{name: "a discount above 100%", change: url.Values{"line_items[1].discount_percent": {"120"}},
				want: []string{`id="l1-discount-percent-error">Enter a percentage from 0 to 100`}},
			{name: "a term of no payment", change: url.Values{"line_items[1].recurring.term_cycles": {"0"}},
				want: []string{`id="l1-recurring-term-cycles-error">Enter a number of payments from 1 to 1000`}},
			{name: "an unknown method", change: url.Values{"payment_methods": {"", "cheque"}},
				want: []string{`id="f-payment-methods-error">Choose among the payment methods offered.</p>`}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				form := linkForm()
				for k, v := range tc.change {
					form[k] = v
				}
				res, body := d.submit("/selling/links/new", "/selling/links", form)
				wantStatus(t, res, body, http.StatusBadRequest)
				wantContains(t, body, tc.want...)
				wantContains(t, body, "Some fields need your attention. Nothing was saved.")
			})
		}
		if n := len(links(t, a)); n != 0 {
			t.Errorf("refused forms saved %d links", n)
		}
	})
}

// withValues returns a copy of form with name set to value.
func withValues(form url.Values, name, value string) url.Values {
	out := cloneValues(form)
	out.Set(name, value)
	return out
}
