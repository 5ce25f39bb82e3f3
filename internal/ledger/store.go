package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/problem"
)

const transactionColumns = `id, account_id, type, source_id, payout_id, currency, amount, fee, net,
	settlement_currency, settlement_amount, settlement_fee, settlement_net, rate, available_on, held, created_at`

func scanTransaction(r db.Scanner) (Transaction, error) {
	var t Transaction
	var payout sql.NullInt64
	var availableOn string
	err := r.Scan(&t.ID, &t.AccountID, &t.Type, &t.SourceID, &payout, &t.Currency, &t.Amount, &t.Fee, &t.Net,
		&t.SettlementCurrency, &t.SettlementAmount, &t.SettlementFee, &t.SettlementNet, &t.Rate, &availableOn,
		&t.Held, &t.CreatedAt)
	if err != nil {
		return Transaction{}, err
	}
	t.PayoutID = payout.Int64
	t.CreatedAt = t.CreatedAt.UTC()
	t.AvailableOn, err = time.Parse(time.DateOnly, availableOn)
	return t, err
}

// Get returns account's balance transaction id.
func Get(ctx context.Context, q db.Querier, accountID, id int64) (Transaction, error) {
	t, err := scanTransaction(q.QueryRowContext(ctx, `SELECT `+transactionColumns+`
		FROM balance_transactions WHERE account_id = $1 AND id = $2`, accountID, id))
	if err != nil {
		return Transaction{}, db.NotFoundOr(err, "balance transaction %d", id)
	}
	return t, nil
}

// ListParams select balance transactions of one account.
type ListParams struct {
	AccountID int64
	// SourceID, when set, keeps those caused by one charge, refund, dispute or payout.
	SourceID string
	// PayoutID, when set, keeps those paid out together.
	PayoutID int64
}

// List returns the balance transactions p selects, oldest first.
func List(ctx context.Context, q db.Querier, p ListParams) ([]Transaction, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+transactionColumns+` FROM balance_transactions
		WHERE account_id = $1 AND ($2 = '' OR source_id = $2) AND ($3 = 0 OR payout_id = $3) ORDER BY id`,
		p.AccountID, p.SourceID, p.PayoutID)
	return db.CollectRows[Transaction](rows, err)(scanTransaction)
}

// Release moves the held net of account's transaction id from processor:pending to
// processor:available, once: releasing it again changes nothing.
func (l *Ledger) Release(ctx context.Context, tx *sql.Tx, accountID, id int64) error {
	t, err := Get(ctx, tx, accountID, id)
	if err != nil {
		return err
	}
	if !t.Held {
		return problem.Conflict("balance transaction %d was never held", id)
	}
	var done int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM ledger_postings WHERE transaction_id = $1 AND entry = $2`,
		id, entryRelease).Scan(&done); err != nil || done > 0 {
		return err
	}
	return l.insertPostings(ctx, tx, t.ID, t.AccountID, expectedRelease(t))
}

// BalanceLine is an account's balance in one currency.
type BalanceLine struct {
	Currency  string
	Pending   int64
	Available int64
}

// Balance sums account's processor postings, per currency.
func Balance(ctx context.Context, q db.Querier, accountID int64) ([]BalanceLine, error) {
	rows, err := q.QueryContext(ctx, `SELECT currency,
		COALESCE(SUM(CASE WHEN ledger_account = $2 THEN amount END), 0),
		COALESCE(SUM(CASE WHEN ledger_account = $3 THEN amount END), 0)
		FROM ledger_postings WHERE account_id = $1 AND ledger_account IN ($2, $3)
		GROUP BY currency ORDER BY currency`, accountID, string(Pending), string(Available))
	return db.CollectRows[BalanceLine](rows, err)(func(r db.Scanner) (BalanceLine, error) {
		var b BalanceLine
		return b, r.Scan(&b.Currency, &b.Pending, &b.Available)
	})
}

// sourceOf names a transaction for messages: "charge ch_123".
func (t Transaction) sourceOf() string { return fmt.Sprintf("%s %s", t.Type, t.SourceID) }
