package ui

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
)

// quoteType is the CRM type of quotes, whose record page adds the quote's panel.
const quoteType = "quotes"

// quoteKind is the kind of quotes among the record kinds.
func quoteKind() recordKind {
	k, _ := kindOf(quoteType)
	return k
}

// expiryField is the publish form's expiration date, a day in the account's time zone; it
// is the quote property it sets, so that the quote service's refusals of it land next to it.
const expiryField = "hs_expiration_date"

// quoteData is a quote's record page with what makes it a quote: its status, what accepting
// it pays, when it expires, its line items and, for a user who may collect, publishing it
// and its public address once published.
type quoteData struct {
	recordData
	Status    statusBadge
	Draft     bool
	Amount    string
	ExpiresAt time.Time
	Editor    lineEditor
	// MayCollect is set for a user who may publish the quote (SPEC F41).
	MayCollect bool
	// PublicURL is where the buyer accepts and pays it, once published.
	PublicURL string
	// Publish is the publish form with what publishing refused; AskExpiry says whether it
	// asks for the expiration date the quote lacks.
	Publish   *form
	AskExpiry bool
}

// quoteStatusTones colour a quote's status.
var quoteStatusTones = map[checkout.QuoteStatus]string{
	checkout.QuoteDraft: "neutral", checkout.QuotePublished: "pending", checkout.QuoteAccepted: "success",
	checkout.QuoteExpired: "warning",
}

// quoteView lays out a quote's page: the record page's, with the quote's panel.
func (u *UI) quoteView(r *http.Request, v *visit, rec loadedRecord, f *form, status int) (view, error) {
	vw, err := u.recordView(r, v, quoteKind(), rec, f, status)
	if err != nil {
		return view{}, err
	}
	data := quoteData{recordData: vw.Data.(recordData), MayCollect: mayCollect(v) == nil, Publish: newForm(nil),
		AskExpiry: rec.Values[expiryField] == ""}
	vw.name, vw.Data = "quote", data
	if rec.ArchivedAt != nil {
		return vw, nil
	}
	q, err := u.deps.Checkout.Quote(r.Context(), v.Principal.AccountID, rec.ID)
	var bad *problem.InvalidError
	if err != nil && !errors.As(err, &bad) {
		return view{}, err
	}
	data.Draft, data.PublicURL, data.ExpiresAt = q.Status == checkout.QuoteDraft, q.URL, q.ExpiresAt
	data.Status = statusBadge{Label: u.formats(v).value(mustProperty(rec.Record, "hs_status"), rec.Record), Tone: quoteStatusTones[q.Status]}
	if data.Status.Label == "" {
		data.Status.Label = u.text.T(v.Lang, "quote.status_draft")
	}
	if data.Editor, err = u.lineEditor(r, v, quoteDocument(), rec, data.Draft && data.MayCollect); err != nil {
		return view{}, err
	}
	if bad != nil && len(data.Editor.Lines) > 0 {
		data.Editor.Error = u.text.T(v.Lang, "lines.invalid")
	}
	if bad == nil {
		data.Amount = q.Amount().Format(v.Lang)
		u.quoteAmounts(v.Lang, &data.Editor, q)
	}
	vw.Data = data
	return vw, nil
}

// quoteAmounts puts what each line of a quote comes to, and its totals, on its card.
func (u *UI) quoteAmounts(lang string, ed *lineEditor, q checkout.Quote) {
	if len(q.Items) != len(ed.Lines) || len(q.Totals.Lines) != len(q.Items) {
		return
	}
	amount := func(minor int64) string { return money.Amount{Minor: minor, Currency: q.Totals.Currency}.Format(lang) }
	for i, it := range q.Items {
		l := q.Totals.Lines[i]
		ed.Lines[i].invoiceLine = invoiceLine{Name: it.Name, Quantity: idString(it.Quantity), UnitPrice: amount(it.UnitPrice),
			Discount: amount(l.Discount + l.OrderDiscount), Tax: amount(l.Tax), Total: amount(l.Total)}
	}
	ed.Totals = u.totalLines(lang, q.Totals)
}

