package db_test

import (
	"context"
	"testing"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// TestOptimizeGathersStatistics: on SQLite, Optimize leaves the query planner statistics of
// an indexed table that had none; on PostgreSQL, whose autovacuum keeps them, it does
// nothing and succeeds.
func TestOptimizeGathersStatistics(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		d := dbtest.Open(t, engine)
		ctx := context.Background()
		for _, q := range []string{`CREATE TABLE opt_sample (id INTEGER PRIMARY KEY, k INTEGER NOT NULL)`,
			`CREATE INDEX opt_sample_k ON opt_sample (k)`,
			`INSERT INTO opt_sample (id, k) SELECT g, g % 7 FROM generate_series(1, 5000) AS g`} {
			if engine == config.SQLite && q[0] == 'I' {
				q = `WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 5000)
					INSERT INTO opt_sample (id, k) SELECT i, i % 7 FROM g`
			}
			if _, err := d.Write.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.Optimize(ctx); err != nil {
			t.Fatalf("Optimize: %v", err)
		}
		if engine != config.SQLite {
			return
		}
		var stat string
		if err := d.Read.QueryRowContext(ctx, `SELECT stat FROM sqlite_stat1 WHERE tbl = 'opt_sample' AND idx = 'opt_sample_k'`).Scan(&stat); err != nil {
			t.Fatalf("no statistics for opt_sample_k after Optimize: %v", err)
		}
		if stat == "" || stat[0] == '0' {
			t.Errorf("opt_sample_k's statistics: %q", stat)
		}
		if err := d.Optimize(ctx); err != nil {
			t.Fatalf("Optimize again: %v", err)
		}
	})
}
