package ledger_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/ledger"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
)

func TestChargeIsHeldThenReleased(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		d, acct := open(t, engine)
		l := ledgerOf(t, d)
		ch := record(t, d, ledger.NewTransaction{AccountID: acct, Type: ledger.TypeCharge, SourceID: "ch_1",
			Amount: usd(10000), SettlementFee: 320, AvailableOn: t0.AddDate(0, 0, 5), Hold: true, CreatedAt: t0})
		if ch.Net != 9680 || ch.Fee != 320 || ch.SettlementNet != 9680 || ch.SettlementCurrency != "USD" || ch.Rate != "" {
			t.Fatalf("charge = %+v", ch)
		}
		if b := balance(t, d, acct)["USD"]; b.Pending != 9680 || b.Available != 0 {
			t.Fatalf("balance after the charge = %+v, want 96.80 pending", b)
		}
		for range 2 { // a second release changes nothing
			inTx(t, d, func(tx *sql.Tx) error { return l.Release(ctx, tx, acct, ch.ID) })
		}
		if b := balance(t, d, acct)["USD"]; b.Pending != 0 || b.Available != 9680 {
			t.Fatalf("balance after release = %+v, want 96.80 available", b)
		}
		r := mustVerify(t, d)
		if r.Transactions != 1 || r.Postings != 5 {
			t.Fatalf("verify read %+v, want 1 transaction and 5 postings", r)
		}
	})
}

func TestChargeInAnotherCurrency(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		d, acct := open(t, engine)
		ch := record(t, d, ledger.NewTransaction{AccountID: acct, Type: ledger.TypeCharge, SourceID: "ch_fx",
			Amount: money.Amount{Minor: 10000, Currency: "EUR"}, SettlementCurrency: "USD", Rate: money.MustRate("1.0837"),
			SettlementFee: 344, AvailableOn: t0, CreatedAt: t0})
		want := ledger.Transaction{Currency: "EUR", Amount: 10000, Fee: 317, Net: 9683, SettlementCurrency: "USD",
			SettlementAmount: 10837, SettlementFee: 344, SettlementNet: 10493, Rate: "1.0837"}
		got := ledger.Transaction{Currency: ch.Currency, Amount: ch.Amount, Fee: ch.Fee, Net: ch.Net,
			SettlementCurrency: ch.SettlementCurrency, SettlementAmount: ch.SettlementAmount, SettlementFee: ch.SettlementFee,
			SettlementNet: ch.SettlementNet, Rate: ch.Rate}
		if got != want {
			t.Fatalf("charge = %+v, want %+v", got, want)
		}
		if b := balance(t, d, acct); b["USD"].Available != 10493 || b["EUR"].Available != 0 {
			t.Fatalf("balance = %+v", b)
		}
		mustVerify(t, d)
	})
}

func TestRecordRefusesBadInput(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		d, acct := open(t, engine)
		l := ledgerOf(t, d)
		cases := []struct {
			name string
			n    ledger.NewTransaction
			code string
		}{
			{"unknown type", ledger.NewTransaction{Type: "gift", Amount: usd(1)}, "INVALID_OPTION"},
			{"negative charge", ledger.NewTransaction{Type: ledger.TypeCharge, Amount: usd(-1)}, "INVALID_SIGN"},
			{"zero charge", ledger.NewTransaction{Type: ledger.TypeCharge, Amount: usd(0)}, "INVALID_SIGN"},
			{"positive refund", ledger.NewTransaction{Type: ledger.TypeRefund, Amount: usd(5)}, "INVALID_SIGN"},
			{"unknown currency", ledger.NewTransaction{Type: ledger.TypeCharge, Amount: money.Amount{Minor: 1, Currency: "XYZ"}}, "INVALID_CURRENCY"},
			{"negative fee", ledger.NewTransaction{Type: ledger.TypeCharge, Amount: usd(5), SettlementFee: -1}, "NEGATIVE"},
			{"no rate", ledger.NewTransaction{Type: ledger.TypeCharge, Amount: usd(5), SettlementCurrency: "EUR"}, "REQUIRED"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				tc.n.AccountID, tc.n.CreatedAt, tc.n.AvailableOn = acct, t0, t0
				err := d.InTx(ctx, func(tx *sql.Tx) error {
					_, err := l.Record(ctx, tx, tc.n)
					return err
				})
				var inv *problem.InvalidError
				if !errors.As(err, &inv) || inv.Fields[0].Code != tc.code {
					t.Fatalf("Record = %v, want an invalid input error %s", err, tc.code)
				}
			})
		}
		if r := mustVerify(t, d); r.Transactions != 0 || r.Postings != 0 {
			t.Fatalf("refused transactions left rows: %+v", r)
		}
	})
}

