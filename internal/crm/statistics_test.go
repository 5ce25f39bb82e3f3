package crm_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
)

// TestContactByEmailPlannedOnItsIndex: on PostgreSQL, the statement that creates a buyer's
// contact or finds it by email reads the email index once Optimize has run over contacts
// that outgrew the statistics of a new database. Without statistics (autovacuum off, or not
// come round yet), PostgreSQL judged every index of the account's contacts to yield one
// row, took the smallest, which is not the email index, and read every contact of the
// account for each payment. The plan is the generic one, as PostgreSQL comes to for a
// statement a pooled connection prepares and runs again and again.
func TestContactByEmailPlannedOnItsIndex(t *testing.T) {
	f := newFixture(t, config.Postgres)
	ctx := context.Background()
	if _, err := f.db.Write.ExecContext(ctx, `INSERT INTO crm_contacts (account_id, created_at, updated_at, email,
			hs_marketable_status, lifecyclestage)
		SELECT $1, now(), now(), 'buyer-23e11fb5-' || g || '@bench.example', true, 'customer'
		FROM generate_series(1, 12000) AS g`, f.acct); err != nil {
		t.Fatal(err)
	}
	if err := f.db.Optimize(ctx); err != nil {
		t.Fatalf("Optimize: %v", err)
	}
	query, args, err := f.svc.InsertFindingStatement(ctx, f.acct, "contacts", map[string]string{"email": "Buyer-23e11fb5-77@bench.example"})
	if err != nil {
		t.Fatal(err)
	}
	plan := prepareGeneric(t, f.db.Write, query).explain(t, args)
	var scans []string
	for _, line := range strings.Split(plan, "\n") {
		if strings.Contains(line, "Scan") && strings.Contains(line, "crm_contacts") {
			scans = append(scans, strings.TrimSpace(line))
		}
	}
	if len(scans) != 1 || !strings.Contains(scans[0], "crm_contacts_email_idx") {
		t.Errorf("the lookup reads %q; want the email index alone. Plan:\n%s", scans, plan)
	}
}

// preparedStatement is a statement prepared on a connection of its own, planned generically.
type preparedStatement struct{ conn *sql.Conn }

// prepareGeneric prepares query on a connection of pool that uses generic plans only.
func prepareGeneric(t *testing.T, pool *sql.DB, query string) preparedStatement {
	t.Helper()
	conn, err := pool.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	for _, q := range []string{`SET plan_cache_mode = force_generic_plan`, `PREPARE lookup AS ` + query} {
		if _, err := conn.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return preparedStatement{conn}
}

// explain is PostgreSQL's plan for the statement with args.
func (p preparedStatement) explain(t *testing.T, args []any) string {
	t.Helper()
	execute := make([]string, len(args))
	for i, a := range args {
		execute[i] = literal(t, a)
	}
	rows, err := p.conn.QueryContext(context.Background(), `EXPLAIN EXECUTE lookup(`+strings.Join(execute, ", ")+`)`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "\n")
}

// literal writes v, an argument of a statement, as an SQL literal (EXECUTE in EXPLAIN takes
// no parameters).
func literal(t *testing.T, v any) string {
	t.Helper()
	switch v := v.(type) {
	case nil:
		return "NULL"
	case string:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case time.Time:
		return "'" + v.Format(time.RFC3339Nano) + "'"
	case int64, int, bool:
		return fmt.Sprint(v)
	default:
		t.Fatalf("no literal for %T", v)
		return ""
	}
}
