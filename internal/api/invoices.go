package api

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/invoice"
	"github.com/settlehq/settle/internal/problem"
)

// InvoiceJSON is an invoice as /settle/v1 shows it: amounts in minor units of its currency.
// Its other properties, and its line items, are read and written through the CRM API.
type InvoiceJSON struct {
	ID       string  `json:"id"`
	Number   *string `json:"number"`
	Status   string  `json:"status" enum:"draft,open,paid,voided,uncollectible"`
	Currency string  `json:"currency"`
	// AmountBilled is what the invoice bills, tax included; AmountPaid what was paid on it;
	// BalanceDue what is left to pay.
	AmountBilled int64 `json:"amount_billed"`
	AmountPaid   int64 `json:"amount_paid"`
	BalanceDue   int64 `json:"balance_due"`
	// InvoiceDate and DueDate are days, YYYY-MM-DD.
	InvoiceDate    *string `json:"invoice_date"`
	DueDate        *string `json:"due_date"`
	PropertiesLink string  `json:"properties_link"`
	// PayURL is the public page where the buyer pays it, {base}/invoices/pay/{token}; null
	// on a draft. Its token is also the source id of a checkout of the invoice.
	PayURL *string `json:"pay_url"`
}

// InvoiceFinalize is the body of POST /settle/v1/invoices/{id}/finalize; it may be left out.
type InvoiceFinalize struct {
	// DueDate is the day payment is due, YYYY-MM-DD; by default the draft's hs_due_date when
	// not past, else 30 days after the invoice date.
	DueDate string `json:"due_date,omitempty"`
}

// InvoiceDeliveryJSON is a request to email an invoice to its contact.
type InvoiceDeliveryJSON struct {
	ID          string     `json:"id"`
	InvoiceID   string     `json:"invoice_id"`
	To          string     `json:"to"`
	RequestedAt time.Time  `json:"requested_at"`
	EmailedAt   *time.Time `json:"emailed_at"`
}

func (a *API) invoiceRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/settle/v1/invoices/{id}/finalize", Scope: auth.ScopeInvoicesWrite, Tag: "Invoices",
			Summary: "Finalize a draft invoice: number it, date it and freeze its line items", Request: InvoiceFinalize{},
			OptionalBody: true, Response: InvoiceJSON{}, Status: 200, handle: collecting(a.finalizeInvoice)},
		{Method: "POST", Path: "/settle/v1/invoices/{id}/void", Scope: auth.ScopeInvoicesWrite, Tag: "Invoices",
			Summary: "Void an open invoice that has no payment", Response: InvoiceJSON{}, Status: 200, handle: collecting(a.voidInvoice)},
		{Method: "POST", Path: "/settle/v1/invoices/{id}/mark-uncollectible", Scope: auth.ScopeInvoicesWrite, Tag: "Invoices",
			Summary: "Record that an open invoice will not be paid", Response: InvoiceJSON{}, Status: 200, handle: collecting(a.markInvoiceUncollectible)},
		{Method: "POST", Path: "/settle/v1/invoices/{id}/send", Scope: auth.ScopeInvoicesWrite, Tag: "Invoices",
			Summary: "Email an open invoice to its contact", Response: InvoiceDeliveryJSON{}, Status: 200, handle: collecting(a.sendInvoice)},
		{Method: "GET", Path: "/settle/v1/invoices/{id}/pdf", Scope: auth.ScopeInvoicesRead, Tag: "Invoices",
			Summary: "The invoice as a PDF, with the account's branding", Raw: "application/pdf", Status: 200, handle: a.invoicePDF},
	}
}

// collecting refuses, as the dashboard does, a user who may not move money: finalizing,
// voiding, sending an invoice or giving up on it needs the permission refunds need (SPEC F41).
func collecting(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		if !p.Has(auth.PermManagePayments) {
			return problem.Forbidden("collecting on invoices needs the permission %s", auth.PermManagePayments)
		}
		return h(w, r, p)
	}
}

func (a *API) finalizeInvoice(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id, err := pathID(r, "id", "invoice")
	if err != nil {
		return err
	}
	var body InvoiceFinalize
	if err := decodeOptional(r, &body); err != nil {
		return err
	}
	inv, err := a.deps.Invoices.Finalize(r.Context(), p.AccountID, id, invoice.FinalizeInput{DueDate: body.DueDate})
	return a.writeInvoice(w, r, inv, err)
}

func (a *API) voidInvoice(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id, err := pathID(r, "id", "invoice")
	if err != nil {
		return err
	}
	inv, err := a.deps.Invoices.Void(r.Context(), p.AccountID, id)
	return a.writeInvoice(w, r, inv, err)
}

func (a *API) markInvoiceUncollectible(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id, err := pathID(r, "id", "invoice")
	if err != nil {
		return err
	}
	inv, err := a.deps.Invoices.MarkUncollectible(r.Context(), p.AccountID, id)
	return a.writeInvoice(w, r, inv, err)
}

func (a *API) sendInvoice(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id, err := pathID(r, "id", "invoice")
	if err != nil {
		return err
	}
	d, err := a.deps.Invoices.Send(r.Context(), p.AccountID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, InvoiceDeliveryJSON{ID: formatID(d.ID), InvoiceID: formatID(d.InvoiceID), To: d.Recipient,
		RequestedAt: d.RequestedAt, EmailedAt: d.EmailedAt})
	return nil
}

// invoicePDF answers with the invoice's PDF, rendered whole before anything is sent so that
// a failure is still a JSON error.
func (a *API) invoicePDF(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id, err := pathID(r, "id", "invoice")
	if err != nil {
		return err
	}
	pdf, inv, err := a.deps.Invoices.PDF(r.Context(), p.AccountID, id)
	if err != nil {
		return err
	}
	name := "invoice-" + formatID(inv.ID) + ".pdf"
	if inv.Number != "" {
		name = inv.Number + ".pdf"
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	w.Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(pdf)
	return err
}

// writeInvoice answers an action with the invoice it left, and its pay URL once it is
// finalized (made on first use), or returns its error.
func (a *API) writeInvoice(w http.ResponseWriter, r *http.Request, inv invoice.Invoice, err error) error {
	if err != nil {
		return err
	}
	out := invoiceJSON(inv)
	if inv.Status != invoice.StatusDraft {
		url, err := a.deps.Checkout.InvoicePayURL(r.Context(), inv.AccountID, inv.ID)
		if err != nil {
			return err
		}
		out.PayURL = &url
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func invoiceJSON(inv invoice.Invoice) InvoiceJSON {
	optional := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	return InvoiceJSON{ID: formatID(inv.ID), Number: optional(inv.Number), Status: string(inv.Status), Currency: inv.Currency,
		AmountBilled: inv.Billed.Minor, AmountPaid: inv.Paid.Minor, BalanceDue: inv.Due.Minor,
		InvoiceDate: optional(inv.IssueDate), DueDate: optional(inv.DueDate),
		PropertiesLink: "/crm/v3/objects/invoices/" + formatID(inv.ID)}
}

// decodeOptional reads a JSON body into dst like decode, and leaves dst as it is when the
// request has no body.
func decodeOptional(r *http.Request, dst any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return decode(r, dst)
}
