package ui

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/i18n"
	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
)

// A draft invoice or quote is billed its CRM line items. The line items card of its page
// adds one line at a time, as a line_items record associated with the document (the
// invoice service's hooks recompute a draft invoice's amounts in the same transaction), and
// removes one by dissociating it, which recomputes them too, then archiving it. The form is
// read by the payment link editor's code, its fields named as the link editor's lines.

// lineItemType is the CRM type of the lines a document bills.
const lineItemType = "line_items"

// lineDocument is a kind of record whose page edits its line items: invoices bill each line
// once; a quote's lines may recur.
type lineDocument struct {
	kind      recordKind
	recurring bool
}

func invoiceDocument() lineDocument { return lineDocument{kind: invoiceKind()} }
func quoteDocument() lineDocument   { return lineDocument{kind: quoteKind(), recurring: true} }

// lineFormFields are the fields of the add form that show their own errors.
var lineFormFields = []string{"name", "unit_amount", "quantity", "discount_percent", "tax_rate",
	"recurring.interval", "recurring.interval_count", "recurring.term_cycles"}

// lineEditor is a document's line items card: its lines, with their amounts when they can be
// billed, its totals and, while it is a draft that v's user may change, the add form with
// the products it can start from.
type lineEditor struct {
	Lines  []editorLine
	Totals []amountLine
	// Error says why the lines cannot be billed as they are.
	Error     string
	Editable  bool
	Recurring bool
	// Page is the document's page; Action is where the add form posts, and a line's
	// "Remove" posts to Action/{line}/remove.
	Page, Action string
	// Currency is the currency the add form's prices are in.
	Currency  string
	Form      *form
	Products  []fieldOption
	Intervals []fieldOption
}

// editorLine is a line item of the card: its record and what it comes to.
type editorLine struct {
	invoiceLine
	ID      string
	Billing string
}

// FieldID is the HTML id of one of the add form's fields.
func (e lineEditor) FieldID(field string) string {
	return "line-" + strings.NewReplacer(".", "-", "_", "-").Replace(field)
}

// Value is what the add form's field holds.
func (e lineEditor) Value(field string) string { return e.Form.Value(field) }

// FieldError is why the add form's field was refused, or "".
func (e lineEditor) FieldError(field string) string { return e.Form.Error(field) }

// lineEditor reads the line items of rec for its card; editable says whether the add form
// and "Remove" are shown. A ?product= in the page's address fills the add form from that
// product.
func (u *UI) lineEditor(r *http.Request, v *visit, d lineDocument, rec loadedRecord, editable bool) (lineEditor, error) {
	ctx, acct := r.Context(), v.Principal.AccountID
	lines, err := u.lineRecords(ctx, acct, d, rec.ID)
	if err != nil {
		return lineEditor{}, err
	}
	page := d.kind.RecordPath(rec.IDString())
	ed := lineEditor{Editable: editable, Recurring: d.recurring, Page: page, Action: page + "/lines", Form: newForm(nil)}
	fm := u.formats(v)
	for _, l := range lines {
		line := editorLine{ID: l.IDString(), invoiceLine: invoiceLine{Name: l.Values["name"]}}
		if d.recurring {
			line.Billing = u.lineBilling(v.Lang, fm, l)
		}
		ed.Lines = append(ed.Lines, line)
	}
	ed.Currency = cmp.Or(rec.Values["hs_currency"], v.Account.DefaultCurrency)
	if len(lines) > 0 {
		ed.Currency = cmp.Or(lines[0].Values["hs_line_item_currency_code"], ed.Currency)
	}
	if !editable {
		return ed, nil
	}
	if ed.Form, err = u.productPrefill(ctx, acct, r.URL.Query().Get("product"), ed.Currency, d.recurring); err != nil {
		return lineEditor{}, err
	}
	return ed, u.lineChoices(ctx, v, &ed)
}

