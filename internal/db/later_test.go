package db_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
)

const laterInsert = `INSERT INTO log (k, n)`

// TestLaterRowsAreWrittenAtCommit: rows queued with Later are not in the table while the
// transaction's body runs, are all there after it commits (in several statements when they
// are many), and are gone with a rolled-back transaction or savepoint — rows queued before
// that savepoint stay.
func TestLaterRowsAreWrittenAtCommit(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		d := dbtest.Open(t, engine)
		exec(t, d, `CREATE TABLE log (k TEXT NOT NULL, n INTEGER NOT NULL)`)
		count := func(q db.Querier, k string) (n int) {
			t.Helper()
			if err := q.QueryRowContext(ctx, `SELECT count(*) FROM log WHERE k = $1`, k).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		err := d.InTx(ctx, func(tx *sql.Tx) error {
			for i := range 1600 { // 3,200 values: more than one statement takes
				d.Later(tx, laterInsert, "many", i)
			}
			if n := count(tx, "many"); n != 0 {
				t.Errorf("%d rows written before the body returned", n)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var sum int
		if err := d.Read.QueryRow(`SELECT count(*), sum(n) FROM log WHERE k = 'many'`).Scan(new(int), &sum); err != nil || count(d.Read, "many") != 1600 || sum != 1600*1599/2 {
			t.Fatalf("after commit: %d rows, sum %d, %v", count(d.Read, "many"), sum, err)
		}

		_ = d.InTx(ctx, func(tx *sql.Tx) error {
			d.Later(tx, laterInsert, "rolled back", 1)
			return errors.New("no")
		})
		err = d.InTx(ctx, func(tx *sql.Tx) error {
			inner := d.WithTx(ctx, tx)
			d.Later(tx, laterInsert, "kept", 1)
			_ = d.InSavepoint(inner, func(tx *sql.Tx) error {
				d.Later(tx, laterInsert, "savepoint undone", 1)
				d.Later(tx, laterInsert, "kept", 2)
				return errors.New("undo")
			})
			return d.InSavepoint(inner, func(tx *sql.Tx) error {
				d.Later(tx, laterInsert, "kept", 3)
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		for k, want := range map[string]int{"rolled back": 0, "savepoint undone": 0, "kept": 2} {
			if got := count(d.Read, k); got != want {
				t.Errorf("%q rows: %d, want %d", k, got, want)
			}
		}
	})
}

// TestLaterRowsOfSharedCommits: on SQLite, writers sharing a commit each get their own
// queued rows written, and a failing writer's rows are dropped with its other writes.
func TestLaterRowsOfSharedCommits(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t, config.SQLite)
	exec(t, d, `CREATE TABLE log (k TEXT NOT NULL, n INTEGER NOT NULL)`)
	errs := lineUp(t, d, 10, func(i int) error {
		return d.InTx(ctx, func(tx *sql.Tx) error {
			d.Later(tx, laterInsert, fmt.Sprint(i%2), i)
			if i%2 == 1 {
				return errors.New("odd writers fail")
			}
			return nil
		})
	})
	failed := 0
	for _, err := range errs {
		if err != nil {
			failed++
		}
	}
	var even, odd int
	if err := d.Read.QueryRow(`SELECT count(*) FILTER (WHERE k = '0'), count(*) FILTER (WHERE k = '1') FROM log`).Scan(&even, &odd); err != nil {
		t.Fatal(err)
	}
	if failed != 5 || even != 5 || odd != 0 {
		t.Fatalf("failed %d, rows of succeeding writers %d (want 5), of failing ones %d (want 0)", failed, even, odd)
	}
}

// TestLaterRowsOfSharedCommitsKeepEachWritersOrder: on SQLite, the rows the writers of one
// commit hold back are written together, and still in each writer's own order: a child row
// after its parent's, checked by a foreign key, whether the parent was queued as a row or as
// a statement. A row the database refuses fails every writer of that commit, and none of
// their rows is kept.
func TestLaterRowsOfSharedCommitsKeepEachWritersOrder(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t, config.SQLite)
	exec(t, d, `CREATE TABLE parent (k TEXT PRIMARY KEY)`)
	exec(t, d, `CREATE TABLE child (k TEXT NOT NULL REFERENCES parent (k), n INTEGER NOT NULL)`)
	const n = 12
	errs := lineUp(t, d, n, func(i int) error {
		return d.InTx(ctx, func(tx *sql.Tx) error {
			k := fmt.Sprint("p", i)
			if i%2 == 0 {
				d.Later(tx, `INSERT INTO parent (k)`, k)
			} else {
				d.LaterExec(tx, `INSERT INTO parent (k) VALUES ($1)`, k)
			}
			d.Later(tx, `INSERT INTO child (k, n)`, k, i)
			return nil
		})
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("writer %d: %v", i, err)
		}
	}
	var children int
	if err := d.Read.QueryRow(`SELECT count(*) FROM child JOIN parent USING (k)`).Scan(&children); err != nil || children != n {
		t.Fatalf("%d children with their parent, %v; want %d", children, err, n)
	}

	errs = lineUp(t, d, n, func(i int) error {
		return d.InTx(ctx, func(tx *sql.Tx) error {
			k := fmt.Sprint("q", i)
			if i == 5 {
				k = "p0" // already there: the database refuses it
			}
			d.Later(tx, `INSERT INTO parent (k)`, k)
			return nil
		})
	})
	var kept int
	if err := d.Read.QueryRow(`SELECT count(*) FROM parent WHERE k LIKE 'q%'`).Scan(&kept); err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, err := range errs {
		if err != nil {
			failed++
		}
	}
	if errs[5] == nil || failed+kept != n {
		t.Fatalf("writer 5: %v; %d writers failed and %d rows kept, want them to add up to %d", errs[5], failed, kept, n)
	}
}

// TestLaterStatementsRunInOrder: statements queued with LaterExec run after the rows queued
// before them and before those queued after; one savepoint's statements go with it; a
// failing queued statement fails the transaction, and nothing of it is committed.
func TestLaterStatementsRunInOrder(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		d := dbtest.Open(t, engine)
		exec(t, d, `CREATE TABLE log (k TEXT NOT NULL, n INTEGER NOT NULL)`)
		exec(t, d, `CREATE TABLE once (k TEXT PRIMARY KEY)`)
		err := d.InTx(ctx, func(tx *sql.Tx) error {
			d.Later(tx, laterInsert, "a", 1)
			d.LaterExec(tx, `UPDATE log SET n = n + 10 WHERE k = $1`, "a")
			d.Later(tx, laterInsert, "a", 2) // merged with the first row, so also updated
			d.LaterExec(tx, `INSERT INTO once (k) VALUES ($1)`, "x")
			_ = d.InSavepoint(d.WithTx(ctx, tx), func(tx *sql.Tx) error {
				d.LaterExec(tx, `UPDATE log SET n = 0`)
				return errors.New("undo")
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var sum int
		if err := d.Read.QueryRow(`SELECT sum(n) FROM log WHERE k = 'a'`).Scan(&sum); err != nil || sum != 23 {
			t.Fatalf("sum after the transaction: %d %v, want 23 (1+10 and 2+10)", sum, err)
		}
		err = d.InTx(ctx, func(tx *sql.Tx) error {
			d.Later(tx, laterInsert, "b", 1)
			d.LaterExec(tx, `INSERT INTO once (k) VALUES ($1)`, "x") // a duplicate
			d.Later(tx, `INSERT INTO once (k)`, "y")
			return nil
		})
		if err == nil {
			t.Fatal("a failing queued statement did not fail the transaction")
		}
		var b, y int
		if err := d.Read.QueryRow(`SELECT (SELECT count(*) FROM log WHERE k = 'b'), (SELECT count(*) FROM once WHERE k = 'y')`).Scan(&b, &y); err != nil || b+y != 0 {
			t.Fatalf("rows of the failed transaction: %d and %d, %v; want none", b, y, err)
		}
	})
}
