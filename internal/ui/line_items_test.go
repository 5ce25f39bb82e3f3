package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/invoice"
)

// lineIDs are the ids of the live line items of a record of an account, in id order.
func lineIDs(t *testing.T, a *apptest.App, accountID int64, typ string, rec crm.Record) []string {
	t.Helper()
	page, err := a.CRM.Associations(context.Background(), accountID, typ, rec.IDString(), "line_items", 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range page.Results {
		out = append(out, idString(r.ID))
	}
	return out
}

func idString(id int64) string { return crm.Record{ID: id}.IDString() }

// lineValues is the add form of a line.
func lineValues(pairs ...string) url.Values {
	v := url.Values{"currency": {"USD"}}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Set(pairs[i], pairs[i+1])
	}
	return v
}

func TestInvoiceLineItems(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		contact := record(t, a, a.Account.ID, "contacts", map[string]string{"email": "ada@example.com", "firstname": "Ada"})
		inv, err := a.CRM.Create(context.Background(), a.Account.ID, invoice.Type, crm.Input{Properties: map[string]string{"hs_currency": "USD"},
			Associations: []crm.AssociationInput{{ToType: "contacts", ToID: contact.IDString()}}}, crm.Source{Type: "API", ID: "test"})
		if err != nil {
			t.Fatal(err)
		}
		product := record(t, a, a.Account.ID, "products", map[string]string{"name": "Workshop <day>", "price": "200.00",
			"hs_currency_code": "USD", "hs_tax_rate": "10", "hs_sku": "WS-1"})
		d := signedIn(t, a, a.Admin.Email)
		page, lines := invoicePath(inv), invoicePath(inv)+"/lines"

		_, body := d.get(page + "?product=" + product.IDString())
		wantContains(t, body, "Add a line", `action="`+lines+`"`, `<option value="`+product.IDString()+`" selected>Workshop &lt;day&gt;</option>`,
			`id="line-name" name="name" type="text" value="Workshop &lt;day&gt;"`, `name="product_id" value="`+product.IDString()+`"`,
			`id="line-tax-rate" name="tax_rate" type="text" value="10"`, "Unit price (USD)")
		wantLacks(t, body, `name="recurring.interval"`)

		res, body := d.submit(page, lines, lineValues("name", "Bad", "unit_amount", "abc", "quantity", "0"))
		wantStatus(t, res, body, http.StatusBadRequest)
		wantContains(t, body, `id="line-unit-amount-error">Enter a unit price in the document&#39;s currency, such as 49.99.</p>`,
			`id="line-quantity-error">Enter a whole quantity from 1 to 999999.</p>`, `value="abc"`)
		if ids := lineIDs(t, a, a.Account.ID, invoice.Type, inv); len(ids) != 0 {
			t.Fatalf("a refused line wrote %v", ids)
		}

		for _, line := range []url.Values{
			lineValues("name", "Workshop <day>", "unit_amount", "200.00", "quantity", "2", "tax_rate", "10", "product_id", product.IDString(), "sku", "WS-1"),
			lineValues("name", "Travel", "unit_amount", "50,00", "discount_percent", "10"),
		} {
			res, body = d.submit(page, lines, line)
			wantRedirect(t, res, body, page+"?notice=line_added")
		}
		_, body = d.get(page + "?notice=line_added")
		wantContains(t, body, "The line was added.", "<dt>Amount billed</dt><dd>$485.00</dd>", `<th scope="row" class="row-title">Workshop &lt;day&gt;</th>`,
			`<td class="amount-cell">$40.00</td>`, `<td class="amount-cell">$45.00</td>`, `<dt>Total</dt><dd>$485.00</dd>`)
		if got := storedInvoice(t, a, inv); got.Billed.Minor != 48500 || got.Due.Minor != 48500 {
			t.Fatalf("stored amounts: billed %v, due %v", got.Billed, got.Due)
		}
		ids := lineIDs(t, a, a.Account.ID, invoice.Type, inv)
		if len(ids) != 2 {
			t.Fatalf("line items %v", ids)
		}
		first := stored(t, a, "line_items", ids[0])
		if v := first.Values; v["name"] != "Workshop <day>" || v["quantity"] != "2" || v["hs_tax_rate"] != "10" ||
			v["hs_product_id"] != product.IDString() || v["hs_sku"] != "WS-1" || v["hs_line_item_currency_code"] != "USD" {
			t.Errorf("stored line %v", v)
		}

		res, body = d.submit(page, lines+"/"+ids[1]+"/remove", nil)
		wantRedirect(t, res, body, page+"?notice=line_removed")
		if got := storedInvoice(t, a, inv); got.Billed.Minor != 44000 {
			t.Fatalf("after the removal the invoice bills %v", got.Billed)
		}
		if _, err := a.CRM.Get(context.Background(), a.Account.ID, "line_items", ids[1], "", crm.ReadOptions{}); err == nil {
			t.Error("the removed line item is still live")
		}
		_, body = d.get(page)
		wantContains(t, body, "<dt>Total</dt><dd>$440.00</dd>")
		wantLacks(t, body, "Travel")

		res, body = d.submit(page, page+"/finalize", url.Values{"due_date": {""}})
		wantRedirect(t, res, body, page+"?notice=invoice_finalize")
		_, body = d.get(page)
		wantContains(t, body, `<th scope="row" class="row-title">Workshop &lt;day&gt;</th>`, "<dt>Total</dt><dd>$440.00</dd>")
		wantLacks(t, body, `action="`+lines+`"`, "/remove")

		refused := []struct{ name, path string }{{"add", lines}, {"remove", lines + "/" + ids[0] + "/remove"}}
		for _, tc := range refused {
			res, body = d.submit(page, tc.path, lineValues("name", "Late", "unit_amount", "10"))
			wantStatus(t, res, body, http.StatusBadRequest)
			wantContains(t, body, `role="alert"`, "This invoice is finalized: its lines can no longer change. Nothing was changed.")
		}
		if got := lineIDs(t, a, a.Account.ID, invoice.Type, inv); len(got) != 1 || storedInvoice(t, a, inv).Billed.Minor != 44000 {
			t.Errorf("the finalized invoice's lines are now %v", got)
		}
	})
}

