package payment

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/processor"
)

// ApplyEvent applies a processor event to the payment it concerns, in the transaction that
// emitted it: a bank debit that settles or fails, a bank refund that completes, a dispute
// that opens or closes. Each event applies once; an event about a charge or refund Settle
// has not recorded yet is left for the recording to mark. Events that arrive from outside
// the transaction that made them, possibly twice or out of order, go through Deliver.
func (s *Service) ApplyEvent(ctx context.Context, tx *sql.Tx, e processor.Event) error {
	ctx = s.db.WithTx(ctx, tx)
	switch e.Type {
	case processor.EventChargeSucceeded, processor.EventChargeFailed:
		return s.onCharge(ctx, tx, e)
	case processor.EventRefundSucceeded, processor.EventRefundFailed:
		return s.onRefund(ctx, tx, e)
	case processor.EventDisputeOpened, processor.EventDisputeClosed:
		return s.onDispute(ctx, tx, e)
	}
	return nil
}

// claim finds the payment of a charge and marks e applied; found is false when there is
// nothing (yet) to apply it to, or it was applied before.
func (s *Service) claim(ctx context.Context, tx *sql.Tx, e processor.Event, chargeID string) (Payment, bool, error) {
	id, err := s.paymentOfCharge(ctx, tx, e.AccountID, chargeID)
	if errors.Is(err, sql.ErrNoRows) {
		return Payment{}, false, nil
	}
	if err != nil {
		return Payment{}, false, err
	}
	first, err := processor.MarkApplied(ctx, tx, e.AccountID, e.ID, s.clocks.Base().Now())
	if err != nil || !first {
		return Payment{}, false, err
	}
	rec, err := s.crm.LockRecord(ctx, tx, e.AccountID, Type, id)
	return fromRecord(e.AccountID, rec), err == nil, err
}

// paymentOfCharge finds the payment record of a processor charge.
func (s *Service) paymentOfCharge(ctx context.Context, tx *sql.Tx, accountID int64, chargeID string) (int64, error) {
	var id int64
	// lower() lets the lookup use the property's case-insensitive index, which covers
	// archived payments too (it is the one searchable index SQLite keeps whole); the exact
	// match keeps ids that differ only in case apart.
	err := tx.QueryRowContext(ctx, `SELECT id FROM crm_payments WHERE account_id = $1 AND lower(hs_payment_id) = lower($2)
		AND hs_payment_id = $2`, accountID, chargeID).Scan(&id)
	return id, err
}

// chargeData is what a charge event carries.
type chargeData struct {
	Rate               string `json:"rate"`
	Status             string `json:"status"`
	Fee                int64  `json:"fee"`
	SettlementAmount   int64  `json:"settlement_amount"`
	SettlementCurrency string `json:"settlement_currency"`
	FailureCode        string `json:"failure_code"`
}

// settledProperties are the fee and settlement amounts a charge has once it succeeds.
func settledProperties(p Payment, d chargeData) map[string]string {
	props := map[string]string{
		"hs_fees_amount_in_settlement_currency": decimal(d.Fee, d.SettlementCurrency),
		"hs_net_amount_in_settlement_currency":  decimal(d.SettlementAmount-d.Fee, d.SettlementCurrency),
	}
	rate, _ := money.ParseRate(d.Rate)
	p.Fee = feeInPaymentCurrency(money.Amount{Minor: d.Fee, Currency: d.SettlementCurrency}, p.Amount.Currency, rate)
	props["hs_fees_amount"] = p.Fee.Decimal()
	for k, v := range derived(p) {
		props[k] = v
	}
	return props
}

func (s *Service) onCharge(ctx context.Context, tx *sql.Tx, e processor.Event) error {
	p, ok, err := s.claim(ctx, tx, e, e.ObjectID)
	if err != nil || !ok {
		return err
	}
	return s.applyCharge(ctx, tx, p, e)
}

