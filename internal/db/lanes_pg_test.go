package db_test

import (
	"context"
	"database/sql"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/problem"
)

// TestPostgresLanesSpreadWritersAndBoundTheWait: a PostgreSQL database with the default pool
// has four lanes. Four writers that stay inside their transactions each hold a lane of their
// own — were two in one lane, the second would wait for the first and never get inside. A
// read goes through meanwhile, and a fifth writer, finding every lane's turn taken, writes in
// a transaction of its own once it has waited its second.
func TestPostgresLanesSpreadWritersAndBoundTheWait(t *testing.T) {
	ctx := context.Background()
	d, err := db.Open(ctx, dbtest.URL(t, config.Postgres))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Write.Exec(`CREATE TABLE g (k INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	if d.Lanes() != 4 {
		t.Fatalf("%d lanes, want 4", d.Lanes())
	}
	inside, done := make(chan struct{}), make(chan struct{})
	errs := make(chan error, 4)
	for i := range 4 {
		go func() {
			errs <- d.InTx(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO g (k) VALUES ($1)`, i); err != nil {
					return err
				}
				inside <- struct{}{}
				<-done
				return nil
			})
		}()
	}
	for i := range 4 {
		select {
		case <-inside:
		case <-time.After(10 * time.Second):
			t.Fatalf("only %d of 4 writers inside their transactions: they did not get a lane each", i)
		}
	}
	var one int
	if err := d.Read.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		t.Fatalf("a read while every lane is taken: %v", err)
	}
	start := time.Now()
	if err := d.InTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO g (k) VALUES (100)`)
		return err
	}); err != nil {
		t.Fatalf("a fifth writer while every lane is taken: %v", err)
	}
	if waited := time.Since(start); waited < 900*time.Millisecond {
		t.Errorf("the fifth writer waited %v, want about a second for a lane first", waited)
	}
	var fifth int
	if err := d.Read.QueryRowContext(ctx, `SELECT count(*) FROM g WHERE k = 100`).Scan(&fifth); err != nil || fifth != 1 {
		t.Errorf("the fifth writer's row: count %d, err %v; want it committed before the others", fifth, err)
	}
	close(done)
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestGroupCommitStatementErrorUndoesOneWriter: a writer whose statement the database
// refuses (a duplicate key) gets the conflict, and only its own writes are undone: on
// PostgreSQL the refused statement aborts the shared transaction until the writer's
// savepoint is rolled back, which goes to the server with the next writer's statements.
func TestGroupCommitStatementErrorUndoesOneWriter(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		d := openTable(t, engine)
		ctx := context.Background()
		if _, err := d.Write.Exec(`INSERT INTO g (k) VALUES (1000)`); err != nil {
			t.Fatal(err)
		}
		const n = 16
		errs := lineUp(t, d, n, func(i int) error {
			return d.InTx(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO g (k) VALUES ($1)`, i); err != nil {
					return err
				}
				if i%4 != 1 {
					return nil
				}
				_, err := tx.ExecContext(ctx, `INSERT INTO g (k) VALUES (1000)`)
				return err
			})
		})
		for i, err := range errs {
			if refused := i%4 == 1; refused != errors.Is(err, problem.ErrConflict) || !refused && err != nil {
				t.Errorf("writer %d: error %v, want a conflict only for every fourth from the second", i, err)
			}
		}
		for i := range n {
			var c int
			if err := d.Read.QueryRow(`SELECT count(*) FROM g WHERE k = $1`, i).Scan(&c); err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{true: 0, false: 1}[i%4 == 1]; c != want {
				t.Errorf("writer %d's row: %d, want %d", i, c, want)
			}
		}
		if got := count(t, d); got != n-n/4+1 {
			t.Errorf("%d rows, want %d", got, n-n/4+1)
		}
	})
}

// TestPostgresLostConnectionAnswersUnavailable: when a shared transaction's connection is
// lost under one writer, every writer of that transaction — the one whose statement met the
// loss and the ones before it, whose writes are lost with it — is answered that the service
// is unavailable, which the API turns into a 503, and none of their rows is kept. Writers
// after it begin another transaction and succeed.
func TestPostgresLostConnectionAnswersUnavailable(t *testing.T) {
	d := openTable(t, config.Postgres)
	ctx := context.Background()
	const n, killer = 8, 3
	var order atomic.Int32
	ran := make([]int32, n)
	errs := lineUp(t, d, n, func(i int) error {
		return d.InTx(ctx, func(tx *sql.Tx) error {
			ran[i] = order.Add(1)
			if ran[i] == killer {
				_, err := tx.ExecContext(ctx, `SELECT pg_terminate_backend(pg_backend_pid())`)
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO g (k) VALUES ($1)`, i)
			return err
		})
	})
	for i, err := range errs {
		lost := ran[i] <= killer
		if lost && !errors.Is(err, problem.ErrUnavailable) || !lost && err != nil {
			t.Errorf("writer %d, in the transaction as number %d: error %v; want unavailable for the first %d only",
				i, ran[i], err, killer)
		}
		var c int
		if err := d.Read.QueryRow(`SELECT count(*) FROM g WHERE k = $1`, i).Scan(&c); err != nil {
			t.Fatal(err)
		}
		if want := map[bool]int{true: 0, false: 1}[lost]; c != want {
			t.Errorf("writer %d's row: %d, want %d", i, c, want)
		}
	}
}

// TestPostgresLaneSharesAmongFew: sixteen writers lined up on one PostgreSQL lane share
// transactions, four callers at most to each (laneGroupMax), so none is answered only after a
// dozen others have written.
func TestPostgresLaneSharesAmongFew(t *testing.T) {
	d := openTable(t, config.Postgres)
	ctx := context.Background()
	const n = 16
	before := d.GroupCommits()
	errs := lineUp(t, d, n, func(i int) error {
		return d.InTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO g (k) VALUES ($1)`, i)
			return err
		})
	})
	allCommitted(t, d, errs)
	if c := d.GroupCommits() - before; c < n/4 || c >= n/2 {
		t.Errorf("%d commits for %d lined-up writers, want %d to %d: four or fewer share each", c, n, n/4, n/2-1)
	}
}
