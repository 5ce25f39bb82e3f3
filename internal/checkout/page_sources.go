package checkout

import (
	"context"
	"errors"

	"github.com/settlehq/settle/internal/invoice"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
)

// SourcePayment reads a payment made on the pay page of an invoice or a quote of the
// account: one whose source is that invoice or quote (sourceType SourceInvoice or
// SourceQuote, sourceID its id). Any other payment is problem.ErrNotFound, as LinkPayment
// does for links, so that a receipt page can never show another payment.
func (s *Service) SourcePayment(ctx context.Context, accountID int64, sourceType string, sourceID, paymentID int64) (payment.Payment, error) {
	app := map[string]string{SourceInvoice: "INVOICE", SourceQuote: "QUOTE"}[sourceType]
	notFound := problem.NotFound("payment %d of %s %d", paymentID, sourceType, sourceID)
	p, err := s.payments.Get(ctx, accountID, paymentID)
	if errors.Is(err, problem.ErrNotFound) {
		return payment.Payment{}, notFound
	}
	if err != nil {
		return payment.Payment{}, err
	}
	if v := p.Record.Values; app == "" || v["hs_payment_source_app"] != app || v["hs_payment_source_id"] != itoa(sourceID) {
		return payment.Payment{}, notFound
	}
	return p, nil
}

// InvoiceProcessing reports whether a bank debit paying the invoice is still processing:
// the invoice takes no other payment until it settles or fails.
func (s *Service) InvoiceProcessing(ctx context.Context, inv invoice.Invoice) (bool, error) {
	return s.processingPayment(ctx, inv.AccountID, inv.ID)
}
