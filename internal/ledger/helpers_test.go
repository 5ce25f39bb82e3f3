package ledger_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/ledger"
	"github.com/settlehq/settle/internal/money"
)

var t0 = time.Date(2026, 12, 24, 15, 0, 0, 0, time.UTC)

// newAccount adds an account to d and returns its id.
func newAccount(t testing.TB, d *db.DB, email string) int64 {
	t.Helper()
	svc := auth.NewService(d, &clock.Fixed{T: t0})
	acct, _, err := svc.CreateAccount(context.Background(), auth.FirstRun{AccountName: "Acme", Country: "US",
		Admin: auth.NewUser{Email: email, Password: "a long password"}})
	if err != nil {
		t.Fatal(err)
	}
	return acct.ID
}

func open(t *testing.T, engine config.Engine) (*db.DB, int64) {
	t.Helper()
	d := dbtest.Open(t, engine)
	return d, newAccount(t, d, "owner@acme.test")
}

func inTx(t testing.TB, d *db.DB, fn func(tx *sql.Tx) error) {
	t.Helper()
	if err := d.InTx(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func usd(n int64) money.Amount { return money.Amount{Minor: n, Currency: "USD"} }

func record(t testing.TB, d *db.DB, n ledger.NewTransaction) ledger.Transaction {
	t.Helper()
	var out ledger.Transaction
	l := ledgerOf(t, d) // prepared outside the transaction: SQLite writes through one connection
	inTx(t, d, func(tx *sql.Tx) error {
		var err error
		out, err = l.Record(context.Background(), tx, n)
		return err
	})
	return out
}

func balance(t testing.TB, d *db.DB, accountID int64) map[string]ledger.BalanceLine {
	t.Helper()
	lines, err := ledger.Balance(context.Background(), d.Read, accountID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]ledger.BalanceLine{}
	for _, l := range lines {
		out[l.Currency] = l
	}
	return out
}

func mustVerify(t testing.TB, d *db.DB) ledger.Report {
	t.Helper()
	r, err := ledger.Verify(context.Background(), d)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return r
}

// ledgerOf prepares a ledger over d.
func ledgerOf(t testing.TB, d *db.DB) *ledger.Ledger {
	t.Helper()
	l, err := ledger.New(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