// lineRecords reads the live line items of a document, in id order: the order its service
// bills them in.
func (u *UI) lineRecords(ctx context.Context, acct int64, d lineDocument, id int64) ([]crm.Record, error) {
	page, err := u.deps.CRM.Associations(ctx, acct, d.kind.Type, idString(id), lineItemType, 0, lineitem.MaxItems)
	if err != nil || len(page.Results) == 0 {
		return nil, err
	}
	ids := make([]string, len(page.Results))
	for i, a := range page.Results {
		ids[i] = idString(a.ID)
	}
	found, _, err := u.deps.CRM.BatchRead(ctx, acct, lineItemType, ids, "", crm.ReadOptions{})
	out := make([]crm.Record, len(found))
	for i, e := range found {
		out[i] = e.Record
	}
	slices.SortFunc(out, func(a, b crm.Record) int { return cmp.Compare(a.ID, b.ID) })
	return out, err
}

// lineBilling says how often a quote's line is charged: once, or at its frequency for a
// number of payments or until cancelled.
func (u *UI) lineBilling(lang string, fm formats, l crm.Record) string {
	freq := fm.value(mustProperty(l, "recurringbillingfrequency"), l)
	payments := l.Values["hs_recurring_billing_number_of_payments"]
	switch {
	case freq == "":
		return u.text.T(lang, "lines.billing_once")
	case payments == "":
		return u.text.T(lang, "lines.billing_until_cancelled", "frequency", freq)
	}
	return u.text.T(lang, "lines.billing_payments", "frequency", freq, "payments", payments)
}

// lineChoices fills the product select and, for recurring lines, the intervals offered.
func (u *UI) lineChoices(ctx context.Context, v *visit, ed *lineEditor) error {
	products, err := u.deps.CRM.List(ctx, v.Principal.AccountID, "products", crm.ListOptions{Limit: 100})
	if err != nil {
		return err
	}
	for _, p := range products.Results {
		ed.Products = append(ed.Products, fieldOption{Value: p.IDString(), Label: u.formats(v).title(p.Record),
			Selected: p.IDString() == ed.Form.Value("product_id")})
	}
	if !ed.Recurring {
		return nil
	}
	for _, iv := range intervals {
		if iv != "day" { // a CRM line's frequency has no daily value
			ed.Intervals = append(ed.Intervals, fieldOption{Value: iv, Label: u.text.T(v.Lang, "links.interval."+cmpOr(iv, "none")),
				Selected: iv == ed.Form.Value("recurring.interval")})
		}
	}
	return nil
}

// productPrefill is the add form filled from a product of the account: its name, price,
// currency, tax rate and billing. No product, or one not found, leaves the form empty.
func (u *UI) productPrefill(ctx context.Context, acct int64, id, currency string, recurring bool) (*form, error) {
	values := url.Values{"currency": {currency}}
	if _, err := pathID(id); id == "" || err != nil {
		return newForm(values), nil
	}
	e, err := u.deps.CRM.Get(ctx, acct, "products", id, "", crm.ReadOptions{})
	if errors.Is(err, problem.ErrNotFound) {
		return newForm(values), nil
	}
	if err != nil {
		return nil, err
	}
	p := e.Values
	values = url.Values{"name": {p["name"]}, "unit_amount": {p["price"]}, "quantity": {"1"}, "tax_rate": {p["hs_tax_rate"]},
		"currency": {cmp.Or(p["hs_currency_code"], currency)}, "product_id": {id}, "sku": {p["hs_sku"]}}
	if f, err := lineitem.ParseFrequency(p["recurringbillingfrequency"]); err == nil && recurring {
		n, unit, _ := f.Period() // a parsed frequency is valid
		values.Set("recurring.interval", string(unit))
		values.Set("recurring.interval_count", strconv.Itoa(n))
		values.Set("recurring.term_cycles", p["hs_recurring_billing_number_of_payments"])
	}
	return newForm(values), nil
}

