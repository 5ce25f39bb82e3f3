package ledger_test

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/settlehq/settle/internal/cli"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/ledger"
	"github.com/settlehq/settle/internal/money"
)

// TestMain runs the ledger's property checks once or twice (defaultChecks) rather than rapid's default
// hundred: each check is a sequence of 10,000 operations on a real database. Pass
// -rapid.checks to run more.
func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.checks" })
	if !set && os.Getenv("RAPID_CHECKS") == "" {
		_ = flag.Set("rapid.checks", defaultChecks)
	}
	os.Exit(m.Run())
}

// operations is the length of each random sequence.
const operations = 10_000

// modelTx is what the test knows of a transaction it recorded.
type modelTx struct {
	id          int64
	amount      money.Amount
	net         int64 // settlement net, computed by the test
	availableOn time.Time
	held, paid  bool
	released    bool
	refundable  int64
	disputed    bool
}

// model is an independent account of what the balance must be.
type model struct {
	l                  *ledger.Ledger
	txs                []*modelTx
	pending, available int64
	charges            []*modelTx
	next               int
}

var eurToUSD = money.MustRate("1.0837")

// TestVerifyAfterRandomOperations records 10,000 random charges, fees, refunds, disputes,
// releases and payouts, checks the balance against a model kept by the test, then runs
// `settle verify` on the database, which must pass.
func TestVerifyAfterRandomOperations(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		url, d := openURL(t, engine)
		runs := 0
		rapid.Check(t, func(rt *rapid.T) {
			runs++
			acct := newAccount(t, d, fmt.Sprintf("owner%d@acme.test", runs))
			m := &model{l: ledgerOf(t, d)}
			for done := 0; done < operations; {
				batch := min(rapid.IntRange(1, 250).Draw(rt, "batch"), operations-done)
				inTx(t, d, func(tx *sql.Tx) error {
					for range batch {
						m.step(rt, tx, acct)
					}
					return nil
				})
				done += batch
			}
			m.checkBalance(rt, d, acct)
		})
		code, out, errOut := runVerify(t, url)
		if code != 0 || !strings.Contains(out, "The ledger adds up") {
			t.Fatalf("settle verify: exit %d\n%s%s", code, out, errOut)
		}
	})
}

// step draws one operation and applies it to the ledger and to the model.
func (m *model) step(t *rapid.T, tx *sql.Tx, acct int64) {
	switch op := rapid.IntRange(0, 99).Draw(t, "op"); {
	case op < 40:
		m.charge(t, tx, acct)
	case op < 55:
		m.release(t, tx, acct)
	case op < 70:
		m.refund(t, tx, acct)
	case op < 78:
		m.dispute(t, tx, acct)
	case op < 85:
		m.fee(t, tx, acct)
	case op < 90:
		m.adjust(t, tx, acct)
	default:
		m.payout(t, tx, acct)
	}
}

func (m *model) record(t *rapid.T, tx *sql.Tx, n ledger.NewTransaction, net int64) *modelTx {
	n.SourceID = fmt.Sprintf("src_%d", m.next)
	m.next++
	if n.CreatedAt.IsZero() {
		n.CreatedAt = t0
	}
	if n.AvailableOn.IsZero() {
		n.AvailableOn = t0
	}
	got, err := m.l.Record(context.Background(), tx, n)
	if err != nil {
		t.Fatalf("record %+v: %v", n, err)
	}
	if got.SettlementNet != net {
		t.Fatalf("%s %s: settlement net %d, the model says %d", n.Type, n.Amount, got.SettlementNet, net)
	}
	mt := &modelTx{id: got.ID, amount: n.Amount, net: net, availableOn: n.AvailableOn, held: n.Hold}
	m.txs = append(m.txs, mt)
	if n.Hold {
		m.pending += net
	} else {
		m.available += net
	}
	return mt
}