func TestQuoteEditorAndPublish(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		q := record(t, a, a.Account.ID, "quotes", map[string]string{"hs_title": "Gym <plan>", "hs_status": "DRAFT"})
		d := signedIn(t, a, a.Admin.Email)
		page := "/selling/quotes/" + q.IDString()
		lines := page + "/lines"

		_, body := d.get(page)
		wantContains(t, body, `<span class="status-badge status-neutral">Draft</span>`, `action="`+page+`/publish"`,
			`name="hs_expiration_date" type="date"`, `name="recurring.interval"`, `id="assoc-contacts"`, "No line items yet")
		wantLacks(t, body, `id="quote-url"`, `<option value="day"`)

		res, body := d.submit(page, lines, lineValues("name", "Membership", "unit_amount", "50", "recurring.interval", "month",
			"recurring.term_cycles", "0"))
		wantStatus(t, res, body, http.StatusBadRequest)
		wantContains(t, body, `id="line-recurring-term-cycles-error">Enter a number of payments from 1 to 1000`)
		if ids := lineIDs(t, a, a.Account.ID, "quotes", q); len(ids) != 0 {
			t.Fatalf("a refused line wrote %v", ids)
		}
		for _, line := range []url.Values{
			lineValues("name", "Membership", "unit_amount", "50", "discount_percent", "10", "recurring.interval", "month", "recurring.term_cycles", "12"),
			lineValues("name", "Setup", "unit_amount", "30"),
		} {
			res, body = d.submit(page, lines, line)
			wantRedirect(t, res, body, page+"?notice=line_added")
		}
		_, body = d.get(page)
		wantContains(t, body, "Monthly, 12 payments", "<td>Once</td>", "<dt>Total</dt><dd>$75.00</dd>", "<dt>Amount</dt><dd>$75.00</dd>")

		expires := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
		res, body = d.submit(page, page+"/publish", url.Values{"hs_expiration_date": {expires}})
		wantStatus(t, res, body, http.StatusBadRequest)
		wantContains(t, body, `id="publish-message"`, "Associate the quote with the contact it is for")
		if got, _ := a.Checkout.Quote(context.Background(), a.Account.ID, q.ID); got.Status != checkout.QuoteDraft {
			t.Fatalf("a refused publish left the quote %s", got.Status)
		}

		contact := record(t, a, a.Account.ID, "contacts", map[string]string{"email": "ada@example.com"})
		if _, err := a.CRM.Associate(context.Background(), a.Account.ID, "quotes", q.IDString(), "contacts", contact.IDString(), nil,
			crm.Source{Type: "API", ID: "test"}); err != nil {
			t.Fatal(err)
		}
		res, body = d.submit(page, page+"/publish", nil)
		wantRedirect(t, res, body, page+"?notice=quote_published")
		got, err := a.Checkout.Quote(context.Background(), a.Account.ID, q.ID)
		if err != nil || got.Status != checkout.QuotePublished || got.URL == "" || got.Amount().Minor != 7500 {
			t.Fatalf("published quote %+v, %v", got, err)
		}
		_, body = d.get(page + "?notice=quote_published")
		wantContains(t, body, "The quote was published", `<span class="status-badge status-pending">Published</span>`,
			`id="quote-url" class="mono" type="text" value="`+got.URL+`" readonly`, `data-copy="quote-url"`,
			`href="`+got.URL+`" class="button button-quiet" target="_blank" rel="noopener"`)
		wantLacks(t, body, `action="`+lines+`"`, `action="`+page+`/publish"`)

		res, body = d.submit(page, lines, lineValues("name", "Late", "unit_amount", "10"))
		wantStatus(t, res, body, http.StatusBadRequest)
		wantContains(t, body, "This quote is published: its lines can no longer change.")
		if ids := lineIDs(t, a, a.Account.ID, "quotes", q); len(ids) != 2 {
			t.Errorf("the published quote's lines are now %v", ids)
		}
	})
}
