package ui

import (
	"net/http"
	"strings"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
)

// doneData is the receipt a successful checkout shows: only what the buyer paid and typed.
type doneData struct {
	// For names what was paid: the link's name, the invoice's number, the quote's title.
	For      string
	Merchant string
	Amount   string
	Method   string
	// Status is the catalog key of the payment's status; Processing adds why a bank debit
	// is not paid yet.
	Status     string
	Processing bool
	Email      string
}

// donePage shows the receipt of a payment through the link, to the browser that made it.
func (b *buyerSite) donePage(w http.ResponseWriter, r *http.Request, lang string, l checkout.Link, acct auth.Account) error {
	return b.receipt(w, r, lang, linkSource(l), l.Name, acct, func(id int64) (payment.Payment, error) {
		return b.ui.deps.Checkout.LinkPayment(r.Context(), l, id)
	})
}

// receipt shows the receipt of the path's payment through src, which is called name, to
// the browser that made it. Any other receipt, one of another page, or a payment that find
// does not find as src's, is not found.
func (b *buyerSite) receipt(w http.ResponseWriter, r *http.Request, lang string, src paySource, name string, acct auth.Account,
	find func(paymentID int64) (payment.Payment, error)) error {
	rc, ok := readReceipt(storedBuyerSecret(r), src.Path, r.PathValue("receipt"))
	if !ok {
		return problem.NotFound("receipt of %s", src.Path)
	}
	p, err := find(rc.PaymentID)
	if err != nil {
		return err
	}
	br := brandOf(acct)
	data := doneData{For: name, Merchant: br.Name, Amount: p.Amount.Format(lang), Method: b.methodText(lang, rc),
		Status: "buyer.status." + buyerStatus(p.Status), Processing: p.Status == payment.StatusProcessing, Email: p.Email}
	return b.render(w, r, lang, buyerView{name: "buyer_done", Title: "buyer.done.title", Brand: br, Data: data})
}

// buyerStatus is how the receipt names a payment's status: a buyer needs to know whether it
// is paid, pending, failed or given back, not the merchant's dispute workflow.
func buyerStatus(s payment.Status) string {
	switch s {
	case payment.StatusProcessing, payment.StatusFailed:
		return string(s)
	case payment.StatusRefunded, payment.StatusPartiallyRefund, payment.StatusProcessingRefund:
		return "refunded"
	}
	return "succeeded"
}

// methodText says how the buyer paid: "Visa •••• 4242", "US bank account (ACH) •••• 6789".
func (b *buyerSite) methodText(lang string, rc buyerReceipt) string {
	name := b.ui.text.T(lang, "buyer.method."+rc.Method)
	if brand := cardBrandName(rc.Brand); brand != "" {
		name = brand
	}
	if rc.Last4 == "" {
		return name
	}
	return name + " •••• " + rc.Last4
}

// cardBrandName is a card network's name as it writes it; "" for none.
func cardBrandName(brand string) string {
	switch brand {
	case "amex":
		return "American Express"
	case "visa", "mastercard", "discover":
		return strings.ToUpper(brand[:1]) + brand[1:]
	}
	return ""
}