func TestPayoutsAndDebits(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		d, acct := open(t, engine)
		l := ledgerOf(t, d)
		tomorrow := t0.AddDate(0, 0, 1)
		record(t, d, ledger.NewTransaction{AccountID: acct, Type: ledger.TypeCharge, SourceID: "ch_1", Amount: usd(5000),
			SettlementFee: 175, AvailableOn: t0, CreatedAt: t0})
		held := record(t, d, ledger.NewTransaction{AccountID: acct, Type: ledger.TypeCharge, SourceID: "ch_2", Amount: usd(1000),
			SettlementFee: 59, AvailableOn: t0, Hold: true, CreatedAt: t0})
		record(t, d, ledger.NewTransaction{AccountID: acct, Type: ledger.TypeRefund, SourceID: "re_1", Amount: usd(-1000),
			AvailableOn: t0, CreatedAt: t0})
		record(t, d, ledger.NewTransaction{AccountID: acct, Type: ledger.TypeCharge, SourceID: "ch_later", Amount: usd(700),
			AvailableOn: tomorrow, CreatedAt: t0})
		payout := func(through string) (ledger.Payout, error) {
			var p ledger.Payout
			day, _ := time.Parse(time.DateOnly, through)
			err := d.InTx(ctx, func(tx *sql.Tx) error {
				var err error
				p, err = l.CreatePayout(ctx, tx, ledger.NewPayout{AccountID: acct, Currency: "USD", Through: day,
					ArrivalDate: day, CreatedAt: t0})
				return err
			})
			return p, err
		}
		p, err := payout("2026-12-24")
		if err != nil || p.Amount != 5000-175-1000 {
			t.Fatalf("payout = %+v, %v; want 38.25 (the held charge is not released yet, tomorrow's not available)", p, err)
		}
		inTx(t, d, func(tx *sql.Tx) error { return l.Release(ctx, tx, acct, held.ID) })
		record(t, d, ledger.NewTransaction{AccountID: acct, Type: ledger.TypeDisputeWithdrawal, SourceID: "dp_1",
			Amount: usd(-5000), AvailableOn: t0, CreatedAt: t0})
		debit, err := payout("2026-12-24")
		if err != nil || debit.Amount != 941-5000 {
			t.Fatalf("debit = %+v, %v; want -40.59", debit, err)
		}
		if _, err := payout("2026-12-24"); !errors.Is(err, ledger.ErrNothingToPay) {
			t.Fatalf("a third payout: %v, want ErrNothingToPay", err)
		}
		paid, err := ledger.List(ctx, d.Read, ledger.ListParams{AccountID: acct, PayoutID: debit.ID})
		if err != nil || len(paid) != 3 || paid[2].Type != ledger.TypePayoutDebit || paid[2].Amount != 4059 {
			t.Fatalf("the debit's transactions: %+v, %v", paid, err)
		}
		if r := mustVerify(t, d); r.Payouts != 2 {
			t.Fatalf("verify read %+v", r)
		}
	})
}

func TestVerifyFindsTampering(t *testing.T) {
	cases := []struct {
		name   string
		tamper string
		want   []string
	}{
		{"posting amount changed", `UPDATE ledger_postings SET amount = amount + 1 WHERE ledger_account = 'fees'`,
			[]string{"(charge ch_1)", "ledger account fees in USD: expected 320, found 321"}},
		{"posting deleted", `DELETE FROM ledger_postings WHERE ledger_account = 'charges'`,
			[]string{"(charge ch_1)", "ledger account charges in USD: expected -10000, found 0"}},
		{"net changed", `UPDATE balance_transactions SET net = net - 1 WHERE source_id = 'ch_1'`,
			[]string{"net is not amount minus fee", "expected 9680, found 9679"}},
		{"posting moved to another currency", `UPDATE ledger_postings SET currency = 'EUR' WHERE ledger_account = 'fees'`,
			[]string{"ledger account fees in USD: expected 320, found 0"}},
		{"payout inflated", `UPDATE payouts SET amount = amount + 100`,
			[]string{"payout amount is not the sum", "expected 9680, found 9780"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
				ctx := context.Background()
				d, acct := open(t, engine)
				l := ledgerOf(t, d)
				record(t, d, ledger.NewTransaction{AccountID: acct, Type: ledger.TypeCharge, SourceID: "ch_1", Amount: usd(10000),
					SettlementFee: 320, AvailableOn: t0, CreatedAt: t0})
				inTx(t, d, func(tx *sql.Tx) error {
					_, err := l.CreatePayout(ctx, tx, ledger.NewPayout{AccountID: acct, Currency: "USD", Through: t0, ArrivalDate: t0, CreatedAt: t0})
					return err
				})
				mustVerify(t, d)
				if _, err := d.Write.ExecContext(ctx, tc.tamper); err != nil {
					t.Fatal(err)
				}
				_, err := ledger.Verify(ctx, d)
				var disc *ledger.Discrepancy
				if !errors.As(err, &disc) {
					t.Fatalf("verify after tampering: %v, want a discrepancy", err)
				}
				for _, w := range tc.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("discrepancy %q does not say %q", err, w)
					}
				}
			})
		})
	}
}
