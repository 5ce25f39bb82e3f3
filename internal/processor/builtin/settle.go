package builtin

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/ledger"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/processor"
	"github.com/settlehq/settle/internal/schedule"
)

// storedCharge is a charge row with what the processor keeps beside it.
type storedCharge struct {
	processor.Charge
	refunded int64
	disputed bool
}

// loadCharge reads an account's charge; lock takes its row for the rest of tx on PostgreSQL.
func (p *Processor) loadCharge(ctx context.Context, q db.Querier, accountID int64, id string, lock bool) (storedCharge, error) {
	var c storedCharge
	var rate string
	var txID sql.NullInt64
	query := `SELECT id, account_id, payment_method_id, method, currency, amount, settlement_currency, rate, status,
		failure_code, refunded, disputed, transaction_id, created_at FROM processor_charges WHERE account_id = $1 AND id = $2`
	if lock {
		query += p.db.Dialect.ForUpdate()
	}
	err := q.QueryRowContext(ctx, query, accountID, id).Scan(&c.ID, &c.AccountID, &c.PaymentMethodID, &c.Method,
		&c.Amount.Currency, &c.Amount.Minor, &c.Settlement.Currency, &rate, &c.Status, &c.FailureCode, &c.refunded,
		&c.disputed, &txID, &c.CreatedAt)
	if err != nil {
		return storedCharge{}, db.NotFoundOr(err, "charge %s", id)
	}
	c.CreatedAt, c.TransactionID = c.CreatedAt.UTC(), txID.Int64
	if rate != "" {
		c.Rate = money.MustRate(rate)
	}
	return c, p.fillFromLedger(ctx, q, &c)
}

// fillFromLedger completes c with the settlement amount, fee and date of its transaction.
func (p *Processor) fillFromLedger(ctx context.Context, q db.Querier, c *storedCharge) error {
	c.Settlement.Minor, c.Fee.Currency = 0, c.Settlement.Currency
	if c.TransactionID == 0 {
		return nil
	}
	t, err := ledger.Get(ctx, q, c.AccountID, c.TransactionID)
	if err != nil {
		return err
	}
	c.Settlement.Minor, c.Fee.Minor, c.AvailableOn = t.SettlementAmount, t.SettlementFee, t.AvailableOn
	return nil
}

// GetCharge returns an account's charge.
func (p *Processor) GetCharge(ctx context.Context, accountID int64, id string) (processor.Charge, error) {
	c, err := p.loadCharge(ctx, p.db.Reader(ctx), accountID, id, false)
	return c.Charge, err
}

// release makes a held charge's funds available: the work due on its available date.
func (p *Processor) release(ctx context.Context, tx *sql.Tx, w schedule.Work) error {
	id, err := strconv.ParseInt(w.Subject, 10, 64)
	if err != nil {
		return fmt.Errorf("release: subject %q is not a balance transaction id", w.Subject)
	}
	return p.ledger.Release(ctx, tx, w.AccountID, id)
}

// settleDebit ends a bank debit's processing: it succeeds, and its funds are available, or
// it fails without having moved any money.
func (p *Processor) settleDebit(ctx context.Context, tx *sql.Tx, w schedule.Work) error {
	c, err := p.loadCharge(ctx, tx, w.AccountID, w.Subject, true)
	if err != nil || c.Status != processor.ChargeProcessing {
		return err
	}
	pm, err := loadPaymentMethod(ctx, tx, w.AccountID, c.PaymentMethodID)
	if err != nil {
		return err
	}
	m, err := p.readMerchant(ctx, tx, w.AccountID, false)
	if err != nil {
		return err
	}
	m.now = w.DueAt
	if pm.outcome == outcomeDebitFailsNoFund {
		c.Status, c.FailureCode = processor.ChargeFailed, "insufficient_funds"
	} else {
		c.Status, c.AvailableOn, c.Settlement = processor.ChargeSucceeded, m.today(), c.Amount
		if !c.Rate.IsZero() {
			c.Settlement, _ = money.Convert(c.Amount, c.Settlement.Currency, c.Rate)
		}
		if _, err := p.recordCharge(ctx, tx, m, &c.Charge, false); err != nil {
			return err
		}
	}
	if err := updateChargeStatus(ctx, tx, c.Charge, w.DueAt); err != nil {
		return err
	}
	return p.emitCharge(ctx, tx, c.Charge, w.DueAt)
}

func updateChargeStatus(ctx context.Context, tx *sql.Tx, c processor.Charge, at time.Time) error {
	var txID sql.NullInt64
	if c.TransactionID != 0 {
		txID = sql.NullInt64{Int64: c.TransactionID, Valid: true}
	}
	_, err := tx.ExecContext(ctx, `UPDATE processor_charges SET status = $3, failure_code = $4, transaction_id = $5,
		updated_at = $6 WHERE account_id = $1 AND id = $2`, c.AccountID, c.ID, c.Status, c.FailureCode, txID, at.UTC())
	return err
}
