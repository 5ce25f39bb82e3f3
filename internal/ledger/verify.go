package ledger

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/money"
)

// Discrepancy is the first place where the ledger does not add up, named precisely enough
// to find the row: which check, which transaction or payout, which account and currency,
// what was expected and what was found.
type Discrepancy struct {
	Check         string
	TransactionID int64
	Source        string
	PayoutID      int64
	AccountID     int64
	LedgerAccount string
	Currency      string
	Expected      int64
	Found         int64
}

// Error says where the ledger is wrong.
func (d *Discrepancy) Error() string {
	where := fmt.Sprintf("account %d", d.AccountID)
	switch {
	case d.TransactionID != 0:
		where = fmt.Sprintf("balance transaction %d (%s) of account %d", d.TransactionID, d.Source, d.AccountID)
	case d.PayoutID != 0:
		where = fmt.Sprintf("payout %d of account %d", d.PayoutID, d.AccountID)
	}
	if d.LedgerAccount != "" {
		where += ", ledger account " + d.LedgerAccount
	}
	return fmt.Sprintf("%s: %s in %s: expected %d, found %d", d.Check, where, d.Currency, d.Expected, d.Found)
}

// Report counts what Verify read.
type Report struct {
	Transactions int64
	Postings     int64
	Payouts      int64
}

// Verify reads the whole ledger once, in a stream whose memory does not grow with its
// size, and checks that each transaction's postings balance and match its amount, fee and
// net; that the postings sum to zero in every currency; that each balance equals both the
// sum of its postings and the sum of its transactions' nets; and that each payout's amount
// equals the sum of the transactions it paid. It returns a *Discrepancy for the first
// place that does not add up.
func Verify(ctx context.Context, q db.Querier) (Report, error) {
	v := newVerifier()
	if err := v.streamTransactions(ctx, q); err != nil {
		return v.report, err
	}
	if err := v.checkTotals(ctx, q); err != nil {
		return v.report, err
	}
	err := v.checkPayouts(ctx, q)
	return v.report, err
}

type balanceKey struct {
	accountID int64
	ledger    Account
	currency  string
}

type verifier struct {
	report Report
	// postings sums every posting per account, ledger account and currency.
	postings map[balanceKey]int64
	// nets sums the settlement nets of the transactions per account and currency.
	nets map[balanceKey]int64
}

func newVerifier() *verifier {
	return &verifier{postings: map[balanceKey]int64{}, nets: map[balanceKey]int64{}}
}

// streamTransactions walks every transaction with its postings, in id order.
func (v *verifier) streamTransactions(ctx context.Context, q db.Querier) error {
	rows, err := q.QueryContext(ctx, `SELECT `+prefixed("t", transactionColumns)+`, p.entry, p.ledger_account, p.currency, p.amount
		FROM balance_transactions t LEFT JOIN ledger_postings p ON p.transaction_id = t.id ORDER BY t.id`)
	if err != nil {
		return db.MapError(err)
	}
	defer rows.Close()
	var cur Transaction
	var actual []posting
	for rows.Next() {
		t, p, err := scanJoined(rows)
		if err != nil {
			return db.MapError(err)
		}
		if t.ID != cur.ID && cur.ID != 0 {
			if err := v.checkTransaction(cur, actual); err != nil {
				return err
			}
			actual = actual[:0]
		}
		cur = t
		if p != nil {
			actual = append(actual, *p)
		}
	}
	if err := rows.Err(); err != nil {
		return db.MapError(err)
	}
	if cur.ID != 0 {
		return v.checkTransaction(cur, actual)
	}
	return nil
}

func prefixed(alias, columns string) string {
	out := ""
	for i, c := range splitColumns(columns) {
		if i > 0 {
			out += ", "
		}
		out += alias + "." + c
	}
	return out
}

func scanJoined(rows *sql.Rows) (Transaction, *posting, error) {
	var t Transaction
	var payout sql.NullInt64
	var availableOn string
	var entry, account, currency sql.NullString
	var amount sql.NullInt64
	err := rows.Scan(&t.ID, &t.AccountID, &t.Type, &t.SourceID, &payout, &t.Currency, &t.Amount, &t.Fee, &t.Net,
		&t.SettlementCurrency, &t.SettlementAmount, &t.SettlementFee, &t.SettlementNet, &t.Rate, &availableOn,
		&t.Held, &t.CreatedAt, &entry, &account, &currency, &amount)
	t.PayoutID = payout.Int64
	if err != nil || !entry.Valid {
		return t, nil, err
	}
	return t, &posting{entry: entry.String, account: Account(account.String), currency: currency.String, amount: amount.Int64}, nil
}

