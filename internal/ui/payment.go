package ui

import (
	"cmp"
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/payment"
)

// paymentData is a payment's panel (SPEC F23): amount, status, date, buyer and method up
// top; its amounts, refunds and properties; the cards of its history, line items,
// subscriptions and associations.
type paymentData struct {
	Kind   recordKind
	ID     string
	Amount string
	Status statusBadge
	Facts  []paymentFact
	// Amounts are gross, fees, refunds, net and paid in the payment's currency; Settlement
	// the same in the settlement currency when it differs (SPEC F24).
	Amounts    []amountLine
	Settlement *settlement
	Refunds    []refundRow
	// Refund is the refund form, for a user who may refund a payment that can be.
	Refund *refundForm
	// MayRefund shows the actions menu: the user holds the permission to refund.
	MayRefund bool
	// ShowHistory is set for a user who may see the payment's history (SPEC F41).
	ShowHistory bool
	Timeline    []timelineEntry
	// Groups are the payment's properties; Editable when the payment was recorded outside a
	// processor and the user may change payments.
	Groups   []fieldGroup
	Editable bool
	// ReadOnly is the catalog key saying why the properties cannot be changed here.
	ReadOnly string
	Cards    []assocCard
	Listed   []assocCard
}

// paymentFact is a labelled value under the amount, linked when it names a record.
type paymentFact struct {
	Label, Value, URL, Detail string
}

// amountLine is one amount of the amounts card.
type amountLine struct {
	Label, Value string
	Total        bool
}

// settlement is what the payment is worth in the settlement currency, with the rate applied.
type settlement struct {
	Currency, Rate string
	Lines          []amountLine
}

// refundRow is a refund as the refunds card lists it.
type refundRow struct {
	Amount, Reason string
	Status         statusBadge
	At             time.Time
}

// paymentPage shows a payment's panel.
func (u *UI) paymentPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	rec, err := u.pathPayment(r, v)
	if err != nil {
		return err
	}
	vw, err := u.paymentView(r, v, rec, nil, http.StatusOK)
	if err != nil {
		return err
	}
	return u.render(w, r, v, vw)
}

// pathPayment reads the payment of the {id} in the path, for a user who may see payments.
func (u *UI) pathPayment(r *http.Request, v *visit) (loadedRecord, error) {
	if err := mayRead(v, payment.Type); err != nil {
		return loadedRecord{}, err
	}
	return u.pathRecord(r, v, paymentKind, false)
}

// paymentView lays out a payment's panel with f as its properties form (the stored values
// when f is nil).
func (u *UI) paymentView(r *http.Request, v *visit, rec loadedRecord, f *form, status int) (view, error) {
	ctx := r.Context()
	pay, err := u.deps.Payments.Get(ctx, v.Principal.AccountID, rec.ID)
	if err != nil {
		return view{}, err
	}
	if f == nil {
		f = newForm(propertyValues(rec.Schema, rec.Values))
	}
	data := paymentData{Kind: paymentKind, ID: rec.IDString(), Amount: pay.Amount.Format(v.Lang),
		Status: u.statusBadge(v.Lang, pay.Status), Amounts: u.amountLines(v.Lang, pay), Settlement: u.settlementOf(v.Lang, pay),
		MayRefund: v.Principal.Has(auth.PermManagePayments), ShowHistory: v.Principal.Has(auth.PermManagePayments),
		Editable: pay.External() && canWrite(v, payment.Type)}
	if data.Facts, err = u.paymentFacts(ctx, v, pay); err != nil {
		return view{}, err
	}
	refunds, err := u.deps.Payments.RefundsOf(ctx, pay)
	if err != nil {
		return view{}, err
	}
	data.Refunds = u.refundRows(v.Lang, refunds)
	if data.MayRefund && pay.Refundable() {
		data.Refund = u.newRefundForm(v.Lang, pay, refunds, nil)
		data.Refund.Dialog = true
	}
	u.formats(v).paymentProperties(&data, pay, rec, f)
	if err := u.paymentCards(r, v, rec, f, &data); err != nil {
		return view{}, err
	}
	return view{name: "payment", Status: status, Title: "payment.title", Heading: data.Amount, Section: paymentKind.Path(),
		Form: f, Data: data}, nil
}

// paymentProperties lays out the properties: a form for a payment recorded outside a
// processor, for a user who may change payments; their values otherwise, saying why, with
// what a forged post was refused for above them.
func (fm formats) paymentProperties(data *paymentData, pay payment.Payment, rec loadedRecord, f *form) {
	if data.Editable {
		data.Groups = fm.groups(rec.Schema, f, rec.Record)
		return
	}
	data.Groups, data.ReadOnly = fm.readOnlyGroups(rec.Schema, rec.Record), "payment.properties.processed"
	if pay.External() {
		data.ReadOnly = "payment.properties.need_permission"
	}
	f.Message = cmp.Or(f.Message, f.firstError())
}

// paymentCards reads the cards: the history for those who may see it, the associations,
// and the line items and subscriptions, listed.
func (u *UI) paymentCards(r *http.Request, v *visit, rec loadedRecord, f *form, data *paymentData) error {
	var err error
	if data.ShowHistory {
		if data.Timeline, err = u.timeline(r.Context(), v, rec); err != nil {
			return err
		}
	}
	if data.Cards, err = u.associationCards(r, v, paymentKind, rec, f); err != nil {
		return err
	}
	for _, to := range []string{"line_items", "subscriptions"} {
		card, err := u.associationCard(r, v, rec, to, f, false)
		if err != nil {
			return err
		}
		data.Listed = append(data.Listed, card)
	}
	return nil
}

