package payment

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/processor"
)

// achRefundWindow is how long after an ACH payment it can be refunded (SPEC F28).
const achRefundWindow = 180 * 24 * time.Hour

// RefundStatus is where a refund stands.
type RefundStatus string

// The statuses of a refund: bank refunds process for business days.
const (
	RefundProcessing RefundStatus = "processing"
	RefundSucceeded  RefundStatus = "succeeded"
	RefundFailed     RefundStatus = "failed"
)

// Refund is money given back on a payment.
type Refund struct {
	ID                int64
	PaymentID         int64
	Amount            money.Amount
	Reason            string
	Status            RefundStatus
	ProcessorRefundID string
	CreatedAt         time.Time
	SettledAt         *time.Time
}

// RefundInput is a refund to make: an amount in minor units of the payment's currency and
// a reason.
type RefundInput struct {
	Amount int64
	Reason string
}

var reasons = map[string]bool{"requested_by_customer": true, "duplicate": true, "fraudulent": true, "other": true}

// Refund gives back part or all of a succeeded payment (SPEC F28). The payment is locked
// for the refund, so concurrent refunds can never exceed it. A processed payment is refunded
// through its processor — at once for cards, in business days for bank debits — and the
// refund comes out of the next payout; the fee is not returned. A payment recorded by hand or
// by an integration gets its refund recorded, and nothing is sent anywhere.
func (s *Service) Refund(ctx context.Context, accountID, paymentID int64, in RefundInput) (Refund, error) {
	var out Refund
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		rec, err := s.crm.LockRecord(ctx, tx, accountID, Type, paymentID)
		if err != nil {
			return err
		}
		p := fromRecord(accountID, rec)
		pending, err := pendingRefunds(ctx, tx, accountID, paymentID)
		if err != nil {
			return err
		}
		now, err := s.clocks.Now(ctx, tx, accountID)
		if err != nil {
			return err
		}
		if err := checkRefund(p, in, pending, now); err != nil {
			return err
		}
		out, err = s.refund(ctx, tx, p, in, now)
		return err
	})
	return out, err
}

func checkRefund(p Payment, in RefundInput, pending int64, now time.Time) error {
	inv := &problem.InvalidError{}
	switch {
	case !reasons[in.Reason]:
		inv.Addf("reason", "INVALID_OPTION", "The reason must be requested_by_customer, duplicate, fraudulent or other, not %q.", in.Reason)
	case !refundable(p.Status):
		inv.Addf("payment", "NOT_REFUNDABLE", "Payment %d is %s; only succeeded or partially refunded payments can be refunded.", p.ID, p.Status)
	case in.Amount <= 0:
		inv.Add("amount", "INVALID_AMOUNT", "The amount to refund must be above zero.")
	case in.Amount > p.Remaining()-pending:
		inv.Addf("amount", "AMOUNT_TOO_LARGE", "At most %s can still be refunded on payment %d.",
			money.Amount{Minor: p.Remaining() - pending, Currency: p.Amount.Currency}.Decimal(), p.ID)
	case p.Method == "ach" && !p.External() && now.Sub(p.InitiatedAt) > achRefundWindow:
		inv.Addf("payment", "REFUND_WINDOW_CLOSED", "ACH payments can be refunded within 180 days; payment %d was made on %s.",
			p.ID, p.InitiatedAt.Format(time.DateOnly))
	}
	return inv.OrNil()
}

// refund makes the refund and writes its effects on the payment.
func (s *Service) refund(ctx context.Context, tx *sql.Tx, p Payment, in RefundInput, now time.Time) (Refund, error) {
	r := Refund{PaymentID: p.ID, Amount: money.Amount{Minor: in.Amount, Currency: p.Amount.Currency}, Reason: in.Reason,
		Status: RefundSucceeded, CreatedAt: now}
	if !p.External() {
		pr, err := s.processor.Refund(ctx, processor.RefundParams{AccountID: p.AccountID, ChargeID: p.ChargeID,
			Amount: r.Amount, Reason: processor.RefundReason(in.Reason)})
		if err != nil {
			return Refund{}, err
		}
		r.Status, r.ProcessorRefundID = RefundStatus(pr.Status), pr.ID
	}
	if r.Status == RefundSucceeded {
		r.SettledAt = &now
	}
	if err := insertRefund(ctx, tx, p.AccountID, &r); err != nil {
		return Refund{}, err
	}
	if err := s.markEventsOf(ctx, tx, p.AccountID, r.ProcessorRefundID); err != nil {
		return Refund{}, err
	}
	if err := s.refundsChanged(ctx, tx, p, r); err != nil {
		return Refund{}, err
	}
	return r, s.afterProcessingRefund(ctx, tx, p, r)
}

