package checkout

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/invoice"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
)

// MethodsFor lists the methods a buyer may pay an invoice or a quote in currency with: a
// card always, and the bank debit whose rail moves that currency — ACH for USD, BACS for
// GBP, PAD for CAD, SEPA for EUR. Invoices and quotes have no list of their own; this rule
// gives the buyer every method the built-in processor can take for the currency.
func MethodsFor(currency string) []Method {
	debit := map[string]Method{"USD": MethodACH, "GBP": MethodBACS, "CAD": MethodPAD, "EUR": MethodSEPA}[currency]
	if debit == "" {
		return []Method{MethodCard}
	}
	return []Method{MethodCard, debit}
}

// InvoicePayURL returns the public address where an invoice of the account is paid,
// {base}/invoices/pay/{token}, making its token on first use.
func (s *Service) InvoicePayURL(ctx context.Context, accountID, invoiceID int64) (string, error) {
	token, err := s.publicToken(ctx, accountID, tokenInvoice, invoiceID)
	if err != nil {
		return "", err
	}
	return s.invoiceURL(token), nil
}

func (s *Service) invoiceURL(token string) string { return s.baseURL + "/invoices/pay/" + token }

// InvoiceByToken reads the invoice a public pay token names, whatever its account, for the
// page where a buyer pays it.
func (s *Service) InvoiceByToken(ctx context.Context, token string) (invoice.Invoice, error) {
	acct, id, err := s.byToken(ctx, tokenInvoice, token)
	if err != nil {
		return invoice.Invoice{}, err
	}
	return s.invoices.Get(ctx, acct, id)
}

// payInvoice pays the balance due of the open invoice in.SourceID names, in its currency,
// by a method of MethodsFor. The payment is associated with the invoice; its contact is
// the buyer's as they typed their email (SPEC F9), which need not be the invoice's contact:
// whoever settles a bill for a company is often not who it is addressed to. The invoice is
// locked while it is checked and paid, and marked paid by the invoice service's payment
// observer when the payment succeeds — at once for a card, when the debit settles for a
// bank debit. A paid, void, uncollectible or draft invoice, one with a bank debit still
// processing, a quantity, or a method the invoice does not take are refused before anything
// is charged or written.
func (s *Service) payInvoice(ctx context.Context, in Input) (Result, error) {
	acct, id, err := s.byToken(ctx, tokenInvoice, in.SourceID)
	if err != nil {
		return Result{}, err
	}
	var out Result
	err = s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		rec, err := s.crm.LockRecord(ctx, tx, acct, invoice.Type, id)
		if err != nil {
			return err
		}
		inv, due, err := s.checkInvoice(ctx, acct, rec, in)
		if err != nil {
			return err
		}
		pay, err := s.payments.Charge(ctx, acct, payment.ChargeInput{Amount: due, Buyer: in.Buyer, Method: in.Method,
			Description: "Invoice " + inv.Number, Billing: in.Billing, InvoiceID: id,
			Source: payment.Source{Type: SourceInvoice, ID: itoa(id), Name: inv.Number, URL: s.invoiceURL(in.SourceID)}})
		out = Result{Payment: pay, SubscriptionIDs: []int64{}, InvoiceID: id}
		return err
	})
	return out, err
}

// checkInvoice refuses a checkout of an invoice that cannot take it, and returns the invoice
// and what is due on it.
func (s *Service) checkInvoice(ctx context.Context, accountID int64, rec crm.Record, in Input) (invoice.Invoice, money.Amount, error) {
	inv, err := s.invoices.Get(ctx, accountID, rec.ID)
	if err != nil {
		return inv, money.Amount{}, err
	}
	bad := &problem.InvalidError{Summary: "The invoice cannot be paid"}
	name := "Invoice " + inv.Number
	switch {
	case inv.Status != invoice.StatusOpen:
		bad.Add("source.id", "INVOICE_NOT_PAYABLE", fmt.Sprintf("%s is %s: it takes no payment.", name, inv.Status))
	case inv.Due.Minor <= 0:
		bad.Add("source.id", "INVOICE_NOT_PAYABLE", name+" has nothing left to pay.")
	default:
		processing, err := s.processingPayment(ctx, accountID, inv.ID)
		if err != nil {
			return inv, money.Amount{}, err
		}
		if processing {
			bad.Add("source.id", "PAYMENT_PROCESSING", name+" has a bank debit still processing; it is paid once that settles.")
		}
	}
	checkMethod(bad, "invoice", MethodsFor(inv.Currency), in.Method)
	checkEmail(bad, in.Buyer.Email)
	if in.Quantity != nil {
		bad.Add("quantity", "QUANTITY_NOT_ALLOWED", "An invoice is paid as it is; leave quantity out.")
	}
	return inv, inv.Due, bad.OrNil()
}

// processingPayment reports whether a payment of an invoice is still processing.
func (s *Service) processingPayment(ctx context.Context, accountID, invoiceID int64) (bool, error) {
	ids, err := s.crm.LinkedIDs(ctx, accountID, invoice.Type, invoiceID, []string{payment.Type})
	if err != nil || len(ids[payment.Type]) == 0 {
		return false, err
	}
	keys := make([]string, len(ids[payment.Type]))
	for i, id := range ids[payment.Type] {
		keys[i] = itoa(id)
	}
	found, _, err := s.crm.BatchRead(ctx, accountID, payment.Type, keys, "", crm.ReadOptions{})
	for _, e := range found {
		if payment.Status(e.Values["hs_latest_status"]) == payment.StatusProcessing {
			return true, err
		}
	}
	return false, err
}
