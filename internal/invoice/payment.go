package invoice

import (
	"context"
	"database/sql"
	"time"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/payment"
)

// PaymentStatusChanged is the invoice service's observer of payments (payment.Service.OnStatus):
// when a payment associated with an invoice settles — a card at once, a bank debit when its
// processing ends in success — it adds the amount to what the invoice was paid, in the
// payment's transaction, and marks the invoice paid once nothing is left due. A failed debit
// leaves the invoice open. An invoice that is no longer open (voided while a debit was
// processing) is left as it is: the payment stays associated with it for the record.
func (s *Service) PaymentStatusChanged(ctx context.Context, tx *sql.Tx, c payment.StatusChange) error {
	if c.InvoiceID == 0 || !c.Settled() {
		return nil
	}
	inv, err := s.crm.LockRecord(ctx, tx, c.Payment.AccountID, Type, c.InvoiceID)
	if err != nil {
		return err
	}
	if statusOf(inv) != StatusOpen {
		return nil
	}
	_, err = s.crm.SetProperties(ctx, c.Payment.AccountID, Type, inv.ID, paidProperties(inv, c.Payment.Amount), source())
	return err
}

// paidProperties are an invoice's amounts once amount more was paid on it, and its status
// when that leaves nothing due.
func paidProperties(inv crm.Record, amount money.Amount) map[string]string {
	cur := amount.Currency
	paid := amountOf(inv.Values["hs_amount_paid"], cur)
	paid.Minor += amount.Minor
	due := max(amountOf(inv.Values["hs_amount_billed"], cur).Minor-paid.Minor, 0)
	props := map[string]string{"hs_amount_paid": paid.Decimal(), "hs_balance_due": money.Amount{Minor: due, Currency: cur}.Decimal()}
	if due == 0 {
		props["hs_invoice_status"] = string(StatusPaid)
	}
	return props
}

// copiedLineProperties are the line item properties an invoice made for a payment copies.
var copiedLineProperties = append([]string{"amount", "recurringbillingfrequency", "hs_recurring_billing_period",
	"hs_recurring_billing_number_of_payments"}, billedProperties...)

// CreateForPayment is the handler of payment.KindInvoice (SPEC F7): it makes the paid invoice
// of a payment from a payment link or a quote, in the transaction that records the
// follow-up. The invoice takes the account's next number, is dated today on its clock, bills
// copies of the payment's line items for the payment's amount, is paid in full, and is
// associated with the payment, its contact, company and deal. A payment that already has an
// invoice gets none more, so a follow-up run twice still leaves one invoice.
func (s *Service) CreateForPayment(ctx context.Context, tx *sql.Tx, f payment.Followup) error {
	acct := f.AccountID
	ids, err := s.crm.LinkedIDs(ctx, acct, payment.Type, f.PaymentID, []string{Type, "contacts", "companies", "deals", lineItemType})
	if err != nil || len(ids[Type]) > 0 {
		return err
	}
	pay, err := s.crm.Get(ctx, acct, payment.Type, idString(f.PaymentID), "", crm.ReadOptions{})
	if err != nil {
		return err
	}
	props, err := s.paymentInvoiceProperties(ctx, tx, acct, pay.Record)
	if err != nil {
		return err
	}
	rec, err := s.crm.Create(ctx, acct, Type, crm.Input{Properties: props, System: true}, source())
	if err != nil {
		return err
	}
	lines, err := s.copyLines(ctx, acct, ids[lineItemType])
	if err != nil {
		return err
	}
	links := append(lines, crm.Link{Type: payment.Type, ID: f.PaymentID})
	for _, typ := range []string{"contacts", "companies", "deals"} {
		if len(ids[typ]) > 0 {
			links = append(links, crm.Link{Type: typ, ID: ids[typ][0]})
		}
	}
	return s.crm.LinkNew(ctx, tx, acct, Type, rec.ID, links, source())
}

// paymentInvoiceProperties are the invoice of a payment: numbered, dated today, paid.
func (s *Service) paymentInvoiceProperties(ctx context.Context, tx *sql.Tx, accountID int64, pay crm.Record) (map[string]string, error) {
	today, err := s.today(ctx, tx, accountID)
	if err != nil {
		return nil, err
	}
	number, err := nextNumber(ctx, tx, accountID)
	if err != nil {
		return nil, err
	}
	v := pay.Values
	day := today.Format(time.DateOnly)
	return map[string]string{"hs_number": number, "hs_invoice_status": string(StatusPaid), "hs_currency": v["hs_currency_code"],
		"hs_amount_billed": v["hs_initial_amount"], "hs_amount_paid": v["hs_initial_amount"], "hs_balance_due": "0",
		"hs_invoice_date": day, "hs_due_date": day}, nil
}

// copyLines creates copies of line items, for an invoice to bill without sharing them with
// the payment, deal and subscriptions they belong to, and returns them as links.
func (s *Service) copyLines(ctx context.Context, accountID int64, ids []int64) ([]crm.Link, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = idString(id)
	}
	found, _, err := s.crm.BatchRead(ctx, accountID, lineItemType, keys, "", crm.ReadOptions{})
	if err != nil {
		return nil, err
	}
	inputs := make([]crm.Input, len(found))
	for i, e := range found {
		props := map[string]string{}
		for _, name := range copiedLineProperties {
			if v := e.Values[name]; v != "" {
				props[name] = v
			}
		}
		inputs[i] = crm.Input{Properties: props, System: true}
	}
	recs, err := s.crm.BatchCreate(ctx, accountID, lineItemType, inputs, source())
	links := make([]crm.Link, len(recs))
	for i, r := range recs {
		links[i] = crm.Link{Type: lineItemType, ID: r.ID}
	}
	return links, err
}
