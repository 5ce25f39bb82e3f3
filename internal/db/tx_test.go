package db_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/problem"
)

// TestNestedInTxJoinsTheOuterTransaction: an InTx under WithTx writes in the outer
// transaction; nothing is visible before the outer commit, and an outer rollback undoes
// everything.
func TestNestedInTxJoinsTheOuterTransaction(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		d := nestTable(t, engine)
		err := d.InTx(ctx, func(tx *sql.Tx) error {
			if err := insert(d, d.WithTx(ctx, tx), "kept", false); err != nil {
				return err
			}
			if got := keys(t, d.Read); len(got) != 0 {
				t.Errorf("visible before the commit: %v", got)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		_ = d.InTx(ctx, func(tx *sql.Tx) error {
			_ = insert(d, d.WithTx(ctx, tx), "never", false)
			return errors.New("outer rolls back")
		})
		if got := keys(t, d.Read); len(got) != 1 || got[0] != "kept" {
			t.Fatalf("after both transactions: %v, want [kept]", got)
		}
	})
}

// TestNestedFailureFailsTheOuterTransaction: a nested InTx that fails makes the outer
// transaction fail, even when the code in between drops the error, so that no half of a
// write is committed; InSavepoint instead undoes the nested writes alone, also after a
// statement error that aborts a PostgreSQL transaction.
func TestNestedFailureFailsTheOuterTransaction(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		d := nestTable(t, engine)
		err := d.InTx(ctx, func(tx *sql.Tx) error {
			inner := d.WithTx(ctx, tx)
			_ = insert(d, inner, "dropped", true) // the error is ignored on purpose
			return insert(d, inner, "after", false)
		})
		if err == nil || !strings.Contains(err.Error(), "refused") {
			t.Errorf("outer transaction after a dropped nested failure: %v, want the nested error", err)
		}
		if got := keys(t, d.Read); len(got) != 0 {
			t.Fatalf("written despite the nested failure: %v", got)
		}

		err = d.InTx(ctx, func(tx *sql.Tx) error {
			inner := d.WithTx(ctx, tx)
			if err := insert(d, inner, "kept", false); err != nil {
				return err
			}
			if err := d.InSavepoint(inner, func(tx *sql.Tx) error { return insert(d, inner, "undone", true) }); err == nil {
				t.Error("the failing savepoint reported no error")
			}
			dup := d.InSavepoint(inner, func(tx *sql.Tx) error { return insert(d, inner, "kept", false) })
			if !errors.Is(dup, problem.ErrConflict) {
				t.Errorf("duplicate key in a savepoint: %v, want ErrConflict", dup)
			}
			return insert(d, inner, "later", false)
		})
		if err != nil {
			t.Fatalf("outer transaction after recovered savepoints: %v", err)
		}
		if got := keys(t, d.Read); len(got) != 2 || got[0] != "kept" || got[1] != "later" {
			t.Fatalf("after the transaction: %v, want [kept later]", got)
		}
	})
}

// nestTable opens a database with a table n of unique keys.
func nestTable(t *testing.T, engine config.Engine) *db.DB {
	d := dbtest.Open(t, engine)
	if _, err := d.Write.Exec(`CREATE TABLE n (k TEXT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	return d
}

// insert writes key k in a transaction of its own or the one ctx carries, and fails
// afterwards when fail is set.
func insert(d *db.DB, ctx context.Context, k string, fail bool) error {
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

func keys(t *testing.T, q db.Querier) []string {
	t.Helper()
	out, err := db.CollectRows[string](q.QueryContext(context.Background(), `SELECT k FROM n ORDER BY k`))(
		func(s db.Scanner) (string, error) { var k string; err := s.Scan(&k); return k, err })
	if err != nil {
		t.Fatal(err)
	}
	return out
}