// afterProcessingRefund applies the delivered events (see Deliver) that waited for r, a
// processing refund just recorded: its processor may have said it ended before Settle
// recorded it. A refund recorded as ended already says what its events would.
func (s *Service) afterProcessingRefund(ctx context.Context, tx *sql.Tx, p Payment, r Refund) error {
	if r.Status != RefundProcessing || p.External() {
		return nil
	}
	waiting, err := processor.Pending(ctx, tx, p.AccountID, p.ChargeID)
	if err != nil || len(waiting) == 0 {
		return err
	}
	rec, err := s.crm.LockRecord(ctx, tx, p.AccountID, Type, p.ID)
	if err != nil {
		return err
	}
	_, err = s.applyPending(ctx, tx, fromRecord(p.AccountID, rec), waiting)
	return err
}

func insertRefund(ctx context.Context, tx *sql.Tx, accountID int64, r *Refund) error {
	var procID any
	if r.ProcessorRefundID != "" {
		procID = r.ProcessorRefundID
	}
	return tx.QueryRowContext(ctx, `INSERT INTO payment_refunds (account_id, payment_id, processor_refund_id, amount, currency,
		reason, status, created_at, settled_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		accountID, r.PaymentID, procID, r.Amount.Minor, r.Amount.Currency, r.Reason, r.Status, r.CreatedAt, r.SettledAt).Scan(&r.ID)
}

// refundsChanged brings a payment's refund amounts and status up to date after refund r
// was made or settled, and tells the timelines.
func (s *Service) refundsChanged(ctx context.Context, tx *sql.Tx, p Payment, r Refund) error {
	refunded, pending, err := refundTotals(ctx, tx, p.AccountID, p.ID)
	if err != nil {
		return err
	}
	p.Refunded.Minor = refunded
	next := afterRefunds(p.Amount.Minor, refunded, pending)
	if err := checkMove(p.Status, next); err != nil {
		return fmt.Errorf("payment %d: %w", p.ID, err)
	}
	props := derived(p)
	props["hs_refunds_amount"] = p.Refunded.Decimal()
	props["hs_latest_status"] = string(next)
	rec, err := s.crm.SetProperties(ctx, p.AccountID, Type, p.ID, props, settle())
	if err != nil {
		return err
	}
	rel, err := s.relatedOf(ctx, p)
	if err != nil {
		return err
	}
	ev := EventRefunded
	if r.Status == RefundProcessing {
		ev = "payment.refund_processing"
	}
	return s.announce(ctx, tx, fromRecord(p.AccountID, rec), rel, ev)
}

// refundTotals sums a payment's succeeded and processing refunds.
func refundTotals(ctx context.Context, q db.Querier, accountID, paymentID int64) (refunded, pending int64, err error) {
	err = q.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN status = 'succeeded' THEN amount ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN status = 'processing' THEN amount ELSE 0 END), 0)
		FROM payment_refunds WHERE account_id = $1 AND payment_id = $2`, accountID, paymentID).Scan(&refunded, &pending)
	return refunded, pending, err
}

func pendingRefunds(ctx context.Context, q db.Querier, accountID, paymentID int64) (int64, error) {
	_, pending, err := refundTotals(ctx, q, accountID, paymentID)
	return pending, err
}

// Refunds lists the refunds of the account's payment paymentID, oldest first.
func (s *Service) Refunds(ctx context.Context, accountID, paymentID int64) ([]Refund, error) {
	p, err := s.Get(ctx, accountID, paymentID)
	if err != nil {
		return nil, err
	}
	return s.RefundsOf(ctx, p)
}

// RefundsOf lists the refunds of p, a payment just read, oldest first.
func (s *Service) RefundsOf(ctx context.Context, p Payment) ([]Refund, error) {
	return db.CollectRows[Refund](s.db.Reader(ctx).QueryContext(ctx, `SELECT id, payment_id, COALESCE(processor_refund_id, ''), amount,
		currency, reason, status, created_at, settled_at FROM payment_refunds WHERE account_id = $1 AND payment_id = $2 ORDER BY id`,
		p.AccountID, p.ID))(scanRefund)
}

func scanRefund(r db.Scanner) (Refund, error) {
	var out Refund
	var settled sql.NullTime
	err := r.Scan(&out.ID, &out.PaymentID, &out.ProcessorRefundID, &out.Amount.Minor, &out.Amount.Currency, &out.Reason,
		&out.Status, &out.CreatedAt, &settled)
	if settled.Valid {
		out.SettledAt = &settled.Time
	}
	return out, err
}
