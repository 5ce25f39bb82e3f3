package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
)

// refundForm is the refund form (SPEC F28): an amount in the payment's currency, what remains
// by default, and a reason. The payment's panel opens it in a dialog; without JavaScript it
// is a page of its own, which also shows what a post refused.
type refundForm struct {
	Action string
	// Dialog is set for the form in the panel's dialog, which Cancel closes; on its own
	// page, Cancel returns to CancelURL.
	Dialog              bool
	CancelURL           string
	Currency, Remaining string
	// External is set for a payment recorded outside Settle, whose refund is only recorded.
	External            bool
	Amount, AmountError string
	Reasons             []fieldOption
	ReasonError         string
}

// refundPageData is the refund form's own page.
type refundPageData struct {
	PaymentURL string
	Amount     string
	Status     statusBadge
	Refund     *refundForm
}

// newRefundForm fills the refund form of pay: from f when a post was refused, otherwise with
// what remains to refund and the first reason.
func (u *UI) newRefundForm(lang string, pay payment.Payment, refunds []payment.Refund, f *form) *refundForm {
	left := remaining(pay, refunds)
	self := paymentKind.RecordPath(idString(pay.ID))
	rf := &refundForm{Action: self + "/refund", CancelURL: self, Currency: left.Currency,
		Remaining: left.Format(lang), Amount: left.Decimal(), External: pay.External()}
	reason := payment.RefundReasons()[0]
	if f != nil {
		rf.Amount, reason = f.Value("amount"), f.Value("reason")
		rf.AmountError, rf.ReasonError = f.Error("amount"), f.Error("reason")
	}
	for _, r := range payment.RefundReasons() {
		rf.Reasons = append(rf.Reasons, fieldOption{Value: r, Label: u.text.T(lang, "payment.reason."+r), Selected: r == reason})
	}
	return rf
}

// remaining is what can still be refunded on pay: refunds being processed count as given.
func remaining(pay payment.Payment, refunds []payment.Refund) money.Amount {
	return money.Amount{Minor: max(pay.Remaining()-pendingRefunds(refunds), 0), Currency: pay.Amount.Currency}
}

// mayRefund refuses a user without the permission to refund (SPEC F41).
func mayRefund(v *visit) error {
	if !v.Principal.Has(auth.PermManagePayments) {
		return problem.Forbidden("refunding needs %s", auth.PermManagePayments)
	}
	return nil
}

// refundPage shows the refund form on its own page, for browsers without the dialog.
func (u *UI) refundPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := mayRefund(v); err != nil {
		return err
	}
	pay, refunds, err := u.pathRefundable(r, v)
	if err != nil {
		return err
	}
	return u.render(w, r, v, u.refundView(v, pay, refunds, newForm(nil), http.StatusOK))
}

// pathRefundable reads the payment of the path with its refunds.
func (u *UI) pathRefundable(r *http.Request, v *visit) (payment.Payment, []payment.Refund, error) {
	rec, err := u.pathPayment(r, v)
	if err != nil {
		return payment.Payment{}, nil, err
	}
	pay, err := u.deps.Payments.Get(r.Context(), v.Principal.AccountID, rec.ID)
	if err != nil {
		return pay, nil, err
	}
	refunds, err := u.deps.Payments.RefundsOf(r.Context(), pay)
	return pay, refunds, err
}

// refundView lays out the refund page with f, a form the user filled in or an empty one.
func (u *UI) refundView(v *visit, pay payment.Payment, refunds []payment.Refund, f *form, status int) view {
	data := refundPageData{PaymentURL: paymentKind.RecordPath(idString(pay.ID)), Amount: pay.Amount.Format(v.Lang),
		Status: u.statusBadge(v.Lang, pay.Status)}
	if pay.Refundable() {
		filled := f
		if len(f.values) == 0 {
			filled = nil
		}
		data.Refund = u.newRefundForm(v.Lang, pay, refunds, filled)
	}
	return view{name: "payment_refund", Status: status, Title: "payment.refund.title", Heading: data.Amount,
		Section: paymentKind.Path(), Form: f, Data: data}
}

// refund gives back the amount the form asks for. What the payment service refuses shows
// next to its field, and nothing is written; a refund made returns to the payment's panel.
func (u *UI) refund(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := mayRefund(v); err != nil {
		return err
	}
	pay, refunds, err := u.pathRefundable(r, v)
	if err != nil {
		return err
	}
	in, err := refundInput(r.PostForm, pay.Amount.Currency)
	var made payment.Refund
	if err == nil {
		made, err = u.deps.Payments.Refund(r.Context(), v.Principal.AccountID, pay.ID, in)
	}
	f := newForm(r.PostForm)
	if status, ok := u.formFailure(v.Lang, "refund", f, err, "", "remaining", remaining(pay, refunds).Format(v.Lang)); ok {
		if msg := f.Error("payment"); msg != "" {
			f.Message = msg
			delete(f.errors, "payment")
		}
		return u.render(w, r, v, u.refundView(v, pay, refunds, f, status))
	}
	if err != nil {
		return err
	}
	notice := "refunded"
	if made.Status == payment.RefundProcessing {
		notice = "refund_processing"
	}
	return redirect(w, r, paymentKind.RecordPath(idString(pay.ID)), notice)
}

// refundInput reads the refund form: an amount in the payment's currency (a decimal comma is
// read as a point) and one of the reasons offered.
func refundInput(form url.Values, currency string) (payment.RefundInput, error) {
	inv := &problem.InvalidError{}
	raw := strings.TrimSpace(form.Get("amount"))
	if !strings.Contains(raw, ".") {
		raw = strings.Replace(raw, ",", ".", 1)
	}
	amount, err := money.ParseDecimal(raw, currency)
	if err != nil {
		inv.Add("amount", "INVALID_AMOUNT", "Enter an amount to refund.")
	}
	reason := form.Get("reason")
	if !slices.Contains(payment.RefundReasons(), reason) {
		inv.Add("reason", "INVALID_OPTION", "Choose one of the reasons offered.")
	}
	return payment.RefundInput{Amount: amount.Minor, Reason: reason}, inv.OrNil()
}
