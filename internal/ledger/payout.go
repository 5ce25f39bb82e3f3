package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/settlehq/settle/internal/money"
)

// Payout is money sent to the merchant's bank (a positive amount) or taken from it (a
// negative amount, when refunds and disputes exceeded payments).
type Payout struct {
	ID          int64
	AccountID   int64
	Currency    string
	Amount      int64
	Status      string
	ArrivalDate time.Time
	// TransactionID is the payout's own balance transaction.
	TransactionID int64
	CreatedAt     time.Time
}

// NewPayout is what CreatePayout needs.
type NewPayout struct {
	AccountID int64
	Currency  string
	// Through is the last available_on date included.
	Through     time.Time
	ArrivalDate time.Time
	CreatedAt   time.Time
}

// eligible selects the unpaid transactions of a payout: available by then, held funds
// released.
const eligible = `account_id = $1 AND settlement_currency = $2 AND payout_id IS NULL AND available_on <= $3
	AND (NOT held OR EXISTS (SELECT 1 FROM ledger_postings p WHERE p.transaction_id = balance_transactions.id AND p.entry = 'release'))`

// CreatePayout sums account's available, unpaid balance transactions in a currency into a
// payout, marks them paid by it, and records the payout's own balance transaction, all in
// tx. It returns ErrNothingToPay when they sum to zero.
func (l *Ledger) CreatePayout(ctx context.Context, tx *sql.Tx, n NewPayout) (Payout, error) {
	through := n.Through.Format(time.DateOnly)
	var total int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(settlement_net), 0) FROM balance_transactions WHERE `+eligible,
		n.AccountID, n.Currency, through).Scan(&total); err != nil {
		return Payout{}, err
	}
	if total == 0 {
		return Payout{}, ErrNothingToPay
	}
	p := Payout{AccountID: n.AccountID, Currency: n.Currency, Status: "paid", ArrivalDate: n.ArrivalDate, CreatedAt: n.CreatedAt.UTC()}
	if err := tx.QueryRowContext(ctx, `INSERT INTO payouts (account_id, currency, amount, status, arrival_date, created_at)
		VALUES ($1, $2, 0, $3, $4, $5) RETURNING id`, p.AccountID, p.Currency, p.Status,
		p.ArrivalDate.Format(time.DateOnly), p.CreatedAt).Scan(&p.ID); err != nil {
		return Payout{}, fmt.Errorf("insert payout: %w", err)
	}
	var err error
	if p.Amount, err = claimForPayout(ctx, tx, n, p.ID); err != nil {
		return Payout{}, err
	}
	return p, l.recordPayout(ctx, tx, &p, n.Through)
}

// claimForPayout marks the eligible transactions as paid by payout id and returns their sum.
func claimForPayout(ctx context.Context, tx *sql.Tx, n NewPayout, id int64) (int64, error) {
	rows, err := tx.QueryContext(ctx, `UPDATE balance_transactions SET payout_id = $4 WHERE `+eligible+` RETURNING settlement_net`,
		n.AccountID, n.Currency, n.Through.Format(time.DateOnly), id)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var sum int64
	for rows.Next() {
		var net int64
		if err := rows.Scan(&net); err != nil {
			return 0, err
		}
		sum += net
	}
	return sum, rows.Err()
}

// recordPayout writes the payout's amount and its own balance transaction.
func (l *Ledger) recordPayout(ctx context.Context, tx *sql.Tx, p *Payout, through time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE payouts SET amount = $2 WHERE id = $1`, p.ID, p.Amount); err != nil {
		return err
	}
	typ := TypePayout
	if p.Amount < 0 {
		typ = TypePayoutDebit
	}
	t, err := l.Record(ctx, tx, NewTransaction{AccountID: p.AccountID, Type: typ, SourceID: fmt.Sprintf("po_%d", p.ID),
		Amount: money.Amount{Minor: -p.Amount, Currency: p.Currency}, AvailableOn: through, CreatedAt: p.CreatedAt})
	if err != nil {
		return err
	}
	p.TransactionID = t.ID
	_, err = tx.ExecContext(ctx, `UPDATE balance_transactions SET payout_id = $2 WHERE id = $1`, t.ID, p.ID)
	return err
}