func (m *model) charge(t *rapid.T, tx *sql.Tx, acct int64) {
	amount := money.Amount{Minor: rapid.Int64Range(50, 1_000_000).Draw(t, "amount"), Currency: "USD"}
	n := ledger.NewTransaction{AccountID: acct, Type: ledger.TypeCharge, Amount: amount,
		AvailableOn: t0.AddDate(0, 0, rapid.IntRange(0, 3).Draw(t, "days")), Hold: rapid.Bool().Draw(t, "held")}
	settled := amount
	if rapid.IntRange(0, 4).Draw(t, "fx") == 0 {
		n.Amount.Currency, n.SettlementCurrency, n.Rate = "EUR", "USD", eurToUSD
		settled, _ = money.Convert(n.Amount, "USD", eurToUSD)
	}
	n.SettlementFee = rapid.Int64Range(0, settled.Minor/10).Draw(t, "fee")
	c := m.record(t, tx, n, settled.Minor-n.SettlementFee)
	c.refundable = amount.Minor
	m.charges = append(m.charges, c)
}

func (m *model) release(t *rapid.T, tx *sql.Tx, acct int64) {
	var held []*modelTx
	for _, c := range m.charges {
		if c.held && !c.released {
			held = append(held, c)
		}
	}
	if len(held) == 0 {
		return
	}
	c := rapid.SampledFrom(held).Draw(t, "released")
	if err := m.l.Release(context.Background(), tx, acct, c.id); err != nil {
		t.Fatal(err)
	}
	c.released = true
	m.pending -= c.net
	m.available += c.net
}

func (m *model) pickCharge(t *rapid.T, label string) *modelTx {
	if len(m.charges) == 0 {
		return nil
	}
	c := rapid.SampledFrom(m.charges).Draw(t, label)
	if c.refundable == 0 || c.disputed {
		return nil
	}
	return c
}

func (m *model) refund(t *rapid.T, tx *sql.Tx, acct int64) {
	c := m.pickCharge(t, "refunded")
	if c == nil {
		return
	}
	part := rapid.Int64Range(1, c.refundable).Draw(t, "refund")
	c.refundable -= part
	m.reverse(t, tx, acct, ledger.TypeRefund, c, part)
}

func (m *model) dispute(t *rapid.T, tx *sql.Tx, acct int64) {
	c := m.pickCharge(t, "disputed")
	if c == nil {
		return
	}
	c.disputed = true
	m.reverse(t, tx, acct, ledger.TypeDisputeWithdrawal, c, c.refundable)
	m.record(t, tx, ledger.NewTransaction{AccountID: acct, Type: ledger.TypeDisputeFee, Amount: usd(-1500)}, -1500)
	if rapid.IntRange(0, 3).Draw(t, "won") == 0 {
		m.reverse(t, tx, acct, ledger.TypeDisputeReversal, c, -c.refundable)
	}
}

// reverse records money going back out (or, negative, in again) for part of charge c, in
// the charge's currency at its rate.
func (m *model) reverse(t *rapid.T, tx *sql.Tx, acct int64, typ ledger.Type, c *modelTx, part int64) {
	n := ledger.NewTransaction{AccountID: acct, Type: typ, Amount: money.Amount{Minor: -part, Currency: c.amount.Currency}}
	net := -part
	if c.amount.Currency != "USD" {
		n.SettlementCurrency, n.Rate = "USD", eurToUSD
		s, _ := money.Convert(n.Amount, "USD", eurToUSD)
		net = s.Minor
	}
	m.record(t, tx, n, net)
}

func (m *model) fee(t *rapid.T, tx *sql.Tx, acct int64) {
	fee := rapid.Int64Range(1, 5000).Draw(t, "standalone fee")
	m.record(t, tx, ledger.NewTransaction{AccountID: acct, Type: ledger.TypeFee, Amount: usd(-fee)}, -fee)
}

func (m *model) adjust(t *rapid.T, tx *sql.Tx, acct int64) {
	n := rapid.Int64Range(-10000, 10000).Draw(t, "adjustment")
	m.record(t, tx, ledger.NewTransaction{AccountID: acct, Type: ledger.TypeAdjustment, Amount: usd(n)}, n)
}

