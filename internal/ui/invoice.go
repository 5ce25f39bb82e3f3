package ui

import (
	"errors"
	"net/http"
	"time"

	"github.com/settlehq/settle/internal/invoice"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
)

// invoiceKindType is the CRM type of invoices, whose record page adds the invoice's panel.
const invoiceKindType = invoice.Type

// invoiceKind is the kind of invoices among the record kinds.
func invoiceKind() recordKind {
	k, _ := kindOf(invoice.Type)
	return k
}

// invoiceData is an invoice's record page (its properties, associations and timeline) with
// what makes it an invoice: its number and status, its amounts, its line items and, for a
// user who may collect, the actions its status allows.
type invoiceData struct {
	recordData
	Number string
	Status statusBadge
	// Draft and Open say which actions apply: a draft is finalized, an open invoice is sent,
	// paid, voided or marked uncollectible; the others are final.
	Draft, Open bool
	Amounts     []amountLine
	Lines       []invoiceLine
	Totals      []amountLine
	// LinesError says why the line items cannot be billed as they are.
	LinesError string
	// Editor is the line items card, which adds and removes lines while it is a draft.
	Editor lineEditor
	// MayCollect is set for a user who may act on the invoice (SPEC F41).
	MayCollect bool
	PDFURL     string
	// Manual is the form recording a payment made outside Settle (SPEC F3).
	Manual manualForm
	// Failed names the action whose form Act shows refused; Act is nil otherwise.
	Failed string
	Act    *form
}

// invoiceLine is a line item as the invoice bills it.
type invoiceLine struct {
	Name, Quantity, UnitPrice, Discount, Tax, Total string
}

// manualForm is the form of a manual payment, filled with the balance due and today.
type manualForm struct {
	Currency, Amount, PaidAt string
	Methods                  []fieldOption
}

// manualMethods are the ways a manual payment is received, as the payment service names them.
var manualMethods = []string{"cash", "check", "wire_transfer", "other"}

// invoiceStatusTones colour an invoice's status as the payments list colours a payment's.
var invoiceStatusTones = map[invoice.Status]string{
	invoice.StatusDraft: "neutral", invoice.StatusOpen: "pending", invoice.StatusPaid: "success",
	invoice.StatusVoid: "neutral", invoice.StatusUncollectible: "danger",
}

// invoiceView lays out an invoice's page: the record page's, with the invoice's panel.
func (u *UI) invoiceView(r *http.Request, v *visit, rec loadedRecord, f *form, status int) (view, error) {
	vw, err := u.recordView(r, v, invoiceKind(), rec, f, status)
	if err != nil {
		return view{}, err
	}
	inv, err := u.deps.Invoices.Get(r.Context(), v.Principal.AccountID, rec.ID)
	if errors.Is(err, problem.ErrNotFound) && rec.ArchivedAt != nil {
		vw.name = "invoice"
		vw.Data = invoiceData{recordData: vw.Data.(recordData), Number: rec.Values["hs_number"]}
		return vw, nil
	}
	if err != nil {
		return view{}, err
	}
	self := invoiceKind().RecordPath(rec.IDString())
	data := invoiceData{recordData: vw.Data.(recordData), Number: inv.Number, Draft: inv.Status == invoice.StatusDraft,
		Open: inv.Status == invoice.StatusOpen, MayCollect: mayCollect(v) == nil, PDFURL: self + "/pdf",
		Status: statusBadge{Label: u.formats(v).value(mustProperty(rec.Record, "hs_invoice_status"), rec.Record), Tone: invoiceStatusTones[inv.Status]}}
	if data.Status.Label == "" {
		data.Status.Label = string(inv.Status)
	}
	data.Amounts = u.invoiceAmounts(v.Lang, inv)
	if err := u.invoiceLines(r, v, &data, inv); err != nil {
		return view{}, err
	}
	if data.Editor, err = u.invoiceEditor(r, v, rec, data); err != nil {
		return view{}, err
	}
	data.Manual = u.newManualForm(v, inv)
	vw.name, vw.Data = "invoice", data
	return vw, nil
}

// invoiceAmounts are what the invoice bills, what was paid and what is left, once it has a
// currency.
func (u *UI) invoiceAmounts(lang string, inv invoice.Invoice) []amountLine {
	if inv.Currency == "" {
		return nil
	}
	return []amountLine{
		{Label: u.text.T(lang, "invoice.billed"), Value: inv.Billed.Format(lang)},
		{Label: u.text.T(lang, "invoice.paid"), Value: inv.Paid.Format(lang)},
		{Label: u.text.T(lang, "invoice.balance_due"), Value: inv.Due.Format(lang), Total: true},
	}
}

// invoiceLines reads the line items as the invoice's PDF prints them, with their totals. Line
// items that cannot be billed are not an error of the page: it says what is wrong instead.
func (u *UI) invoiceLines(r *http.Request, v *visit, data *invoiceData, inv invoice.Invoice) error {
	doc, _, err := u.deps.Invoices.Document(r.Context(), v.Principal.AccountID, inv.ID)
	var bad *problem.InvalidError
	if errors.As(err, &bad) {
		data.LinesError = u.text.T(v.Lang, "invoice.lines.invalid")
		return nil
	}
	if err != nil {
		return err
	}
	for _, l := range doc.Lines {
		data.Lines = append(data.Lines, invoiceLine{Name: l.Description, Quantity: idString(l.Quantity),
			UnitPrice: l.UnitPrice.Format(v.Lang), Discount: l.Discount.Format(v.Lang), Tax: l.Tax.Format(v.Lang), Total: l.Total.Format(v.Lang)})
	}
	if len(doc.Lines) == 0 {
		return nil
	}
	line := func(key string, a money.Amount, total bool) amountLine {
		return amountLine{Label: u.text.T(v.Lang, key), Value: a.Format(v.Lang), Total: total}
	}
	data.Totals = []amountLine{line("invoice.lines.subtotal", doc.Subtotal, false), line("invoice.lines.discount", doc.Discount, false),
		line("invoice.lines.tax", doc.Tax, false), line("invoice.lines.total", doc.Total, true)}
	return nil
}

// newManualForm fills the manual payment form with the balance due, in the invoice's
// currency, received today.
func (u *UI) newManualForm(v *visit, inv invoice.Invoice) manualForm {
	cur := inv.Currency
	if cur == "" {
		cur = v.Account.DefaultCurrency
	}
	mf := manualForm{Currency: cur, PaidAt: u.deps.Clock.Now().In(location(v.Account.Timezone)).Format(time.DateOnly)}
	if inv.Due.Minor > 0 {
		mf.Amount = inv.Due.Decimal()
	}
	for _, m := range manualMethods {
		mf.Methods = append(mf.Methods, fieldOption{Value: m, Label: u.text.T(v.Lang, "invoice.method."+m), Selected: m == manualMethods[0]})
	}
	return mf
}
