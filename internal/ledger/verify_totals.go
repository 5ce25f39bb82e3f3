package ledger

import (
	"context"
	"sort"
	"strings"

	"github.com/settlehq/settle/internal/db"
)

func splitColumns(columns string) []string {
	parts := strings.Split(columns, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// checkTotals checks that the postings read add up to zero per currency, that no posting
// escaped the stream, and that each balance as the database sums it equals both the
// streamed postings and the transactions' nets.
func (v *verifier) checkTotals(ctx context.Context, q db.Querier) error {
	if err := v.checkZeroSum(); err != nil {
		return err
	}
	var count int64
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM ledger_postings`).Scan(&count); err != nil {
		return db.MapError(err)
	}
	if count != v.report.Postings {
		return &Discrepancy{Check: "postings without a balance transaction", Currency: "all currencies",
			Expected: v.report.Postings, Found: count}
	}
	if err := v.checkSummedBalances(ctx, q); err != nil {
		return err
	}
	return v.checkNets()
}

func (v *verifier) checkZeroSum() error {
	sums := map[string]int64{}
	for k, amount := range v.postings {
		sums[k.currency] += amount
	}
	for _, c := range sortedKeys(sums) {
		if sums[c] != 0 {
			return &Discrepancy{Check: "postings do not sum to zero", Currency: c, Expected: 0, Found: sums[c]}
		}
	}
	return nil
}

// checkSummedBalances compares the database's own sums per balance with the streamed ones.
func (v *verifier) checkSummedBalances(ctx context.Context, q db.Querier) error {
	rows, err := q.QueryContext(ctx, `SELECT account_id, ledger_account, currency, SUM(amount) FROM ledger_postings
		GROUP BY account_id, ledger_account, currency ORDER BY account_id, ledger_account, currency`)
	if err != nil {
		return db.MapError(err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var k balanceKey
		var sum int64
		if err := rows.Scan(&k.accountID, &k.ledger, &k.currency, &sum); err != nil {
			return db.MapError(err)
		}
		seen++
		if v.postings[k] != sum {
			return &Discrepancy{Check: "balance is not the sum of its postings", AccountID: k.accountID,
				LedgerAccount: string(k.ledger), Currency: k.currency, Expected: v.postings[k], Found: sum}
		}
	}
	return db.MapError(rows.Err())
}

// checkNets compares each processor balance (pending and available) with the sum of the
// settlement nets of the account's transactions.
func (v *verifier) checkNets() error {
	held := map[balanceKey]int64{}
	for k, amount := range v.postings {
		if k.ledger == Pending || k.ledger == Available {
			held[balanceKey{k.accountID, "processor", k.currency}] += amount
		}
	}
	keys := make([]balanceKey, 0, len(v.nets))
	for k := range v.nets {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].accountID != keys[j].accountID {
			return keys[i].accountID < keys[j].accountID
		}
		return keys[i].currency < keys[j].currency
	})
	for _, k := range keys {
		if held[k] != v.nets[k] {
			return &Discrepancy{Check: "processor balance is not the sum of its transactions' nets", AccountID: k.accountID,
				LedgerAccount: "processor:pending+available", Currency: k.currency, Expected: v.nets[k], Found: held[k]}
		}
	}
	return nil
}

// checkPayouts checks each payout against the transactions it paid and its own transaction.
func (v *verifier) checkPayouts(ctx context.Context, q db.Querier) error {
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.account_id, p.currency, p.amount,
		COALESCE(SUM(CASE WHEN t.type NOT IN ('payout', 'payout_debit') THEN t.settlement_net END), 0),
		COALESCE(SUM(CASE WHEN t.type IN ('payout', 'payout_debit') THEN t.settlement_net END), 0)
		FROM payouts p LEFT JOIN balance_transactions t ON t.payout_id = p.id
		GROUP BY p.id, p.account_id, p.currency, p.amount ORDER BY p.id`)
	if err != nil {
		return db.MapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var d Discrepancy
		var paid, own int64
		if err := rows.Scan(&d.PayoutID, &d.AccountID, &d.Currency, &d.Found, &paid, &own); err != nil {
			return db.MapError(err)
		}
		v.report.Payouts++
		switch {
		case paid != d.Found:
			d.Check, d.Expected = "payout amount is not the sum of the transactions it paid", paid
			return &d
		case own != -d.Found:
			d.Check, d.Expected, d.Found = "payout's own transaction does not carry its amount", -d.Found, own
			return &d
		}
	}
	return db.MapError(rows.Err())
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
