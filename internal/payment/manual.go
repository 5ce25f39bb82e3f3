package payment

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
)

// ManualInput is a payment received outside Settle for an invoice (SPEC F3): cash, a cheque,
// a wire transfer.
type ManualInput struct {
	Amount    money.Amount
	Method    string
	PaidAt    time.Time
	Reference string
}

var manualMethods = []string{"cash", "check", "wire_transfer", "other"}

// RecordManual records a manual payment on an invoice: a payment record with no processor
// (no fee, no receipt, no notification) associated with the invoice and its contact and
// company, and the invoice's paid amount — paid in full when it reaches the amount billed.
func (s *Service) RecordManual(ctx context.Context, accountID, invoiceID int64, in ManualInput) (Payment, error) {
	var out Payment
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		inv, err := s.crm.LockRecord(ctx, tx, accountID, "invoices", invoiceID)
		if err != nil {
			return err
		}
		if err := checkManual(inv, in); err != nil {
			return err
		}
		out, err = s.recordManual(ctx, tx, accountID, inv, in)
		return err
	})
	return out, err
}

func checkManual(inv crm.Record, in ManualInput) error {
	bad := &problem.InvalidError{}
	if status := inv.Values["hs_invoice_status"]; slices.Contains([]string{"paid", "voided", "uncollectible"}, status) {
		bad.Addf("invoice", "INVOICE_NOT_PAYABLE", "Invoice %d is %s; it takes no more payments.", inv.ID, status)
	}
	if inv.Values["hs_invoice_status"] == "draft" {
		bad.Addf("invoice", "INVOICE_NOT_PAYABLE", "Invoice %d is a draft; finalize it before recording payments.", inv.ID)
	}
	if cur := inv.Values["hs_currency"]; cur != "" && cur != in.Amount.Currency {
		bad.Addf("currency", "CURRENCY_MISMATCH", "Invoice %d is in %s.", inv.ID, cur)
	}
	if in.Amount.Minor <= 0 {
		bad.Add("amount", "INVALID_AMOUNT", "The amount must be a positive number of minor units.")
	}
	if !slices.Contains(manualMethods, in.Method) {
		bad.Addf("method", "INVALID_OPTION", "The method must be cash, check, wire_transfer or other, not %q.", in.Method)
	}
	if in.PaidAt.IsZero() {
		bad.Add("paid_at", "REQUIRED", "paid_at is the date the money was received.")
	}
	return bad.OrNil()
}

func (s *Service) recordManual(ctx context.Context, tx *sql.Tx, accountID int64, inv crm.Record, in ManualInput) (Payment, error) {
	props := map[string]string{"hs_initial_amount": in.Amount.Decimal(), "hs_currency_code": in.Amount.Currency,
		"hs_initiated_date": crm.FormatDatetime(in.PaidAt), "hs_processed_date": crm.FormatDatetime(in.PaidAt),
		"hs_latest_status": string(StatusSucceeded), "hs_processor_type": ProcessorNone, "hs_payment_method_type": in.Method,
		"hs_reference_number": in.Reference, "hs_fees_amount": "0", "hs_refunds_amount": "0", "hs_payment_type": "one_time_or_initial",
		"hs_payment_source_app": "INVOICE", "hs_payment_source_id": idString(inv.ID), "hs_payment_source_name": inv.Values["hs_number"],
		"hs_payment_creation_method": "MANUAL"}
	addDerived(props, in.Amount, "0")
	rec, err := s.crm.Create(ctx, accountID, Type, crm.Input{Properties: props, System: true}, settle())
	if err != nil {
		return Payment{}, err
	}
	p := fromRecord(accountID, rec)
	rel, err := s.invoiceParties(ctx, accountID, inv.ID)
	if err != nil {
		return Payment{}, err
	}
	rel.invoice = inv.ID
	if err := s.linkNew(ctx, tx, p, newLinks(p, rel, false), true); err != nil {
		return Payment{}, err
	}
	if err := s.invoicePaid(ctx, accountID, inv, in.Amount); err != nil {
		return Payment{}, err
	}
	return p, s.announce(ctx, tx, p, rel, EventSucceeded)
}

// invoiceParties are the contact and company of an invoice.
func (s *Service) invoiceParties(ctx context.Context, accountID, invoiceID int64) (related, error) {
	var rel related
	ids, err := s.crm.LinkedIDs(ctx, accountID, "invoices", invoiceID, []string{"contacts", "companies"})
	if c := ids["contacts"]; len(c) > 0 {
		rel.contact = c[0]
	}
	if c := ids["companies"]; len(c) > 0 {
		rel.company = c[0]
	}
	return rel, err
}

// invoicePaid adds amount to what an invoice was paid, and marks it paid once that covers
// what it bills (or when it bills nothing stated).
func (s *Service) invoicePaid(ctx context.Context, accountID int64, inv crm.Record, amount money.Amount) error {
	paid := amountOf(inv.Values["hs_amount_paid"], amount.Currency)
	paid.Minor += amount.Minor
	props := map[string]string{"hs_amount_paid": paid.Decimal()}
	billed, hasBill := inv.Values["hs_amount_billed"]
	if hasBill {
		due := amountOf(billed, amount.Currency).Minor - paid.Minor
		props["hs_balance_due"] = decimal(max(due, 0), amount.Currency)
	}
	if !hasBill || amountOf(billed, amount.Currency).Minor <= paid.Minor {
		props["hs_invoice_status"] = "paid"
	}
	_, err := s.crm.SetProperties(ctx, accountID, "invoices", inv.ID, props, settle())
	return err
}
