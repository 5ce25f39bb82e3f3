package builtin

import (
	"context"
	"database/sql"
	"time"

	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/ledger"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/processor"
	"github.com/settlehq/settle/internal/schedule"
)

// Dispute is a buyer's dispute of a charge, as the built-in processor tracks it.
type Dispute struct {
	ID        string
	AccountID int64
	ChargeID  string
	Amount    money.Amount
	Reason    string
	// Status is needs_response while open, then won or lost.
	Status    string
	CreatedAt time.Time
	ClosedAt  *time.Time
}

// openDispute opens a dispute card's dispute: the disputed amount (what was not refunded)
// and the dispute fee are withdrawn from the balance.
func (p *Processor) openDispute(ctx context.Context, tx *sql.Tx, w schedule.Work) error {
	c, err := p.loadCharge(ctx, tx, w.AccountID, w.Subject, true)
	if err != nil || c.disputed || c.Amount.Minor <= c.refunded {
		return err
	}
	pm, err := loadPaymentMethod(ctx, tx, w.AccountID, c.PaymentMethodID)
	if err != nil {
		return err
	}
	d := Dispute{ID: newID("dp"), AccountID: c.AccountID, ChargeID: c.ID, Reason: string(pm.outcome[len("dispute:"):]),
		Amount: money.Amount{Minor: c.Amount.Minor - c.refunded, Currency: c.Amount.Currency}, Status: "needs_response", CreatedAt: w.DueAt}
	if err := p.withdrawDispute(ctx, tx, c, d); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE processor_charges SET disputed = TRUE, updated_at = $3 WHERE account_id = $1 AND id = $2`,
		c.AccountID, c.ID, w.DueAt.UTC()); err != nil {
		return err
	}
	return p.emitDispute(ctx, tx, d, processor.EventDisputeOpened)
}

// withdrawDispute inserts the dispute and its two balance transactions.
func (p *Processor) withdrawDispute(ctx context.Context, tx *sql.Tx, c storedCharge, d Dispute) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO processor_disputes (id, account_id, charge_id, currency, amount, reason, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, d.ID, d.AccountID, d.ChargeID, d.Amount.Currency, d.Amount.Minor,
		d.Reason, d.Status, d.CreatedAt.UTC()); err != nil {
		return err
	}
	withdrawn, _ := d.Amount.Neg()
	if _, err := p.ledger.Record(ctx, tx, ledger.NewTransaction{AccountID: d.AccountID, Type: ledger.TypeDisputeWithdrawal,
		SourceID: d.ID, Amount: withdrawn, SettlementCurrency: c.Settlement.Currency, Rate: c.Rate,
		AvailableOn: d.CreatedAt, CreatedAt: d.CreatedAt}); err != nil {
		return err
	}
	fee, err := feeFor(ctx, tx, d.AccountID, FeeDispute, money.Amount{Currency: c.Settlement.Currency})
	if err != nil || fee.Minor == 0 {
		return err
	}
	fee, _ = fee.Neg()
	_, err = p.ledger.Record(ctx, tx, ledger.NewTransaction{AccountID: d.AccountID, Type: ledger.TypeDisputeFee,
		SourceID: d.ID, Amount: fee, AvailableOn: d.CreatedAt, CreatedAt: d.CreatedAt})
	return err
}

// CloseDisputeParams say how a dispute ended.
type CloseDisputeParams struct {
	AccountID int64
	DisputeID string
	Won       bool
}

// CloseDispute closes an open dispute. A won dispute gives the disputed amount back to the
// balance; the dispute fee is kept either way.
func (p *Processor) CloseDispute(ctx context.Context, cp CloseDisputeParams) (Dispute, error) {
	var d Dispute
	err := p.db.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if d, err = p.loadDispute(ctx, tx, cp.AccountID, cp.DisputeID); err != nil {
			return err
		}
		if d.Status != "needs_response" {
			return problem.Conflict("dispute %s is already %s", d.ID, d.Status)
		}
		now, err := p.clocks.Now(ctx, tx, cp.AccountID)
		if err != nil {
			return err
		}
		return p.close(ctx, tx, &d, cp.Won, now)
	})
	return d, err
}

func (p *Processor) close(ctx context.Context, tx *sql.Tx, d *Dispute, won bool, now time.Time) error {
	d.Status, d.ClosedAt = "lost", &now
	if won {
		d.Status = "won"
		c, err := p.loadCharge(ctx, tx, d.AccountID, d.ChargeID, false)
		if err != nil {
			return err
		}
		if _, err := p.ledger.Record(ctx, tx, ledger.NewTransaction{AccountID: d.AccountID, Type: ledger.TypeDisputeReversal,
			SourceID: d.ID, Amount: d.Amount, SettlementCurrency: c.Settlement.Currency, Rate: c.Rate,
			AvailableOn: now, CreatedAt: now}); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE processor_disputes SET status = $3, closed_at = $4 WHERE account_id = $1 AND id = $2`,
		d.AccountID, d.ID, d.Status, now.UTC()); err != nil {
		return err
	}
	return p.emitDispute(ctx, tx, *d, processor.EventDisputeClosed)
}

const disputeColumns = `id, account_id, charge_id, currency, amount, reason, status, created_at, closed_at`

func scanDispute(r db.Scanner) (Dispute, error) {
	var d Dispute
	var closed sql.NullTime
	err := r.Scan(&d.ID, &d.AccountID, &d.ChargeID, &d.Amount.Currency, &d.Amount.Minor, &d.Reason, &d.Status, &d.CreatedAt, &closed)
	d.CreatedAt = d.CreatedAt.UTC()
	if closed.Valid {
		t := closed.Time.UTC()
		d.ClosedAt = &t
	}
	return d, err
}

func (p *Processor) loadDispute(ctx context.Context, q db.Querier, accountID int64, id string) (Dispute, error) {
	d, err := scanDispute(q.QueryRowContext(ctx, `SELECT `+disputeColumns+` FROM processor_disputes
		WHERE account_id = $1 AND id = $2`+p.db.Dialect.ForUpdate(), accountID, id))
	if err != nil {
		return Dispute{}, db.NotFoundOr(err, "dispute %s", id)
	}
	return d, nil
}

// Disputes lists an account's disputes, oldest first.
func (p *Processor) Disputes(ctx context.Context, accountID int64) ([]Dispute, error) {
	rows, err := p.db.Reader(ctx).QueryContext(ctx, `SELECT `+disputeColumns+` FROM processor_disputes
		WHERE account_id = $1 ORDER BY created_at, id`, accountID)
	return db.CollectRows[Dispute](rows, err)(scanDispute)
}

type disputeEvent struct {
	ID       string `json:"id"`
	ChargeID string `json:"charge_id"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	Reason   string `json:"reason"`
	Status   string `json:"status"`
}

func (p *Processor) emitDispute(ctx context.Context, tx *sql.Tx, d Dispute, typ processor.EventType) error {
	at := d.CreatedAt
	if d.ClosedAt != nil {
		at = *d.ClosedAt
	}
	return p.publish(ctx, tx, processor.NewEvent{ID: eventID(d.ID, typ), AccountID: d.AccountID, Type: typ, ObjectID: d.ID,
		Data: disputeEvent{ID: d.ID, ChargeID: d.ChargeID, Amount: d.Amount.Minor, Currency: d.Amount.Currency,
			Reason: d.Reason, Status: d.Status}, CreatedAt: at})
}
