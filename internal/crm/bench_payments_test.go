package crm_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/bench"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// BenchmarkSearchPayments runs the searches of `settle bench --scenario search` — status and
// amount sorted by date, two statuses sorted by amount, method and date, a buyer's email,
// each with its total (counted up to 10,000, so matches/op is at most that) — over an
// account of 1,000,000 payments (SETTLE_BENCH_PAYMENTS
// says otherwise), loaded once in SQL and kept like the contacts of BenchmarkSearchContacts:
//
//	SETTLE_TEST_DATABASE_URL=… go test ./internal/crm -run '^$' -bench SearchPayments -benchtime 400x
//
// It calls crm.Service.Search, as the API does, and reports p50 and p95 per shape and over
// all four.
func BenchmarkSearchPayments(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("SETTLE_BENCH_PAYMENTS")); err == nil && v > 0 {
		n = v
	}
	for _, engine := range dbtest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			svc, acct := paymentsAccount(b, engine, n)
			for shape := range 4 {
				b.Run(fmt.Sprintf("shape%d", shape), func(b *testing.B) {
					measurePaymentSearch(b, svc, acct, func(i int) int { return 4*i + shape })
				})
			}
			b.Run("all", func(b *testing.B) { measurePaymentSearch(b, svc, acct, func(i int) int { return i }) })
		})
	}
}

// measurePaymentSearch runs b.N searches, the ith being bench.SearchBody(nth(i)).
func measurePaymentSearch(b *testing.B, svc *crm.Service, acct int64, nth func(int) int) {
	var took []time.Duration
	total := 0
	b.ResetTimer()
	for i := range b.N {
		req := parse(bench.SearchBody(nth(i)))
		start := time.Now()
		res, err := svc.Search(context.Background(), acct, "commerce_payments", req)
		took = append(took, time.Since(start))
		if err != nil || len(res.Results) == 0 {
			b.Fatalf("search %d: %d results, %v", nth(i), len(res.Results), err)
		}
		total += res.Total
	}
	b.StopTimer()
	reportLatency(b, took)
	b.ReportMetric(float64(total)/float64(b.N), "matches/op")
}

// paymentsAccount opens (and on first use fills) the payment search benchmark's database.
func paymentsAccount(b *testing.B, engine config.Engine, n int) (*crm.Service, int64) {
	d, svc, acct := openBench(b, engine, "payments", n)
	if !empty(b, d, "crm_payments") {
		// Statistics for indexes a migration made since the data was loaded, as the
		// server's statistics job gathers them at start.
		if err := d.Optimize(context.Background()); err != nil {
			b.Fatal(err)
		}
		return svc, acct
	}
	b.Logf("loading %d payments on %s (once)…", n, engine)
	start := time.Now()
	if _, err := d.Write.Exec(fillPaymentsSQL(engine), n); err != nil {
		b.Fatal(err)
	}
	if err := analyze(d); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded in %s", time.Since(start).Round(time.Second))
	return svc, acct
}

// analyze gathers the statistics a server would have on the loaded data: SQLite's from its
// statistics job (db.Optimize), PostgreSQL's from autovacuum (ANALYZE).
func analyze(d *db.DB) error {
	if d.Engine == config.SQLite {
		return d.Optimize(context.Background())
	}
	_, err := d.Write.Exec(`ANALYZE`)
	return err
}

// fillPaymentsSQL inserts the payments: a year of them up to the time of loading, 88 %
// succeeded and the rest refunded, partly refunded, failed, processing or disputed; 80 % by
// card; amounts from 5 to 2,000; each of 100,000 buyers paying ten times.
func fillPaymentsSQL(engine config.Engine) string {
	const cols = `account_id, created_at, updated_at, hs_initiated_date, hs_initial_amount, hs_currency_code,
		hs_customer_email, hs_latest_status, hs_payment_method_type, hs_processor_type`
	status := `CASE WHEN i % 50 < 44 THEN 'succeeded' WHEN i % 50 < 46 THEN 'refunded' WHEN i % 50 = 46 THEN 'partially_refunded'
		WHEN i % 50 = 47 THEN 'failed' WHEN i % 50 = 48 THEN 'processing' ELSE 'disputed_action_required' END`
	method := `CASE WHEN i % 20 < 16 THEN 'card' WHEN i % 20 < 18 THEN 'ach' WHEN i % 20 = 18 THEN 'sepa' ELSE 'bacs' END`
	values := `(5 + (CAST(i AS BIGINT) * 7919) % 1996) * 1000000 + (i % 100) * 10000, 'USD', 'buyer' || (i % 100000) || '@example.com', ` +
		status + `, ` + method + `, 'hs_payments'`
	if engine == config.Postgres {
		return `INSERT INTO crm_payments (` + cols + `)
			SELECT (SELECT id FROM accounts WHERE name = 'Bench'), ts, ts, ts, ` + values + `
			FROM (SELECT i, now() - interval '365 days' + i * (interval '1 second' * 31536000 / $1) AS ts
			      FROM generate_series(1, $1) AS i) g`
	}
	return `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
		INSERT INTO crm_payments (` + cols + `)
		SELECT (SELECT id FROM accounts WHERE name = 'Bench'), ts, ts, ts, ` + values + `
		FROM (SELECT i, strftime('%Y-%m-%d %H:%M:%S', unixepoch('now') - 31536000 + i * 31536000 / $1, 'unixepoch') || '+00:00' AS ts FROM n)`
}
