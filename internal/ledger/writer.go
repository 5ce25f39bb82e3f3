package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
)

// maxPostings is the most postings one entry writes: a charge in another currency, with a fee.
const maxPostings = 5

// Ledger writes balance transactions and postings in callers' transactions, through
// statements prepared once: parsing SQL would otherwise cost more than the write itself.
type Ledger struct {
	// insert[k] writes a transaction with k postings: on PostgreSQL in one statement (one
	// round trip), on SQLite the transaction alone, its postings through postings[k].
	insert   [maxPostings + 1]*sql.Stmt
	postings [maxPostings + 1]*sql.Stmt
	combined bool
}

const insertTransaction = `INSERT INTO balance_transactions (account_id, type, source_id, currency, amount, fee, net,
	settlement_currency, settlement_amount, settlement_fee, settlement_net, rate, available_on, held, created_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`

// New prepares the ledger's statements on d.
func New(ctx context.Context, d *db.DB) (*Ledger, error) {
	l := &Ledger{combined: d.Engine == config.Postgres}
	for k := 0; k <= maxPostings; k++ {
		var err error
		if l.insert[k], err = d.Write.PrepareContext(ctx, l.insertSQL(k)); err != nil {
			return nil, fmt.Errorf("prepare ledger insert: %w", db.MapError(err))
		}
		if k > 0 {
			if l.postings[k], err = d.Write.PrepareContext(ctx, postingsSQL(k)); err != nil {
				return nil, fmt.Errorf("prepare ledger postings: %w", db.MapError(err))
			}
		}
	}
	return l, nil
}

// insertSQL inserts a transaction, and on PostgreSQL its k postings with it.
func (l *Ledger) insertSQL(k int) string {
	if !l.combined || k == 0 {
		return insertTransaction
	}
	var b strings.Builder
	b.WriteString("WITH t AS (" + insertTransaction + `)
		INSERT INTO ledger_postings (transaction_id, account_id, entry, ledger_account, currency, amount)
		SELECT t.id, $1, v.entry, v.ledger_account, v.currency, v.amount FROM t, (VALUES `)
	for i := range k {
		if i > 0 {
			b.WriteString(", ")
		}
		n := 16 + 4*i
		fmt.Fprintf(&b, "($%d::text, $%d::text, $%d::text, $%d::bigint)", n, n+1, n+2, n+3)
	}
	b.WriteString(") AS v (entry, ledger_account, currency, amount) RETURNING transaction_id")
	return b.String()
}

// postingsSQL inserts k postings of one transaction.
func postingsSQL(k int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO ledger_postings (transaction_id, account_id, entry, ledger_account, currency, amount) VALUES `)
	for i := range k {
		if i > 0 {
			b.WriteString(", ")
		}
		n := 3 + 4*i
		fmt.Fprintf(&b, "($1, $2, $%d, $%d, $%d, $%d)", n, n+1, n+2, n+3)
	}
	return b.String()
}

// write inserts t with its postings ps in tx and returns t's id.
func (l *Ledger) write(ctx context.Context, tx *sql.Tx, t Transaction, ps []posting) (int64, error) {
	args := make([]any, 0, 15+4*len(ps))
	args = append(args, t.AccountID, t.Type, t.SourceID, t.Currency, t.Amount, t.Fee, t.Net, t.SettlementCurrency,
		t.SettlementAmount, t.SettlementFee, t.SettlementNet, t.Rate, t.AvailableOn.Format("2006-01-02"), t.Held, t.CreatedAt)
	if l.combined {
		args = appendPostings(args, ps)
	}
	var id int64
	if err := tx.StmtContext(ctx, l.insert[len(ps)]).QueryRowContext(ctx, args...).Scan(&id); err != nil {
		return 0, fmt.Errorf("insert balance transaction: %w", err)
	}
	if l.combined {
		return id, nil
	}
	return id, l.insertPostings(ctx, tx, id, t.AccountID, ps)
}

// insertPostings writes ps of transaction id in one statement.
func (l *Ledger) insertPostings(ctx context.Context, tx *sql.Tx, id, accountID int64, ps []posting) error {
	if len(ps) == 0 {
		return nil
	}
	args := appendPostings(append(make([]any, 0, 2+4*len(ps)), id, accountID), ps)
	if _, err := tx.StmtContext(ctx, l.postings[len(ps)]).ExecContext(ctx, args...); err != nil {
		return fmt.Errorf("insert postings of balance transaction %d: %w", id, err)
	}
	return nil
}

func appendPostings(args []any, ps []posting) []any {
	for _, p := range ps {
		args = append(args, p.entry, string(p.account), p.currency, p.amount)
	}
	return args
}
