package ledger

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/settlehq/settle/internal/config"
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
// equals the sum of the transactions it paid. Everything is read in one snapshot, so writes
// made meanwhile cannot look like discrepancies. It returns a *Discrepancy for the first
// place that does not add up.
func Verify(ctx context.Context, d *db.DB) (Report, error) {
	if d.Engine == config.Postgres {
		return verifyPostgres(ctx, d)
	}
	return verifySQLite(ctx, d)
}

// verifyPostgres reads everything in one repeatable-read transaction, the postings joined to
// their transactions by the server.
func verifyPostgres(ctx context.Context, d *db.DB) (Report, error) {
	tx, err := d.Read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return Report{}, db.MapError(err)
	}
	defer tx.Rollback()
	v := newVerifier()
	if err := v.streamJoined(ctx, tx); err != nil {
		return v.report, nameSource(ctx, tx, err)
	}
	return v.report, v.finish(ctx, tx)
}

// verifySQLite reads the transactions and the postings side by side in one read
// transaction, so both come from the same snapshot.
func verifySQLite(ctx context.Context, d *db.DB) (Report, error) {
	tx, err := d.Read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Report{}, db.MapError(err)
	}
	defer tx.Rollback()
	v := newVerifier()
	if err := v.streamMerged(ctx, tx); err != nil {
		return v.report, nameSource(ctx, tx, err)
	}
	return v.report, v.finish(ctx, tx)
}

// finish runs the checks over the totals and the payouts.
func (v *verifier) finish(ctx context.Context, tx *sql.Tx) error {
	if err := v.checkTotals(ctx, tx); err != nil {
		return err
	}
	return v.checkPayouts(ctx, tx)
}

type balanceKey struct {
	accountID int64
	ledger    Account
	currency  string
}

type verifier struct {
	report Report
	// strings holds one copy of each type, currency, account and rate read, so that a
	// million rows do not make a million copies of "USD".
	strings interner
	// postings sums every posting per account, ledger account and currency.
	postings map[balanceKey]int64
	// nets sums the settlement nets of the transactions per account and currency.
	nets map[balanceKey]int64
}

func newVerifier() *verifier {
	return &verifier{postings: map[balanceKey]int64{}, nets: map[balanceKey]int64{}, strings: interner{}}
}

// interner returns one shared string per distinct value.
type interner map[string]string

func (in interner) get(b []byte) string {
	if s, ok := in[string(b)]; ok {
		return s
	}
	s := string(b)
	in[s] = s
	return s
}

// nameSource completes a discrepancy found in the stream with what caused its transaction,
// which the stream does not read.
func nameSource(ctx context.Context, tx *sql.Tx, err error) error {
	d, ok := err.(*Discrepancy)
	if !ok || d.TransactionID == 0 || d.Source != "" {
		return err
	}
	var typ, source string
	if tx.QueryRowContext(ctx, `SELECT type, source_id FROM balance_transactions WHERE id = $1`, d.TransactionID).Scan(&typ, &source) != nil {
		d.Source = "missing"
		return d
	}
	d.Source = typ + " " + source
	return d
}

// verifyColumns are what the checks read of a transaction.
const verifyColumns = `id, account_id, type, currency, amount, fee, net, settlement_currency,
	settlement_amount, settlement_fee, settlement_net, rate, held`

// row is the reusable scan buffer of the transaction stream.
type row struct {
	t                             Transaction
	typ, cur, settlementCur, rate sql.RawBytes
	lines                         sql.RawBytes
}

func (v *verifier) scanVerified(r db.Scanner, b *row, joined bool) (Transaction, error) {
	t := &b.t
	dest := []any{&t.ID, &t.AccountID, &b.typ, &b.cur, &t.Amount, &t.Fee, &t.Net,
		&b.settlementCur, &t.SettlementAmount, &t.SettlementFee, &t.SettlementNet, &b.rate, &t.Held}
	if joined {
		dest = append(dest, &b.lines)
	}
	if err := r.Scan(dest...); err != nil {
		return Transaction{}, err
	}
	t.Type, t.Currency = Type(v.strings.get(b.typ)), v.strings.get(b.cur)
	t.SettlementCurrency, t.Rate = v.strings.get(b.settlementCur), v.strings.get(b.rate)
	return *t, nil
}

// streamMerged walks the transactions and the postings side by side, each in its primary
// key order: two sequential reads in the same transaction rather than a lookup per
// transaction.
func (v *verifier) streamMerged(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+verifyColumns+` FROM balance_transactions ORDER BY id`)
	if err != nil {
		return db.MapError(err)
	}
	defer rows.Close()
	pc, err := v.openPostings(ctx, tx)
	if err != nil {
		return err
	}
	defer pc.rows.Close()
	var buf row
	for rows.Next() {
		t, err := v.scanVerified(rows, &buf, false)
		if err != nil {
			return db.MapError(err)
		}
		actual, err := pc.collect(t.ID)
		if err != nil {
			return err
		}
		if err := v.checkTransaction(t, actual); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return db.MapError(err)
	}
	return pc.finish()
}

// postingCursor reads postings in transaction order, one posting ahead.
type postingCursor struct {
	v                        *verifier
	rows                     *sql.Rows
	txID                     int64
	next                     posting
	ahead                    bool
	entry, account, currency sql.RawBytes
	out                      []posting
}