// readLineForm reads the add form into an item, with the link editor's reading of a line:
// prices in the form's currency, percentages, and for a recurring document its billing.
// What cannot be read or is out of range is refused under the form's field names.
func readLineForm(values url.Values, recurring bool) (lineitem.Item, error) {
	bad := &problem.InvalidError{Summary: "The line item is not valid"}
	line := func(field string) string {
		if !recurring && strings.HasPrefix(field, "recurring.") {
			return ""
		}
		return strings.TrimSpace(values.Get(field))
	}
	cur, err := money.Currency(line("currency"))
	if err != nil {
		bad.Add("currency", "INVALID_CURRENCY", "The line's currency is not valid.")
	}
	it := readLine(bad, "", line, cur, err == nil)
	bad.Merge(formLineFields(it.Validate()))
	if b := it.Billing; b != nil && strings.HasPrefix(string(b.Frequency), "every ") {
		bad.Add("recurring.interval_count", "FREQUENCY_NOT_NAMED",
			"A line item is charged weekly, every two weeks, monthly, quarterly, every six months, or every one, two or three years.")
	}
	return it, bad.OrNil()
}

// formLineFields renames the fields of an item's refusal to the add form's.
func formLineFields(err error) error {
	var inv *problem.InvalidError
	if !errors.As(err, &inv) {
		return err
	}
	for i, fe := range inv.Fields {
		if renamed, ok := itemFieldNames[fe.Field]; ok {
			inv.Fields[i].Field = renamed
		}
	}
	return err
}

// lineProperties are the CRM line item of an item, as its document's service reads it.
func lineProperties(it lineitem.Item) map[string]string {
	dec := func(minor int64) string { return money.Amount{Minor: minor, Currency: it.Currency}.Decimal() }
	props := map[string]string{"name": it.Name, "price": dec(it.UnitPrice), "quantity": strconv.FormatInt(it.Quantity, 10),
		"hs_line_item_currency_code": it.Currency}
	set := func(name, value string) {
		if value != "" {
			props[name] = value
		}
	}
	set("hs_sku", it.SKU)
	set("hs_product_id", it.ProductID)
	if it.Discount.Percent != 0 {
		set("hs_discount_percentage", it.Discount.Percent.String())
	}
	if it.Discount.Amount != 0 {
		set("discount", dec(it.Discount.Amount))
	}
	if it.TaxRate != 0 {
		set("hs_tax_rate", it.TaxRate.String())
	}
	if b := it.Billing; b != nil {
		set("recurringbillingfrequency", string(b.Frequency))
		if !b.Term.IsUntilCancelled() {
			set("hs_recurring_billing_number_of_payments", strconv.Itoa(b.Term.Payments))
		}
	}
	return props
}

// addLine adds the add form's line to the document of the path, for a user who may collect.
// What is refused, by the form or by the document's service, is shown on its page and
// nothing is written.
func (u *UI) addLine(d lineDocument) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		if err := mayCollect(v); err != nil {
			return err
		}
		rec, err := u.pathRecord(r, v, d.kind, false)
		if err != nil {
			return err
		}
		values := cloneForm(r.PostForm)
		values.Del(csrfField)
		it, err := readLineForm(values, d.recurring)
		if err == nil {
			err = d.editable(rec)
		}
		if err == nil {
			in := crm.Input{Properties: lineProperties(it), Associations: []crm.AssociationInput{{ToType: d.kind.Type, ToID: rec.IDString()}}}
			_, err = u.deps.CRM.Create(r.Context(), v.Principal.AccountID, lineItemType, in, source(v))
		}
		if err != nil {
			return u.lineRefused(w, r, v, d, rec, newForm(values), err)
		}
		return redirect(w, r, d.kind.RecordPath(rec.IDString()), "line_added")
	}
}