// applyCharge settles or fails p, a bank debit, as charge event e says.
func (s *Service) applyCharge(ctx context.Context, tx *sql.Tx, p Payment, e processor.Event) error {
	var d chargeData
	if err := json.Unmarshal(e.Data, &d); err != nil {
		return err
	}
	if e.Type == processor.EventChargeFailed {
		return s.move(ctx, tx, p, StatusFailed, map[string]string{})
	}
	props := settledProperties(p, d)
	props["hs_processed_date"] = crm.FormatDatetime(e.CreatedAt)
	return s.move(ctx, tx, p, StatusSucceeded, props)
}

// move changes a payment's status (and more properties), checking the move is legal, tells
// the status observers and announces it.
func (s *Service) move(ctx context.Context, tx *sql.Tx, p Payment, next Status, props map[string]string) error {
	if p.Status == next {
		return nil
	}
	if err := checkMove(p.Status, next); err != nil {
		return err
	}
	props["hs_latest_status"] = string(next)
	rec, err := s.crm.SetProperties(ctx, p.AccountID, Type, p.ID, props, settle())
	if err != nil {
		return err
	}
	rel, err := s.relatedOf(ctx, p)
	if err != nil {
		return err
	}
	moved := fromRecord(p.AccountID, rec)
	if err := s.statusChanged(ctx, tx, StatusChange{Payment: moved, Previous: p.Status, InvoiceID: rel.invoice}); err != nil {
		return err
	}
	return s.announce(ctx, tx, moved, rel, eventFor(next))
}

// refundData is what a refund event carries.
type refundData struct {
	ChargeID string `json:"charge_id"`
}

func (s *Service) onRefund(ctx context.Context, tx *sql.Tx, e processor.Event) error {
	var d refundData
	if err := json.Unmarshal(e.Data, &d); err != nil {
		return err
	}
	var refundID int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM payment_refunds WHERE account_id = $1 AND processor_refund_id = $2`,
		e.AccountID, e.ObjectID).Scan(&refundID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // made just now: Refund records it with its status
	}
	if err != nil {
		return err
	}
	p, ok, err := s.claim(ctx, tx, e, d.ChargeID)
	if err != nil || !ok {
		return err
	}
	return s.applyRefund(ctx, tx, p, refundID, e)
}

// applyRefund ends p's refund refundID as refund event e says.
func (s *Service) applyRefund(ctx context.Context, tx *sql.Tx, p Payment, refundID int64, e processor.Event) error {
	status := RefundSucceeded
	if e.Type == processor.EventRefundFailed {
		status = RefundFailed
	}
	if _, err := tx.ExecContext(ctx, `UPDATE payment_refunds SET status = $2, settled_at = $3 WHERE id = $1`,
		refundID, status, e.CreatedAt); err != nil {
		return err
	}
	return s.refundsChanged(ctx, tx, p, Refund{ID: refundID, Status: status})
}

// disputeData is what a dispute event carries.
type disputeData struct {
	ChargeID string `json:"charge_id"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	Reason   string `json:"reason"`
	Status   string `json:"status"`
}

func (s *Service) onDispute(ctx context.Context, tx *sql.Tx, e processor.Event) error {
	var d disputeData
	if err := json.Unmarshal(e.Data, &d); err != nil {
		return err
	}
	p, ok, err := s.claim(ctx, tx, e, d.ChargeID)
	if err != nil || !ok {
		return err
	}
	return s.applyDispute(ctx, tx, p, d, e)
}

// applyDispute opens or closes p's dispute as dispute event e, carrying d, says.
func (s *Service) applyDispute(ctx context.Context, tx *sql.Tx, p Payment, d disputeData, e processor.Event) error {
	if e.Type == processor.EventDisputeOpened {
		return s.move(ctx, tx, p, StatusDisputeNeeds, map[string]string{"hs_dispute_status": "needs_response",
			"hs_dispute_reason": d.Reason, "hs_dispute_amount": decimal(d.Amount, d.Currency),
			"hs_dispute_created_date": crm.FormatDatetime(e.CreatedAt)})
	}
	next, status := StatusDisputeLost, "lost"
	if d.Status == "won" {
		next, status = StatusDisputeWon, "won"
	}
	return s.move(ctx, tx, p, next, map[string]string{"hs_dispute_status": status,
		"hs_dispute_closed_date": crm.FormatDatetime(e.CreatedAt)})
}