func (v *verifier) openPostings(ctx context.Context, tx *sql.Tx) (*postingCursor, error) {
	rows, err := tx.QueryContext(ctx, `SELECT transaction_id, entry, ledger_account, currency, amount
		FROM ledger_postings ORDER BY transaction_id, entry, ledger_account, currency`)
	if err != nil {
		return nil, db.MapError(err)
	}
	c := &postingCursor{v: v, rows: rows}
	return c, c.advance()
}

func (c *postingCursor) advance() error {
	c.ahead = c.rows.Next()
	if !c.ahead {
		return db.MapError(c.rows.Err())
	}
	err := c.rows.Scan(&c.txID, &c.entry, &c.account, &c.currency, &c.next.amount)
	c.next.entry, c.next.account = c.v.strings.get(c.entry), Account(c.v.strings.get(c.account))
	c.next.currency = c.v.strings.get(c.currency)
	return db.MapError(err)
}

// collect returns the postings of transaction id; a posting of an earlier id has no
// transaction, which is a discrepancy.
func (c *postingCursor) collect(id int64) ([]posting, error) {
	c.out = c.out[:0]
	for c.ahead && c.txID <= id {
		if c.txID < id {
			return nil, c.orphan()
		}
		c.out = append(c.out, c.next)
		if err := c.advance(); err != nil {
			return nil, err
		}
	}
	return c.out, nil
}

func (c *postingCursor) orphan() error {
	return &Discrepancy{Check: "posting without a balance transaction", TransactionID: c.txID, Source: "missing",
		LedgerAccount: string(c.next.account), Currency: c.next.currency, Found: c.next.amount}
}

// finish reports a posting left after the last transaction.
func (c *postingCursor) finish() error {
	if c.ahead {
		return c.orphan()
	}
	return nil
}

// parseLines reads entry|account|currency|amount lines separated by ";" into out.
func (v *verifier) parseLines(b []byte, out []posting) ([]posting, error) {
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, ';'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		var fields [4][]byte
		for i := range 3 {
			j := bytes.IndexByte(line, '|')
			if j < 0 {
				return nil, fmt.Errorf("unreadable posting %q", line)
			}
			fields[i], line = line[:j], line[j+1:]
		}
		amount, err := strconv.ParseInt(string(line), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("unreadable posting amount %q", line)
		}
		out = append(out, posting{entry: v.strings.get(fields[0]), account: Account(v.strings.get(fields[1])),
			currency: v.strings.get(fields[2]), amount: amount})
	}
	return out, nil
}

// streamJoined walks every transaction with its postings grouped into one text of
// entry|account|currency|amount lines, in one joined, ordered query: for PostgreSQL, where
// one connection reads one result set at a time, and where a transaction's postings then
// cross the network as one row rather than three to five.
func (v *verifier) streamJoined(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+prefixed("t", verifyColumns)+`, g.lines
		FROM balance_transactions t LEFT JOIN (SELECT transaction_id,
		string_agg(entry || '|' || ledger_account || '|' || currency || '|' || amount, ';') AS lines
		FROM ledger_postings GROUP BY transaction_id) g ON g.transaction_id = t.id ORDER BY t.id`)
	if err != nil {
		return db.MapError(err)
	}
	defer rows.Close()
	var buf row
	var actual []posting
	for rows.Next() {
		t, err := v.scanVerified(rows, &buf, true)
		if err != nil {
			return db.MapError(err)
		}
		if actual, err = v.parseLines(buf.lines, actual[:0]); err != nil {
			return err
		}
		if err := v.checkTransaction(t, actual); err != nil {
			return err
		}
	}
	return db.MapError(rows.Err())
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
	d := &Discrepancy{TransactionID: t.ID, AccountID: t.AccountID}
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

// matchPostings compares the postings of one entry with what t implies. Both lists are a
// handful of lines, so they are compared by scanning rather than through a map.
func matchPostings(t Transaction, entry string, want, actual []posting) error {
	for _, w := range want {
		if got := sumOf(actual, entry, w.account, w.currency); got != w.amount {
			return postingDiscrepancy(t, entry, w.account, w.currency, w.amount, got)
		}
	}
	for _, p := range actual {
		if p.entry == entry && !expected(want, p) {
			if got := sumOf(actual, entry, p.account, p.currency); got != 0 {
				return postingDiscrepancy(t, entry, p.account, p.currency, 0, got)
			}
		}
	}
	return nil
}

func sumOf(ps []posting, entry string, account Account, currency string) int64 {
	var sum int64
	for _, p := range ps {
		if p.entry == entry && p.account == account && p.currency == currency {
			sum += p.amount
		}
	}
	return sum
}

func expected(want []posting, p posting) bool {
	for _, w := range want {
		if w.account == p.account && w.currency == p.currency {
			return true
		}
	}
	return false
}

func postingDiscrepancy(t Transaction, entry string, account Account, currency string, want, got int64) error {
	return &Discrepancy{Check: "postings (" + entry + ") do not match the transaction", TransactionID: t.ID,
		AccountID: t.AccountID, LedgerAccount: string(account), Currency: currency,
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
