package ledger_test

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"runtime/metrics"
	"syscall"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/ledger"
)

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRecordChargeWithFee records one charge with its fee (a balance transaction and
// its three postings) per operation, a thousand to a transaction. cpu-µs/op is the whole
// process's CPU time per charge, which on SQLite includes the database engine itself.
func BenchmarkRecordChargeWithFee(b *testing.B) {
	for _, engine := range dbtest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			ctx := context.Background()
			d := dbtest.Open(b, engine)
			acct := newAccount(b, d, "bench@acme.test")
			l := ledgerOf(b, d)
			n := ledger.NewTransaction{AccountID: acct, Type: ledger.TypeCharge, SourceID: "ch_bench", Amount: usd(4999),
				SettlementFee: 175, AvailableOn: t0, Hold: true, CreatedAt: t0}
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpuTime()
			for done := 0; done < b.N; {
				batch := min(1000, b.N-done)
				err := d.InTx(ctx, func(tx *sql.Tx) error {
					for range batch {
						if _, err := l.Record(ctx, tx, n); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				done += batch
			}
			b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}

// BenchmarkVerify verifies ledgers of 100,000 and 1,000,000 balance transactions (four
// million postings), reporting the peak of the live heap while it runs: it stays the same
// whatever the size, because Verify streams.
func BenchmarkVerify(b *testing.B) {
	for _, engine := range dbtest.Engines(b) {
		for _, size := range []int{100_000, 1_000_000} {
			b.Run(fmt.Sprintf("%s/%dk", engine, size/1000), func(b *testing.B) { benchVerify(b, engine, size) })
		}
	}
}

func benchVerify(b *testing.B, engine config.Engine, size int) {
	ctx := context.Background()
	d := dbtest.Open(b, engine)
	acct := newAccount(b, d, "bench@acme.test")
	seed(b, d, acct, size)
	b.ResetTimer()
	for range b.N {
		peak, err := peakHeapDuring(func() error {
			r, err := ledger.Verify(ctx, d)
			if err == nil && r.Transactions != int64(size) {
				err = fmt.Errorf("verified %d transactions, want %d", r.Transactions, size)
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	}
}

// peakHeapDuring runs fn, sampling the bytes of live and not yet swept heap objects every
// few milliseconds (runtime/metrics, which does not stop the world), and returns the
// largest sample above what was in use before.
func peakHeapDuring(fn func() error) (uint64, error) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	peak := base
	done := make(chan struct{})
	sampled := make(chan uint64)
	go func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				sampled <- peak
				return
			case <-t.C:
				peak = max(peak, read())
			}
		}
	}()
	err := fn()
	close(done)
	return <-sampled - base, err
}

// seed writes size charges of distinct amounts, each with its fee and three postings, in
// bulk: as Record writes them, without going through it a million times.
func seed(b *testing.B, d *db.DB, acct int64, size int) {
	b.Helper()
	const series = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2) `
	statements := []string{
		series + `INSERT INTO balance_transactions (id, account_id, type, source_id, currency, amount, fee, net,
			settlement_currency, settlement_amount, settlement_fee, settlement_net, rate, available_on, held, created_at)
			SELECT i, $1, 'charge', 'ch_' || i, 'USD', 1000 + i % 5000, 30 + i % 100, 970 + i % 5000 - i % 100,
			'USD', 1000 + i % 5000, 30 + i % 100, 970 + i % 5000 - i % 100, '', '2026-12-24', FALSE, $3 FROM n`,
		series + `INSERT INTO ledger_postings (transaction_id, account_id, entry, ledger_account, currency, amount)
			SELECT i, $1, 'create', 'charges', 'USD', -(1000 + i % 5000) FROM n`,
		series + `INSERT INTO ledger_postings (transaction_id, account_id, entry, ledger_account, currency, amount)
			SELECT i, $1, 'create', 'fees', 'USD', 30 + i % 100 FROM n`,
		series + `INSERT INTO ledger_postings (transaction_id, account_id, entry, ledger_account, currency, amount)
			SELECT i, $1, 'create', 'processor:available', 'USD', 970 + i % 5000 - i % 100 FROM n`,
	}
	for i, s := range statements {
		args := []any{acct, size}
		if i == 0 {
			args = append(args, t0)
		}
		if _, err := d.Write.Exec(s, args...); err != nil {
			b.Fatalf("seed: %v", err)
		}
	}
	maintenance := `PRAGMA wal_checkpoint(TRUNCATE)` // as the automatic checkpoints leave a running database
	if d.Engine == config.Postgres {
		maintenance = `VACUUM ANALYZE`
	}
	if _, err := d.Write.Exec(maintenance); err != nil {
		b.Fatal(err)
	}
}
