package dbtest

import (
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
)

// BulkContacts inserts n contacts named lastname, created at, into the account in one
// statement: searches over thousands of records without thousands of writes.
func BulkContacts(t testing.TB, d *db.DB, accountID int64, at time.Time, n int, lastname string) {
	t.Helper()
	sql := `INSERT INTO crm_contacts (account_id, created_at, updated_at, lastname)
		SELECT $1, CAST($2 AS TIMESTAMPTZ), CAST($2 AS TIMESTAMPTZ), CAST($3 AS TEXT) FROM generate_series(1, $4)`
	if d.Engine == config.SQLite {
		sql = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $4)
			INSERT INTO crm_contacts (account_id, created_at, updated_at, lastname) SELECT $1, $2, $2, $3 FROM n`
	}
	if _, err := d.Write.Exec(sql, accountID, at, lastname, n); err != nil {
		t.Fatal(err)
	}
}
