package app

import (
	"github.com/settlehq/settle/internal/i18n"
	"github.com/settlehq/settle/internal/invoice"
)

// buildInvoices builds the invoice service, which also becomes the CRM's hook for invoices
// and line items.
func (a *App) buildInvoices() error {
	cat, err := i18n.Load()
	if err != nil {
		return err
	}
	a.Invoices = invoice.New(invoice.Deps{DB: a.DB, Clocks: a.Clocks, CRM: a.CRM, Accounts: a.Auth, Jobs: a, Catalog: cat})
	return nil
}