// removeLine dissociates a line item from the document of the path, which recomputes a
// draft invoice, then archives it.
func (u *UI) removeLine(d lineDocument) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		if err := mayCollect(v); err != nil {
			return err
		}
		rec, err := u.pathRecord(r, v, d.kind, false)
		if err != nil {
			return err
		}
		line, err := u.documentLine(r, v, d, rec)
		if err != nil {
			return err
		}
		ctx, acct := r.Context(), v.Principal.AccountID
		err = d.editable(rec)
		if err == nil {
			err = u.deps.CRM.Dissociate(ctx, acct, d.kind.Type, rec.IDString(), lineItemType, line, source(v))
		}
		if err == nil {
			err = u.deps.CRM.Archive(ctx, acct, lineItemType, line, source(v))
		}
		if err != nil {
			return u.lineRefused(w, r, v, d, rec, newForm(nil), err)
		}
		return redirect(w, r, d.kind.RecordPath(rec.IDString()), "line_removed")
	}
}

// editable refuses to change the lines of a quote that is no longer a draft: what its buyer
// accepts is what was published. An invoice's service guards its own.
func (d lineDocument) editable(rec loadedRecord) error {
	if d.kind.Type == quoteType && !slices.Contains([]string{"", string(checkout.QuoteDraft)}, rec.Values["hs_status"]) {
		return problem.Invalid(lineItemsField, "QUOTE_NOT_DRAFT", "Only a draft quote's lines can change.")
	}
	return nil
}

// documentLine reads the {line} of the path: one of the document's line items, or not found.
func (u *UI) documentLine(r *http.Request, v *visit, d lineDocument, rec loadedRecord) (string, error) {
	line, err := pathID(r.PathValue("line"))
	if err != nil {
		return "", err
	}
	ids, err := u.deps.CRM.LinkedIDs(r.Context(), v.Principal.AccountID, d.kind.Type, rec.ID, []string{lineItemType})
	if err != nil {
		return "", err
	}
	n, _ := strconv.ParseInt(line, 10, 64)
	if !slices.Contains(ids[lineItemType], n) {
		return "", problem.NotFound("line item %s", line)
	}
	return line, nil
}

// lineRefused shows the document's page again with f as the add form and what err refused
// next to its field, or above the form for the others; another error is returned as is.
func (u *UI) lineRefused(w http.ResponseWriter, r *http.Request, v *visit, d lineDocument, rec loadedRecord, f *form, err error) error {
	var inv *problem.InvalidError
	if !errors.As(err, &inv) {
		return err
	}
	for _, fe := range inv.Fields {
		if slices.Contains(lineFormFields, fe.Field) {
			f.refuse(fe.Field, u.lineMessage(v.Lang, fe))
			continue
		}
		fe.Field = lineIndex.ReplaceAllString(fe.Field, lineItemsField+".")
		if msg := u.lineMessage(v.Lang, fe); !strings.Contains(f.Message, msg) {
			f.Message = strings.TrimSpace(f.Message + " " + msg)
		}
	}
	vw, err := u.layout(d.kind)(r, v, rec, nil, http.StatusBadRequest)
	if err != nil {
		return err
	}
	switch data := vw.Data.(type) {
	case invoiceData:
		data.Editor.Form = f
		vw.Data = data
	case quoteData:
		data.Editor.Form = f
		vw.Data = data
	}
	return u.render(w, r, v, vw)
}

// lineMessage localizes why a line's field was refused: the add form's own message, else the
// link editor's for the same field of a line.
func (u *UI) lineMessage(lang string, fe problem.FieldError) string {
	if u.text.Has(i18n.Default, "field_error.line."+fe.Field+"."+fe.Code) {
		return u.fieldMessage(lang, "line", fe)
	}
	linkField := problem.FieldError{Field: lineItemsField + "." + fe.Field, Code: fe.Code}
	if strings.HasPrefix(fe.Field, lineItemsField) {
		linkField.Field = fe.Field
	}
	return u.fieldMessage(lang, "link", linkField, "most", lineitem.MaxItems)
}
