package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
)

// TestStatisticsJobAnalyzesGrownTables: on PostgreSQL a running server gathers planner
// statistics for a table that outgrew them after the job's run at start, within its next
// rounds, whether or not autovacuum runs.
func TestStatisticsJobAnalyzesGrownTables(t *testing.T) {
	a := apptest.New(t, config.Postgres)
	ctx := context.Background()
	waitFor(t, "the statistics job's run at start", func() bool {
		var n int
		if err := a.DB.Read.QueryRowContext(ctx, `SELECT count(*) FROM river_job WHERE kind = 'statistics' AND state = 'completed'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n > 0
	})
	if _, err := a.DB.Write.ExecContext(ctx, `ALTER TABLE crm_contacts SET (autovacuum_enabled = false)`); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.Write.ExecContext(ctx, `INSERT INTO crm_contacts (account_id, created_at, updated_at, email)
		SELECT (SELECT min(id) FROM accounts), now(), now(), 'buyer-' || g || '@example.com' FROM generate_series(1, 5000) AS g`); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "statistics for 5,000 new contacts", func() bool {
		var rows float64
		if err := a.DB.Read.QueryRowContext(ctx, `SELECT reltuples FROM pg_class WHERE relname = 'crm_contacts'`).Scan(&rows); err != nil {
			t.Fatal(err)
		}
		return rows >= 4000
	})
}

// waitFor polls done until it holds, for at most 30 s.
func waitFor(t *testing.T, what string, done func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !done(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s after 30 s", what)
		}
	}
}
