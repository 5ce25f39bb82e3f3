package builtin

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/settlehq/settle/internal/calendar"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/ledger"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/processor"
	"github.com/settlehq/settle/internal/schedule"
)

// Bank refunds take this many business days (SPEC F21 says 5 to 10).
const bankRefundDays = 5

// achRefundWindow is how long after the charge an ACH payment can be refunded (SPEC F28).
const achRefundWindow = 180 * 24 * time.Hour

// Refund gives back part or all of a succeeded charge. The refund is taken from the balance
// at once; card refunds succeed at once, bank refunds after a few business days. The
// charge's row is locked for the refund, so concurrent refunds cannot exceed the charge.
func (p *Processor) Refund(ctx context.Context, rp processor.RefundParams) (processor.Refund, error) {
	if err := validateRefund(rp); err != nil {
		return processor.Refund{}, err
	}
	var r processor.Refund
	err := p.db.InTx(ctx, func(tx *sql.Tx) error {
		m, err := p.loadMerchant(ctx, tx, rp.AccountID)
		if err != nil {
			return err
		}
		c, err := p.loadCharge(ctx, tx, rp.AccountID, rp.ChargeID, true)
		if err != nil {
			return err
		}
		if err := refundable(c, rp.Amount, m.now); err != nil {
			return err
		}
		r, err = p.refund(ctx, tx, m, c, rp)
		return err
	})
	if err == nil {
		p.logger.DebugContext(ctx, "refund created", "account_id", r.AccountID, "refund", r.ID, "charge", r.ChargeID,
			"amount", r.Amount.String(), "status", string(r.Status))
	}
	return r, err
}

func validateRefund(rp processor.RefundParams) error {
	inv := &problem.InvalidError{}
	if _, err := money.Currency(rp.Amount.Currency); err != nil {
		inv.Add("amount.currency", "INVALID_CURRENCY", err.Error())
	}
	if rp.Amount.Minor <= 0 {
		inv.Add("amount", "INVALID_AMOUNT", "The amount to refund must be above zero.")
	}
	switch rp.Reason {
	case processor.ReasonRequestedByCustomer, processor.ReasonDuplicate, processor.ReasonFraudulent, processor.ReasonOther:
	default:
		inv.Addf("reason", "INVALID_OPTION", "The reason must be requested_by_customer, duplicate, fraudulent or other, not %q.", rp.Reason)
	}
	return inv.OrNil()
}

// refundable says why c cannot give back amount now, if it cannot.
func refundable(c storedCharge, amount money.Amount, now time.Time) error {
	left := c.Amount.Minor - c.refunded
	switch {
	case c.Status != processor.ChargeSucceeded:
		return problem.Invalid("charge", "NOT_REFUNDABLE", fmt.Sprintf("Charge %s is %s; only succeeded charges can be refunded.", c.ID, c.Status))
	case c.disputed:
		return problem.Invalid("charge", "DISPUTED", fmt.Sprintf("Charge %s is disputed; the dispute settles what is returned.", c.ID))
	case amount.Currency != c.Amount.Currency:
		return problem.Invalid("amount.currency", "CURRENCY_MISMATCH", fmt.Sprintf("Charge %s was made in %s.", c.ID, c.Amount.Currency))
	case amount.Minor > left:
		return problem.Invalid("amount", "REFUND_TOO_LARGE", fmt.Sprintf("At most %s of charge %s can still be refunded.",
			money.Amount{Minor: left, Currency: c.Amount.Currency}, c.ID))
	case c.Method == processor.MethodACH && now.Sub(c.CreatedAt) > achRefundWindow:
		return problem.Invalid("charge", "REFUND_WINDOW_CLOSED", "ACH payments can be refunded only within 180 days.")
	}
	return nil
}

