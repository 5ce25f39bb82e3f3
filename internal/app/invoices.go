package app

import (
	"github.com/settlehq/settle/internal/i18n"
	"github.com/settlehq/settle/internal/invoice"
	"github.com/settlehq/settle/internal/payment"
)

// buildInvoices builds the invoice service, which also becomes the CRM's hook for invoices
// and line items, an observer of payments (an invoice is paid when its payment settles) and
// the handler of the payment follow-up that creates invoices (SPEC F7).
func (a *App) buildInvoices() error {
	cat, err := i18n.Load()
	if err != nil {
		return err
	}
	a.Invoices = invoice.New(invoice.Deps{DB: a.DB, Clocks: a.Clocks, CRM: a.CRM, Accounts: a.Auth, Jobs: a, Catalog: cat, Files: a.Files})
	a.Payments.OnStatus(a.Invoices.PaymentStatusChanged)
	a.Payments.HandleFollowup(payment.KindInvoice, a.Invoices.CreateForPayment)
	return nil
}
