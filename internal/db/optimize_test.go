package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// TestOptimizeGathersStatistics: Optimize leaves query planner statistics for an indexed
// table that had none, and a second call, with nothing grown, succeeds.
func TestOptimizeGathersStatistics(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		d := dbtest.Open(t, engine)
		ctx := context.Background()
		createSample(t, d, "opt_sample", 10000)
		if err := d.Optimize(ctx); err != nil {
			t.Fatalf("Optimize: %v", err)
		}
		if engine == config.SQLite {
			var stat string
			if err := d.Read.QueryRowContext(ctx, `SELECT stat FROM sqlite_stat1 WHERE tbl = 'opt_sample' AND idx = 'opt_sample_k'`).Scan(&stat); err != nil {
				t.Fatalf("no statistics for opt_sample_k after Optimize: %v", err)
			}
			if stat == "" || stat[0] == '0' {
				t.Errorf("opt_sample_k's statistics: %q", stat)
			}
		} else if rows := pgEstimate(t, d, "opt_sample"); rows < 8000 || rows > 12000 {
			t.Errorf("opt_sample's estimated rows after Optimize: %.0f, want about 10000", rows)
		}
		if err := d.Optimize(ctx); err != nil {
			t.Fatalf("Optimize again: %v", err)
		}
	})
}

// TestOptimizePostgresAnalyzesWhatOutgrewItsStatistics: on PostgreSQL, Optimize analyzes a
// table without statistics and one that has grown tenfold since its last analysis, and
// leaves alone a table too small to matter and one that has grown less.
func TestOptimizePostgresAnalyzesWhatOutgrewItsStatistics(t *testing.T) {
	d := dbtest.Open(t, config.Postgres)
	ctx := context.Background()
	createSample(t, d, "opt_grown", 8000)
	createSample(t, d, "opt_steady", 8000)
	for _, table := range []string{"opt_grown", "opt_steady"} {
		if _, err := d.Write.ExecContext(ctx, "ANALYZE "+table); err != nil {
			t.Fatal(err)
		}
	}
	createSample(t, d, "opt_tiny", 50)
	createSample(t, d, "opt_new", 10000)
	if _, err := d.Write.ExecContext(ctx, `INSERT INTO opt_grown (id, k) SELECT g, g % 7 FROM generate_series(8001, 90000) AS g`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Write.ExecContext(ctx, `INSERT INTO opt_steady (id, k) SELECT g, g % 7 FROM generate_series(8001, 40000) AS g`); err != nil {
		t.Fatal(err)
	}
	lastAnalyze := func(table string) *time.Time {
		var last *time.Time
		if err := d.Read.QueryRowContext(ctx, `SELECT last_analyze FROM pg_stat_user_tables WHERE relname = $1`, table).Scan(&last); err != nil {
			t.Fatal(err)
		}
		return last
	}
	want := map[string]bool{"opt_new": true, "opt_grown": true, "opt_steady": false, "opt_tiny": false}
	before := map[string]*time.Time{}
	for table := range want {
		before[table] = lastAnalyze(table)
	}
	if err := d.Optimize(ctx); err != nil {
		t.Fatalf("Optimize: %v", err)
	}
	for table, analyzed := range want {
		after := lastAnalyze(table)
		if got := after != nil && (before[table] == nil || after.After(*before[table])); got != analyzed {
			t.Errorf("%s analyzed by Optimize: %v, want %v (last_analyze %v, then %v)", table, got, analyzed, before[table], after)
		}
	}
	if rows := pgEstimate(t, d, "opt_grown"); rows < 80000 {
		t.Errorf("opt_grown's estimated rows after Optimize: %.0f, want about 90000", rows)
	}
}

// createSample creates table (id, k) with an index on k and n rows. On PostgreSQL,
// autovacuum leaves the table alone, so that only Optimize analyzes it.
func createSample(t *testing.T, d *db.DB, table string, n int) {
	t.Helper()
	insert := `INSERT INTO ` + table + ` (id, k) SELECT g, g % 7 FROM generate_series(1, $1) AS g`
	options := ` WITH (autovacuum_enabled = false)`
	if d.Engine == config.SQLite {
		options = ""
		insert = `WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < $1)
			INSERT INTO ` + table + ` (id, k) SELECT i, i % 7 FROM g`
	}
	for _, q := range []string{`CREATE TABLE ` + table + ` (id INTEGER PRIMARY KEY, k INTEGER NOT NULL)` + options,
		`CREATE INDEX ` + table + `_k ON ` + table + ` (k)`} {
		if _, err := d.Write.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.Write.Exec(insert, n); err != nil {
		t.Fatal(err)
	}
}

// pgEstimate is the number of rows PostgreSQL's statistics give table.
func pgEstimate(t *testing.T, d *db.DB, table string) float64 {
	t.Helper()
	var rows float64
	if err := d.Read.QueryRow(`SELECT reltuples FROM pg_class WHERE relname = $1`, table).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	return rows
}