// refund writes the refund, its balance transaction, and either its success or the work
// that will settle it.
func (p *Processor) refund(ctx context.Context, tx *sql.Tx, m merchant, c storedCharge, rp processor.RefundParams) (processor.Refund, error) {
	r := processor.Refund{ID: newID("re"), AccountID: m.id, ChargeID: c.ID, Amount: rp.Amount, Reason: rp.Reason,
		Status: processor.RefundSucceeded, CreatedAt: m.now}
	back, _ := rp.Amount.Neg()
	if _, err := p.ledger.Record(ctx, tx, ledger.NewTransaction{AccountID: m.id, Type: ledger.TypeRefund, SourceID: r.ID,
		Amount: back, SettlementCurrency: c.Settlement.Currency, Rate: c.Rate, AvailableOn: m.today(), CreatedAt: m.now}); err != nil {
		return r, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE processor_charges SET refunded = refunded + $3, updated_at = $4
		WHERE account_id = $1 AND id = $2`, m.id, c.ID, rp.Amount.Minor, m.now.UTC()); err != nil {
		return r, err
	}
	if c.Method != processor.MethodCard {
		r.Status = processor.RefundProcessing
		if err := p.scheduleRefund(ctx, tx, m, c.Method, r.ID); err != nil {
			return r, err
		}
	}
	if err := insertRefund(ctx, tx, r); err != nil {
		return r, err
	}
	return r, p.emitRefund(ctx, tx, r)
}

func (p *Processor) scheduleRefund(ctx context.Context, tx *sql.Tx, m merchant, method processor.Method, id string) error {
	cal, err := calendar.ForRail(calendar.Rail(method), m.country)
	if err != nil {
		return err
	}
	due := settleTime(cal.AddBusinessDays(m.today(), bankRefundDays), m.loc)
	return schedule.Add(ctx, tx, schedule.NewWork{AccountID: m.id, Kind: workRefundSettle, Subject: id, DueAt: due, CreatedAt: m.now})
}

func insertRefund(ctx context.Context, tx *sql.Tx, r processor.Refund) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO processor_refunds (id, account_id, charge_id, currency, amount, reason, status,
		created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
		r.ID, r.AccountID, r.ChargeID, r.Amount.Currency, r.Amount.Minor, r.Reason, r.Status, r.CreatedAt.UTC())
	return err
}

// settleRefund ends a bank refund's processing: the simulated banks accept every refund.
func (p *Processor) settleRefund(ctx context.Context, tx *sql.Tx, w schedule.Work) error {
	r, err := loadRefund(ctx, tx, w.AccountID, w.Subject)
	if err != nil || r.Status != processor.RefundProcessing {
		return err
	}
	r.Status = processor.RefundSucceeded
	if _, err := tx.ExecContext(ctx, `UPDATE processor_refunds SET status = $3, updated_at = $4 WHERE account_id = $1 AND id = $2`,
		r.AccountID, r.ID, r.Status, w.DueAt.UTC()); err != nil {
		return err
	}
	r.CreatedAt = w.DueAt
	return p.emitRefund(ctx, tx, r)
}

func loadRefund(ctx context.Context, q db.Querier, accountID int64, id string) (processor.Refund, error) {
	var r processor.Refund
	err := q.QueryRowContext(ctx, `SELECT id, account_id, charge_id, currency, amount, reason, status, created_at
		FROM processor_refunds WHERE account_id = $1 AND id = $2`, accountID, id).
		Scan(&r.ID, &r.AccountID, &r.ChargeID, &r.Amount.Currency, &r.Amount.Minor, &r.Reason, &r.Status, &r.CreatedAt)
	if err != nil {
		return processor.Refund{}, db.NotFoundOr(err, "refund %s", id)
	}
	r.CreatedAt = r.CreatedAt.UTC()
	return r, nil
}

type refundEvent struct {
	ID       string `json:"id"`
	ChargeID string `json:"charge_id"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	Reason   string `json:"reason"`
	Status   string `json:"status"`
}

// emitRefund stores refund.succeeded once a refund has succeeded; a processing refund has
// no event yet.
func (p *Processor) emitRefund(ctx context.Context, tx *sql.Tx, r processor.Refund) error {
	if r.Status != processor.RefundSucceeded {
		return nil
	}
	typ := processor.EventRefundSucceeded
	return p.publish(ctx, tx, processor.NewEvent{ID: eventID(r.ID, typ), AccountID: r.AccountID, Type: typ, ObjectID: r.ID,
		Data: refundEvent{ID: r.ID, ChargeID: r.ChargeID, Amount: r.Amount.Minor, Currency: r.Amount.Currency,
			Reason: string(r.Reason), Status: string(r.Status)}, CreatedAt: r.CreatedAt})
}

// Events lists an account's events after a sequence number, oldest first.
func (p *Processor) Events(ctx context.Context, ep processor.EventsParams) ([]processor.Event, error) {
	return processor.ListEvents(ctx, p.db.Reader(ctx), ep)
}
