package ui

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/invoice"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
)

// buyerInvoice is an invoice as its pay page, /invoices/pay/{token}, reads it.
type buyerInvoice struct {
	inv invoice.Invoice
	src paySource
}

// invoice reads the invoice of the path's token. Its form pays the balance due by the
// methods checkout.MethodsFor takes in its currency, without a quantity or an address. A
// draft has no page, nor a PDF.
func (b *buyerSite) invoice(r *http.Request) (buyerInvoice, int64, error) {
	token := r.PathValue("token")
	inv, err := b.ui.deps.Checkout.InvoiceByToken(r.Context(), token)
	if err == nil && inv.Status == invoice.StatusDraft {
		err = problem.NotFound("invoice %q", token)
	}
	src := paySource{Type: checkout.SourceInvoice, ID: token, AccountID: inv.AccountID, Path: "/invoices/pay/" + token,
		Methods: checkout.MethodsFor(inv.Currency)}
	return buyerInvoice{inv: inv, src: src}, inv.AccountID, err
}

// The states of an invoice whose page shows no form, as catalog key prefixes.
const (
	buyerInvoicePaid       = "buyer.invoice.paid"
	buyerInvoiceProcessing = "buyer.invoice.processing"
)

// invoiceState is what an invoice's page shows instead of the form: "" when it is open
// with a balance due and no bank debit processing, else buyerInvoicePaid or
// buyerInvoiceProcessing. A voided invoice is gone, and so is an uncollectible one, which
// the seller no longer collects online.
func (b *buyerSite) invoiceState(ctx context.Context, inv invoice.Invoice) (string, error) {
	switch inv.Status {
	case invoice.StatusVoid:
		return "", goneError{"buyer.invoice_void"}
	case invoice.StatusPaid:
		return buyerInvoicePaid, nil
	case invoice.StatusOpen:
	default:
		return "", goneError{"buyer.invoice_closed"}
	}
	if inv.Due.Minor <= 0 {
		return buyerInvoicePaid, nil
	}
	processing, err := b.ui.deps.Checkout.InvoiceProcessing(ctx, inv)
	if err != nil || !processing {
		return "", err
	}
	return buyerInvoiceProcessing, nil
}

// buyerInvoiceData is what an invoice's pay page shows.
type buyerInvoiceData struct {
	Number, IssueDate, DueDate string
	// PDF is where the invoice's PDF is downloaded.
	PDF   string
	Order buyerOrder
	// State replaces the form (see invoiceState); Pay is the form, nil when State is set.
	State string
	Pay   *payForm
}

// invoicePage shows an invoice, with the form that pays its balance while it is due.
func (b *buyerSite) invoicePage(w http.ResponseWriter, r *http.Request, lang string, bi buyerInvoice, acct auth.Account) error {
	return b.renderInvoice(w, r, lang, bi, acct, firstMethod(bi.src), http.StatusOK)
}

// payInvoice pays an invoice's balance. An invoice that takes no payment any more shows its
// state, 409 Conflict, and nothing is read of the form or charged.
func (b *buyerSite) payInvoice(w http.ResponseWriter, r *http.Request, lang string, bi buyerInvoice, acct auth.Account) error {
	state, err := b.invoiceState(r.Context(), bi.inv)
	if err != nil {
		return err
	}
	if state != "" {
		return b.renderInvoice(w, r, lang, bi, acct, newForm(nil), http.StatusConflict)
	}
	return b.checkout(w, r, lang, bi.src, func(f *form, status int) error {
		return b.renderInvoice(w, r, lang, bi, acct, f, status)
	})
}

// renderInvoice shows an invoice as its PDF prints it, with f when it takes a payment.
func (b *buyerSite) renderInvoice(w http.ResponseWriter, r *http.Request, lang string, bi buyerInvoice, acct auth.Account, f *form, status int) error {
	state, err := b.invoiceState(r.Context(), bi.inv)
	if err != nil {
		return err
	}
	doc, _, err := b.ui.deps.Invoices.Document(r.Context(), bi.inv.AccountID, bi.inv.ID)
	if err != nil {
		return err
	}
	order := buyerInvoiceOrder(doc, lang)
	data := buyerInvoiceData{Number: bi.inv.Number, IssueDate: b.ui.buyerDate(lang, doc.IssueDate), PDF: bi.src.Path + "/pdf",
		Order: order, State: state}
	if !doc.DueDate.IsZero() {
		data.DueDate = b.ui.buyerDate(lang, doc.DueDate)
	}
	if state == "" {
		data.Pay = b.payForm(w, r, lang, bi.src, f, "buyer.pay.submit", order.Totals.Due)
	}
	return b.render(w, r, lang, buyerView{name: "buyer_invoice", Status: status, Title: "buyer.invoice.title",
		Heading: b.ui.text.T(lang, "buyer.invoice.heading", "number", bi.inv.Number), Brand: brandOf(acct), Form: f, Data: data})
}

// invoicePDF answers with the invoice's PDF, the one its seller sends, rendered whole
// before anything is sent.
func (b *buyerSite) invoicePDF(w http.ResponseWriter, r *http.Request, lang string, bi buyerInvoice, acct auth.Account) error {
	pdf, inv, err := b.ui.deps.Invoices.PDF(r.Context(), bi.inv.AccountID, bi.inv.ID)
	if err != nil {
		return err
	}
	setSecurityHeaders(w)
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+url.PathEscape(inv.Number)+`.pdf"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	_, _ = w.Write(pdf) // a failed write is a browser gone away: nothing left to tell it
	return nil
}

// invoiceDone shows the receipt of a payment of the invoice, to the browser that made it.
func (b *buyerSite) invoiceDone(w http.ResponseWriter, r *http.Request, lang string, bi buyerInvoice, acct auth.Account) error {
	name := b.ui.text.T(lang, "buyer.invoice.heading", "number", bi.inv.Number)
	return b.receipt(w, r, lang, bi.src, name, acct, func(id int64) (payment.Payment, error) {
		return b.ui.deps.Checkout.SourcePayment(r.Context(), bi.inv.AccountID, checkout.SourceInvoice, bi.inv.ID, id)
	})
}