// totalLines are the totals of a card, as an invoice's page shows them.
func (u *UI) totalLines(lang string, t lineitem.Totals) []amountLine {
	line := func(key string, minor int64, total bool) amountLine {
		return amountLine{Label: u.text.T(lang, key), Value: money.Amount{Minor: minor, Currency: t.Currency}.Format(lang), Total: total}
	}
	return []amountLine{line("invoice.lines.subtotal", t.Subtotal, false), line("invoice.lines.discount", t.Discount, false),
		line("invoice.lines.tax", t.Tax, false), line("invoice.lines.total", t.Total, true)}
}

// publishQuote sets the quote's expiration date when the form gives one, then publishes it
// with the quote service. What it refuses shows by the form; a published quote's page shows
// its public address.
func (u *UI) publishQuote(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := mayCollect(v); err != nil {
		return err
	}
	rec, err := u.pathRecord(r, v, quoteKind(), false)
	if err != nil {
		return err
	}
	values := cloneForm(r.PostForm)
	values.Del(csrfField)
	f := newForm(values)
	err = u.setQuoteExpiry(r, v, rec, strings.TrimSpace(f.Value(expiryField)))
	if err == nil {
		_, err = u.deps.Checkout.Publish(r.Context(), v.Principal.AccountID, rec.ID)
	}
	status, ok := u.formFailure(v.Lang, "quote", f, err, "")
	if !ok && err != nil {
		return err
	}
	if !ok {
		return redirect(w, r, quoteKind().RecordPath(rec.IDString()), "quote_published")
	}
	if rec, err = u.pathRecord(r, v, quoteKind(), false); err != nil {
		return err
	}
	vw, err := u.quoteView(r, v, rec, nil, status)
	if err != nil {
		return err
	}
	data := vw.Data.(quoteData)
	shown := []string{}
	if data.AskExpiry {
		shown = append(shown, expiryField)
	}
	for field, msg := range f.errors {
		if !slices.Contains(shown, field) {
			f.Message = strings.TrimSpace(f.Message + " " + msg)
			delete(f.errors, field)
		}
	}
	data.Publish = f
	vw.Data = data
	return u.render(w, r, v, vw)
}

// setQuoteExpiry makes a draft quote expire at the end of day, a date in the account's time
// zone; an empty day leaves the quote's own. A day already over is refused and not written.
func (u *UI) setQuoteExpiry(r *http.Request, v *visit, rec loadedRecord, day string) error {
	if day == "" || (rec.Values["hs_status"] != "" && rec.Values["hs_status"] != string(checkout.QuoteDraft)) {
		return nil
	}
	d, err := time.ParseInLocation(time.DateOnly, day, location(v.Account.Timezone))
	if err != nil {
		return problem.Invalid(expiryField, "INVALID_DATE", "Enter the last day the quote can be accepted.")
	}
	end := d.AddDate(0, 0, 1).Add(-time.Second)
	if !end.After(u.deps.Clock.Now()) {
		return problem.Invalid(expiryField, "INVALID_RANGE", "The expiration date must be in the future.")
	}
	_, err = u.deps.CRM.Update(r.Context(), v.Principal.AccountID, quoteType, rec.IDString(), "",
		map[string]string{expiryField: crm.FormatDatetime(end)}, source(v))
	return err
}

// lineItemRoutes add and remove the lines of draft invoices and quotes, and publish quotes.
func (u *UI) lineItemRoutes() []route {
	var rs []route
	for _, d := range []lineDocument{invoiceDocument(), quoteDocument()} {
		p := d.kind.Path() + "/{id}/lines"
		rs = append(rs, route{"POST " + p, u.signedIn(u.addLine(d))}, route{"POST " + p + "/{line}/remove", u.signedIn(u.removeLine(d))})
	}
	return append(rs, route{"POST " + quoteKind().Path() + "/{id}/publish", u.signedIn(u.publishQuote)})
}
