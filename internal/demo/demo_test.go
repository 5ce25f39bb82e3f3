package demo_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/app"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/demo"
	"github.com/settlehq/settle/internal/ledger"
	"github.com/settlehq/settle/internal/payment"
)

// filled opens a Settle on a fresh database of engine, with the demo's clock, and fills
// its first account with n payments.
func filled(t *testing.T, engine config.Engine, n int, seed uint64) (*app.App, demo.Result) {
	t.Helper()
	ctx := context.Background()
	c := demo.NewClock(clock.System{}.Now())
	cfg := config.Config{DatabaseURL: dbtest.URL(t, engine), BaseURL: "http://settle.test", AccountCountry: "US"}
	a, err := app.Open(ctx, cfg, slog.New(slog.DiscardHandler), app.Options{Clock: c})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	first, err := a.Bootstrap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	workers := 1
	if engine == config.Postgres {
		workers = 3 // batches written at once, as settle demo does on PostgreSQL
	}
	res, err := demo.Fill(ctx, demo.Deps{DB: a.DB, Clock: c, Auth: a.Auth, CRM: a.CRM, Payments: a.Payments,
		Checkout: a.Checkout, Invoices: a.Invoices, Schedule: a.Schedule}, first.Account.ID,
		demo.Options{Payments: n, Seed: seed, Batch: 100, Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	if now := time.Now(); c.Now().Before(now.Add(-time.Minute)) || c.Now().After(now.Add(time.Minute)) {
		t.Errorf("the clock is left at %s, not now", c.Now())
	}
	return a, res
}

// TestDemoFillsAYear fills an account with 1,200 payments on each engine and checks what a
// person trying Settle would look at: every payment is there, spread over the year, by
// every way and method, in every status a year brings; the buyers, their companies,
// deals, invoices and refunds exist and are linked; nothing is left queued; the ledger
// adds up.
func TestDemoFillsAYear(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a, res := filled(t, engine, 1200, 7)
		if res.Payments != 1200 || res.Links != 6 || res.Companies < 2 || res.Contacts < res.Companies*5 || res.Deals == 0 ||
			res.Invoices == 0 || res.Refunds == 0 {
			t.Errorf("result %+v", res)
		}
		ctx := context.Background()
		report, err := ledger.Verify(ctx, a.DB)
		if err != nil {
			t.Fatalf("ledger: %v", err)
		}
		if report.Transactions == 0 {
			t.Error("no balance transactions")
		}
		checkPayments(t, a, res)
	})
}

// groups counts the account's payments by the value of column.
func groups(t *testing.T, a *app.App, column string) map[string]int {
	t.Helper()
	rows, err := a.DB.Read.QueryContext(context.Background(), `SELECT COALESCE(`+column+`, ''), count(*) FROM crm_payments GROUP BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var v string
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			t.Fatal(err)
		}
		out[v] = n
	}
	return out
}

// count runs a count query.
func count(t *testing.T, a *app.App, query string, args ...any) int {
	t.Helper()
	var n int
	if err := a.DB.Read.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// has reports which of want are missing from got.
func missing(got map[string]int, want ...string) []string {
	var out []string
	for _, w := range want {
		if got[w] == 0 {
			out = append(out, w)
		}
	}
	return out
}

// checkPayments checks the payments a demo wrote, as a person looking through them would.
func checkPayments(t *testing.T, a *app.App, res demo.Result) {
	t.Helper()
	if n := count(t, a, `SELECT count(*) FROM crm_payments`); n != res.Payments {
		t.Errorf("%d payments stored, %d reported", n, res.Payments)
	}
	status := groups(t, a, "hs_latest_status")
	if m := missing(status, "succeeded", "failed", "refunded", "partially_refunded", "disputed_action_required"); m != nil {
		t.Errorf("no payment is %v: %v", m, status)
	}
	if status["disputed_action_required"] > res.Disputed || status["failed"] < res.Failed/2 {
		t.Errorf("statuses %v for %d dispute cards and %d failing debits", status, res.Disputed, res.Failed)
	}
	for column, want := range map[string][]string{
		"hs_payment_method_type": {"card", "ach", "sepa", "bacs", "pads"},
		"hs_processor_type":      {"hs_payments", "quickbooks", "xero"},
		"hs_payment_source_app":  {"SALES_CHECKOUT", "INVOICE"},
		"hs_currency_code":       {"USD", "EUR", "GBP", "CAD"},
	} {
		if m := missing(groups(t, a, column), want...); m != nil {
			t.Errorf("no payment has %s %v", column, m)
		}
	}
	checkYear(t, a)
	if n := count(t, a, `SELECT count(*) FROM crm_payments p WHERE NOT EXISTS (SELECT 1 FROM crm_associations s
		WHERE s.account_id = p.account_id AND s.from_type = $1 AND s.from_id = p.id AND s.to_type = 'contacts')`, payment.Type); n != 0 {
		t.Errorf("%d payments without a contact", n)
	}
	if n := count(t, a, `SELECT count(*) FROM crm_invoices WHERE hs_invoice_status = 'open'`); n == 0 {
		t.Error("no invoice is left open")
	}
	if n := count(t, a, `SELECT count(*) FROM payment_event_queue`); n != 0 {
		t.Errorf("%d payment events still queued", n)
	}
	if n := count(t, a, `SELECT count(*) FROM schedule WHERE done_at IS NULL AND due_at <= $1`, time.Now().UTC()); n != 0 {
		t.Errorf("%d pieces of scheduled work due and not done", n)
	}
}

// checkYear checks the payments are spread over the last year.
func checkYear(t *testing.T, a *app.App) {
	t.Helper()
	var first, last time.Time
	for _, q := range []struct {
		order string
		into  *time.Time
	}{{"ASC", &first}, {"DESC", &last}} {
		err := a.DB.Read.QueryRowContext(context.Background(), `SELECT hs_initiated_date FROM crm_payments
			ORDER BY hs_initiated_date `+q.order+` LIMIT 1`).Scan(q.into)
		if err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	if first.Before(now.AddDate(0, 0, -366)) || first.After(now.AddDate(0, 0, -360)) || last.Before(now.AddDate(0, 0, -3)) || last.After(now) {
		t.Errorf("payments from %s to %s, not over the last year", first, last)
	}
}