func (m *model) payout(t *rapid.T, tx *sql.Tx, acct int64) {
	through := t0.AddDate(0, 0, rapid.IntRange(0, 3).Draw(t, "through"))
	var want int64
	var paid []*modelTx
	for _, c := range m.txs {
		if !c.paid && !c.availableOn.After(through) && (!c.held || c.released) {
			want += c.net
			paid = append(paid, c)
		}
	}
	p, err := m.l.CreatePayout(context.Background(), tx, ledger.NewPayout{AccountID: acct, Currency: "USD",
		Through: through, ArrivalDate: through, CreatedAt: t0})
	if want == 0 {
		if err != ledger.ErrNothingToPay {
			t.Fatalf("payout of nothing: %+v, %v", p, err)
		}
		return
	}
	if err != nil || p.Amount != want {
		t.Fatalf("payout = %+v, %v; the model says %d", p, err, want)
	}
	for _, c := range paid {
		c.paid = true
	}
	m.available -= want
	m.txs = append(m.txs, &modelTx{paid: true})
}

func (m *model) checkBalance(t *rapid.T, d *db.DB, acct int64) {
	lines, err := ledger.Balance(context.Background(), d.Read, acct)
	if err != nil {
		t.Fatal(err)
	}
	var got ledger.BalanceLine
	for _, l := range lines {
		if l.Currency == "USD" {
			got = l
		} else if l.Pending != 0 || l.Available != 0 {
			t.Fatalf("a balance in %s: %+v", l.Currency, l)
		}
	}
	if got.Pending != m.pending || got.Available != m.available {
		t.Fatalf("balance %+v, the model says pending %d, available %d", got, m.pending, m.available)
	}
}

// openURL returns a migrated database and the URL that names it, for the command line.
func openURL(t *testing.T, engine config.Engine) (string, *db.DB) {
	t.Helper()
	url := dbtest.URL(t, engine)
	d, err := db.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(context.Background(), time.Now); err != nil {
		t.Fatal(err)
	}
	return url, d
}

func runVerify(t *testing.T, url string) (int, string, string) {
	t.Helper()
	var out, errOut strings.Builder
	env := func(k string) (string, bool) {
		if k == "SETTLE_DATABASE_URL" {
			return url, true
		}
		return "", false
	}
	code := cli.Run(context.Background(), []string{"verify"}, cli.IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Env: env})
	return code, out.String(), errOut.String()
}

// TestVerifyCommandReportsTampering changes one posting behind the ledger's back and
// expects `settle verify` to fail naming the transaction, currency and amounts.
func TestVerifyCommandReportsTampering(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		url, d := openURL(t, engine)
		acct := newAccount(t, d, "owner@acme.test")
		record(t, d, ledger.NewTransaction{AccountID: acct, Type: ledger.TypeCharge, SourceID: "ch_a", Amount: usd(2000),
			SettlementFee: 88, AvailableOn: t0, CreatedAt: t0})
		ch := record(t, d, ledger.NewTransaction{AccountID: acct, Type: ledger.TypeCharge, SourceID: "ch_b", Amount: usd(10000),
			SettlementFee: 320, AvailableOn: t0, Hold: true, CreatedAt: t0})
		if code, out, errOut := runVerify(t, url); code != 0 {
			t.Fatalf("verify before tampering: exit %d: %s%s", code, out, errOut)
		}
		if _, err := d.Write.Exec(`UPDATE ledger_postings SET amount = 9000
			WHERE transaction_id = $1 AND ledger_account = 'processor:pending'`, ch.ID); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runVerify(t, url)
		want := fmt.Sprintf("balance transaction %d (charge ch_b) of account %d, ledger account processor:pending in USD: expected 9680, found 9000", ch.ID, acct)
		if code != 1 || !strings.Contains(errOut, want) {
			t.Fatalf("verify after tampering: exit %d\nstdout: %s\nstderr: %s\nwant the message to contain %q", code, out, errOut, want)
		}
	})
}
