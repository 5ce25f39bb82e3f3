package db_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// TestNestedInTxJoinsTheOuterTransaction: an InTx under WithTx writes in the outer
// transaction; its failure undoes only its own writes; nothing is visible before the outer
// commit, and an outer rollback undoes everything.
func TestNestedInTxJoinsTheOuterTransaction(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		d := dbtest.Open(t, engine)
		if _, err := d.Write.Exec(`CREATE TABLE n (k TEXT PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		insert := func(ctx context.Context, k string, fail bool) error {
			return d.InTx(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO n (k) VALUES ($1)`, k); err != nil {
					return err
				}
				if fail {
					return errors.New("refused")
				}
				return nil
			})
		}
		errOuter := errors.New("outer rolls back")
		err := d.InTx(ctx, func(tx *sql.Tx) error {
			inner := d.WithTx(ctx, tx)
			if err := insert(inner, "kept", false); err != nil {
				return err
			}
			if err := insert(inner, "undone", true); err == nil {
				t.Error("the failing nested write reported no error")
			}
			if got := keys(t, tx); len(got) != 1 || got[0] != "kept" {
				t.Errorf("inside the outer transaction: %v, want [kept]", got)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		_ = d.InTx(ctx, func(tx *sql.Tx) error {
			_ = insert(d.WithTx(ctx, tx), "never", false)
			return errOuter
		})
		if got := keys(t, d.Read); len(got) != 1 || got[0] != "kept" {
			t.Fatalf("after both transactions: %v, want [kept]", got)
		}
	})
}

func keys(t *testing.T, q db.Querier) []string {
	t.Helper()
	out, err := db.CollectRows[string](q.QueryContext(context.Background(), `SELECT k FROM n ORDER BY k`))(
		func(s db.Scanner) (string, error) { var k string; err := s.Scan(&k); return k, err })
	if err != nil {
		t.Fatal(err)
	}
	return out
}
