package db_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// TestEveryFirstStatementIsInTheTransaction: however a transaction's first statement is
// sent — on PostgreSQL its BEGIN travels with it — the statement is part of the
// transaction: kept when the transaction commits, undone when it rolls back.
func TestEveryFirstStatementIsInTheTransaction(t *testing.T) {
	firsts := []struct {
		name  string
		write func(ctx context.Context, d *db.DB, tx *sql.Tx, k string) error
	}{
		{"exec", func(ctx context.Context, _ *db.DB, tx *sql.Tx, k string) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO n (k) VALUES ($1)`, k)
			return err
		}},
		{"script", func(ctx context.Context, _ *db.DB, tx *sql.Tx, k string) error {
			// No arguments and two statements, as a migration sends.
			_, err := tx.ExecContext(ctx, `CREATE TEMPORARY TABLE IF NOT EXISTS scratch (k TEXT);
				INSERT INTO n (k) VALUES ('`+k+`')`)
			return err
		}},
		{"query", func(ctx context.Context, _ *db.DB, tx *sql.Tx, k string) error {
			var got string
			return tx.QueryRowContext(ctx, `INSERT INTO n (k) VALUES ($1) RETURNING k`, k).Scan(&got)
		}},
		{"QueryRowTx", func(ctx context.Context, d *db.DB, tx *sql.Tx, k string) error {
			var got string
			if err := d.QueryRowTx(ctx, tx, `INSERT INTO n (k) VALUES ($1) RETURNING k`, []any{k}, &got); err != nil {
				return err
			}
			if got != k {
				return errors.New("QueryRowTx scanned " + got + ", want " + k)
			}
			return nil
		}},
		{"QueryTx", func(ctx context.Context, d *db.DB, tx *sql.Tx, k string) error {
			n := 0
			err := d.QueryTx(ctx, tx, `INSERT INTO n (k) VALUES ($1) RETURNING k`, []any{k}, func(scan func(...any) error) error {
				n++
				var got string
				return scan(&got)
			})
			if err == nil && n != 1 {
				err = errors.New("QueryTx saw " + strconv.Itoa(n) + " rows, want 1")
			}
			return err
		}},
		{"prepared", func(ctx context.Context, _ *db.DB, tx *sql.Tx, k string) error {
			st, err := tx.PrepareContext(ctx, `INSERT INTO n (k) VALUES ($1)`)
			if err != nil {
				return err
			}
			defer st.Close()
			_, err = st.ExecContext(ctx, k)
			return err
		}},
		{"held back", func(_ context.Context, d *db.DB, tx *sql.Tx, k string) error {
			d.Later(tx, `INSERT INTO n (k)`, k)
			return nil
		}},
	}
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		d := nestTable(t, engine)
		for _, f := range firsts {
			err := d.InTx(ctx, func(tx *sql.Tx) error {
				if err := f.write(ctx, d, tx, f.name+" undone"); err != nil {
					return err
				}
				return errors.New("roll back")
			})
			if err == nil || err.Error() != "roll back" {
				t.Errorf("%s: rolled-back transaction returned %v", f.name, err)
			}
			if err := d.InTx(ctx, func(tx *sql.Tx) error { return f.write(ctx, d, tx, f.name+" kept") }); err != nil {
				t.Errorf("%s: %v", f.name, err)
			}
		}
		var want []string
		for _, f := range firsts {
			want = append(want, f.name+" kept")
		}
		slices.Sort(want)
		if got := keys(t, d.Read); !slices.Equal(got, want) {
			t.Errorf("kept %q, want %q", got, want)
		}
	})
}

// TestTransactionEnds: a transaction that writes nothing commits; one whose held-back rows
// fail, or whose COMMIT fails, keeps nothing and reports the failure; either way the
// connection goes back to the pool ready for the next transaction.
func TestTransactionEnds(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		d := nestTable(t, engine)
		if engine == config.Postgres {
			d.Write.SetMaxOpenConns(2) // every transaction below reuses one of two connections
		}
		if err := d.InTx(ctx, func(*sql.Tx) error { return nil }); err != nil {
			t.Fatalf("empty transaction: %v", err)
		}
		err := d.InTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO n (k) VALUES ('a')`); err != nil {
				return err
			}
			d.Later(tx, `INSERT INTO n (k)`, "b")
			d.Later(tx, `INSERT INTO n (k)`, "a") // refused: a is there
			return nil
		})
		if err == nil {
			t.Fatal("a refused held-back row did not fail its transaction")
		}
		if got := keys(t, d.Read); len(got) != 0 {
			t.Fatalf("after a failed transaction: %q, want nothing", got)
		}
		if engine == config.Postgres {
			commitFails(t, d)
		}
		for i := range 3 {
			if err := insert(d, ctx, string(rune('c'+i)), false); err != nil {
				t.Fatalf("transaction after the failures: %v", err)
			}
		}
		if got := keys(t, d.Read); !slices.Equal(got, []string{"c", "d", "e"}) {
			t.Errorf("kept %q, want [c d e]", got)
		}
	})
}

// commitFails checks a PostgreSQL transaction refused at COMMIT (a deferred unique
// constraint), whose COMMIT goes in the pipeline of its held-back rows.
func commitFails(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	if _, err := d.Write.Exec(`CREATE TABLE deferred (k TEXT, UNIQUE (k) DEFERRABLE INITIALLY DEFERRED)`); err != nil {
		t.Fatal(err)
	}
	err := d.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO deferred (k) VALUES ('x')`); err != nil {
			return err
		}
		d.Later(tx, `INSERT INTO deferred (k)`, "x")
		return nil
	})
	if err == nil {
		t.Fatal("a transaction refused at COMMIT returned no error")
	}
	var n int
	if err := d.Read.QueryRow(`SELECT count(*) FROM deferred`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("after a refused COMMIT: %d rows (%v), want 0", n, err)
	}
}

// TestQueryTxReadsEveryRow: QueryTx hands every row to its callback, also as the
// transaction's first statement, and QueryRowTx answers sql.ErrNoRows when there is none.
func TestQueryTxReadsEveryRow(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		d := nestTable(t, engine)
		want := []string{"a", "b", "c"}
		for _, k := range want {
			if err := insert(d, ctx, k, false); err != nil {
				t.Fatal(err)
			}
		}
		var got []string
		err := d.InTx(ctx, func(tx *sql.Tx) error {
			if err := d.QueryTx(ctx, tx, `SELECT k FROM n WHERE k >= $1 ORDER BY k`, []any{"a"}, func(scan func(...any) error) error {
				var k string
				err := scan(&k)
				got = append(got, k)
				return err
			}); err != nil {
				return err
			}
			var k string
			if err := d.QueryRowTx(ctx, tx, `SELECT k FROM n WHERE k = $1`, []any{"z"}, &k); !errors.Is(err, sql.ErrNoRows) {
				return errors.New("QueryRowTx of no row: " + fmt.Sprint(err))
			}
			return nil
		})
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("QueryTx read %q (%v), want %q", got, err, want)
		}
	})
}
