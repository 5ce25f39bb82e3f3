package dbtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// TestMigratedCopiesStandApart: databases copied from one template start migrated, and a
// write to one is not seen in another.
func TestMigratedCopiesStandApart(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		first, second := dbtest.Open(t, engine), dbtest.Open(t, engine)
		for _, d := range []*db.DB{first, second} {
			applied, err := d.Migrate(ctx, time.Now)
			if err != nil || len(applied) != 0 {
				t.Fatalf("migrating a copy applied %d migrations (%v), want none", len(applied), err)
			}
		}
		if _, err := first.Write.ExecContext(ctx, `CREATE TABLE only_here (k INTEGER)`); err != nil {
			t.Fatal(err)
		}
		var n int
		err := second.Read.QueryRowContext(ctx, `SELECT count(*) FROM only_here`).Scan(&n)
		if err == nil {
			t.Fatal("a table created in one copy is in the other")
		}
		if err := first.Read.QueryRowContext(ctx, `SELECT count(*) FROM accounts`).Scan(&n); err != nil {
			t.Fatalf("the copy has no accounts table: %v", err)
		}
	})
}