// paymentFacts are the date, the buyer (their contact, linked), the method, the processor
// and where the payment came from.
func (u *UI) paymentFacts(ctx context.Context, v *visit, pay payment.Payment) ([]paymentFact, error) {
	fm, rec := u.formats(v), pay.Record
	facts := []paymentFact{{Label: u.text.T(v.Lang, "payment.date"), Value: fm.datetime(mustProperty(rec, "hs_initiated_date"), rec.Values["hs_initiated_date"])}}
	buyer, err := u.buyer(ctx, v, pay)
	if err != nil {
		return nil, err
	}
	facts = append(facts, buyer)
	for _, f := range []struct{ key, value string }{
		{"payment.method", fm.method(rec)},
		{"payment.processor", fm.value(mustProperty(rec, "hs_processor_type"), rec)},
		{"payment.source", joinNonEmpty(" · ", fm.value(mustProperty(rec, "hs_payment_source_app"), rec), rec.Values["hs_payment_source_name"])},
	} {
		if f.value != "" {
			facts = append(facts, paymentFact{Label: u.text.T(v.Lang, f.key), Value: f.value})
		}
	}
	return facts, nil
}

// buyer is who paid: the payment's contact, linked, with the email typed at checkout.
func (u *UI) buyer(ctx context.Context, v *visit, pay payment.Payment) (paymentFact, error) {
	fact := paymentFact{Label: u.text.T(v.Lang, "payment.buyer"), Value: pay.Email}
	linked, err := u.deps.Payments.Related(ctx, pay)
	contact := linked.Contact
	if err != nil || contact == 0 {
		return fact, err
	}
	pvs, err := u.previews(ctx, v, "contacts", []int64{contact})
	if pv, ok := pvs[contact]; ok {
		fact.Value, fact.URL = pv.Title, pv.URL
		if pv.Title != pay.Email {
			fact.Detail = pay.Email
		}
	}
	return fact, err
}

// amountLines are the payment's amounts in its currency: the fee is never returned, so the
// net goes below zero when a payment is refunded in full.
func (u *UI) amountLines(lang string, pay payment.Payment) []amountLine {
	cur := pay.Amount.Currency
	line := func(key string, minor int64, total bool) amountLine {
		return amountLine{Label: u.text.T(lang, key), Value: money.Amount{Minor: minor, Currency: cur}.Format(lang), Total: total}
	}
	return []amountLine{
		line("payment.gross", pay.Amount.Minor, false),
		line("payment.fees", -pay.Fee.Minor, false),
		line("payment.refunds", -pay.Refunded.Minor, false),
		line("payment.net", pay.Amount.Minor-pay.Fee.Minor-pay.Refunded.Minor, true),
		line("payment.paid", pay.Remaining(), false),
	}
}

// settlementOf is the payment in the settlement currency when it differs from the payment's,
// as the processor converted it (SPEC F24); nil otherwise.
func (u *UI) settlementOf(lang string, pay payment.Payment) *settlement {
	v := pay.Record.Values
	cur := v["hs_settlement_currency_code"]
	if cur == "" || cur == pay.Amount.Currency {
		return nil
	}
	line := func(key, prop string, negate, total bool) amountLine {
		a, err := parseSigned(v[prop], cur)
		if err != nil {
			return amountLine{Label: u.text.T(lang, key), Value: "—"}
		}
		if negate {
			a.Minor = -a.Minor
		}
		return amountLine{Label: u.text.T(lang, key), Value: a.Format(lang), Total: total}
	}
	out := &settlement{Currency: cur, Lines: []amountLine{
		line("payment.gross", "hs_initial_amount_in_settlement_currency", false, false),
		line("payment.fees", "hs_fees_amount_in_settlement_currency", true, false),
		line("payment.net", "hs_net_amount_in_settlement_currency", false, true),
	}}
	if rate := v["hs_settlement_exchange_rate"]; rate != "" {
		out.Rate = u.text.T(lang, "payment.rate_value", "from", pay.Amount.Currency, "rate", rate, "to", cur)
	}
	return out
}

func (u *UI) refundRows(lang string, refunds []payment.Refund) []refundRow {
	tones := map[payment.RefundStatus]string{payment.RefundSucceeded: "success", payment.RefundProcessing: "pending",
		payment.RefundFailed: "danger"}
	out := make([]refundRow, len(refunds))
	for i, rf := range refunds {
		out[i] = refundRow{Amount: rf.Amount.Format(lang), Reason: u.text.T(lang, "payment.reason."+rf.Reason), At: rf.CreatedAt,
			Status: statusBadge{Label: u.text.T(lang, "payment.refund_status."+string(rf.Status)), Tone: tones[rf.Status]}}
	}
	return out
}

// pendingRefunds sums the refunds still being processed, which Refund counts as given back.
func pendingRefunds(refunds []payment.Refund) int64 {
	var n int64
	for _, rf := range refunds {
		if rf.Status == payment.RefundProcessing {
			n += rf.Amount.Minor
		}
	}
	return n
}

func joinNonEmpty(sep string, parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += p
	}
	return out
}

// mustProperty is a property of the record's type; the payment schema has every one the
// panel names.
func mustProperty(rec crm.Record, name string) crm.Property {
	p, _ := rec.Type.Property(name)
	return p
}

// idString writes a record id as the API writes it.
func idString(id int64) string { return strconv.FormatInt(id, 10) }