// checkTransaction checks one transaction's arithmetic and postings, and adds them to the
// running sums.
func (v *verifier) checkTransaction(t Transaction, actual []posting) error {
	v.report.Transactions++
	v.report.Postings += int64(len(actual))
	if err := checkArithmetic(t); err != nil {
		return err
	}
	if err := matchPostings(t, entryCreate, expectedCreate(t), actual); err != nil {
		return err
	}
	if err := checkRelease(t, actual); err != nil {
		return err
	}
	for _, p := range actual {
		v.postings[balanceKey{t.AccountID, p.account, p.currency}] += p.amount
	}
	v.nets[balanceKey{t.AccountID, "processor", t.SettlementCurrency}] += t.SettlementNet
	return nil
}

// checkArithmetic recomputes the converted amounts and nets of t from its amount and fee.
func checkArithmetic(t Transaction) error {
	d := &Discrepancy{TransactionID: t.ID, Source: t.sourceOf(), AccountID: t.AccountID}
	want, err := t.recomputed()
	switch {
	case err != nil:
		d.Check, d.Currency = "unreadable amounts ("+err.Error()+")", t.Currency
		return d
	case want.SettlementAmount != t.SettlementAmount:
		d.Check, d.Currency, d.Expected, d.Found = "settlement amount is not the amount at the rate "+t.Rate, t.SettlementCurrency, want.SettlementAmount, t.SettlementAmount
	case want.Fee != t.Fee:
		d.Check, d.Currency, d.Expected, d.Found = "fee is not the settlement fee at the rate "+t.Rate, t.Currency, want.Fee, t.Fee
	case want.Net != t.Net:
		d.Check, d.Currency, d.Expected, d.Found = "net is not amount minus fee", t.Currency, want.Net, t.Net
	case want.SettlementNet != t.SettlementNet:
		d.Check, d.Currency, d.Expected, d.Found = "settlement net is not settlement amount minus fee", t.SettlementCurrency, want.SettlementNet, t.SettlementNet
	default:
		return nil
	}
	return d
}

// recomputed returns t as Record would have written it from its amount and settlement fee.
func (t Transaction) recomputed() (Transaction, error) {
	var rate money.Rate
	if t.Rate != "" {
		r, err := money.ParseRate(t.Rate)
		if err != nil {
			return Transaction{}, err
		}
		rate = r
	}
	c, err := convertAmounts(money.Amount{Minor: t.Amount, Currency: t.Currency}, t.SettlementCurrency, rate, t.SettlementFee)
	if err != nil {
		return Transaction{}, err
	}
	out := t
	out.SettlementAmount, out.Fee = c.settlementAmount, c.fee
	out.Net, out.SettlementNet = t.Amount-c.fee, c.settlementAmount-t.SettlementFee
	return out, nil
}

// matchPostings compares the postings of one entry with what t implies.
func matchPostings(t Transaction, entry string, want, actual []posting) error {
	got := map[[2]string]int64{}
	for _, p := range actual {
		if p.entry == entry {
			got[[2]string{string(p.account), p.currency}] += p.amount
		}
	}
	for _, w := range want {
		k := [2]string{string(w.account), w.currency}
		if got[k] != w.amount {
			return postingDiscrepancy(t, entry, w.account, w.currency, w.amount, got[k])
		}
		delete(got, k)
	}
	for k, amount := range got {
		if amount != 0 {
			return postingDiscrepancy(t, entry, Account(k[0]), k[1], 0, amount)
		}
	}
	return nil
}

func postingDiscrepancy(t Transaction, entry string, account Account, currency string, want, got int64) error {
	return &Discrepancy{Check: "postings (" + entry + ") do not match the transaction", TransactionID: t.ID,
		Source: t.sourceOf(), AccountID: t.AccountID, LedgerAccount: string(account), Currency: currency,
		Expected: want, Found: got}
}

// checkRelease accepts no release postings, or exactly those of a held transaction.
func checkRelease(t Transaction, actual []posting) error {
	released := false
	for _, p := range actual {
		if p.entry == entryRelease {
			released = true
		} else if p.entry != entryCreate {
			return postingDiscrepancy(t, p.entry, p.account, p.currency, 0, p.amount)
		}
	}
	if !released {
		return nil
	}
	var want []posting
	if t.Held {
		want = expectedRelease(t)
	}
	return matchPostings(t, entryRelease, want, actual)
}
