package db_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// lineUp starts n writers behind a held write turn and lets them go once all wait, so that
// they share commits; write(i) is writer i's transaction. It returns each writer's error.
func lineUp(t *testing.T, d *db.DB, n int, write func(i int) error) []error {
	t.Helper()
	release := d.HoldWrites()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = write(i)
		}()
	}
	for deadline := time.Now().Add(10 * time.Second); d.WaitingWrites() < n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d writers lined up", d.WaitingWrites(), n)
		}
	}
	release()
	wg.Wait()
	return errs
}

// openTable returns a database of engine with an empty table g. On PostgreSQL it has one
// lane (a pool of two connections), so that writers line up as on SQLite.
func openTable(t *testing.T, engine config.Engine) *db.DB {
	t.Helper()
	url := dbtest.URL(t, engine)
	if engine == config.Postgres {
		url += "&pool_max_conns=2"
	}
	d, err := db.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Write.Exec(`CREATE TABLE g (k INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	return d
}

// allCommitted fails t unless every writer succeeded and the table holds a row for each.
func allCommitted(t *testing.T, d *db.DB, errs []error) {
	t.Helper()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
	if got := count(t, d); got != len(errs) {
		t.Errorf("%d rows committed, want %d", got, len(errs))
	}
}

func count(t *testing.T, d *db.DB) int {
	var n int
	if err := d.Read.QueryRow(`SELECT count(*) FROM g`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestGroupCommitSharesCommitsAndKeepsFailuresApart: writers lined up together commit in
// fewer transactions than there are writers; a writer's failure undoes its own row only; and
// every writer that succeeded finds its row committed the moment InTx returns.
func TestGroupCommitSharesCommitsAndKeepsFailuresApart(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		d := openTable(t, engine)
		ctx := context.Background()
		const n = 30
		before := d.GroupCommits()
		errs := lineUp(t, d, n, func(i int) error {
			err := d.InTx(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO g (k) VALUES ($1)`, i); err != nil {
					return err
				}
				if i%3 == 0 {
					return fmt.Errorf("writer %d refused", i)
				}
				return nil
			})
			if err == nil {
				var k int
				if qerr := d.Read.QueryRow(`SELECT k FROM g WHERE k = $1`, i).Scan(&k); qerr != nil {
					return fmt.Errorf("writer %d: InTx returned before its row was committed: %w", i, qerr)
				}
			}
			return err
		})
		for i, err := range errs {
			if refused := i%3 == 0; refused != (err != nil) {
				t.Errorf("writer %d: error %v, want refused=%v", i, err, refused)
			}
		}
		if got := count(t, d); got != n-n/3 {
			t.Errorf("%d rows committed, want %d", got, n-n/3)
		}
		if c := d.GroupCommits() - before; c >= n/2 {
			t.Errorf("%d commits for %d lined-up writers: they did not share", c, n)
		}
	})
}

// TestGroupCommitLoneWriterCommitsAtOnce: with nobody else waiting, a write commits its
// own transaction at once, and a refused one rolls its own back.
func TestGroupCommitLoneWriterCommitsAtOnce(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		d := openTable(t, engine)
		ctx := context.Background()
		before := d.GroupCommits()
		if err := d.InTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO g (k) VALUES (1)`)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		refused := errors.New("refused")
		if err := d.InTx(ctx, func(tx *sql.Tx) error {
			_, _ = tx.ExecContext(ctx, `INSERT INTO g (k) VALUES (2)`)
			return refused
		}); !errors.Is(err, refused) {
			t.Fatalf("got %v, want the writer's own error", err)
		}
		if got, c := count(t, d), d.GroupCommits()-before; got != 1 || c != 1 {
			t.Fatalf("%d rows in %d commits, want 1 row in 1: the refused write rolls back", got, c)
		}
	})
}

// TestGroupCommitPanicLosesTheBatch: a writer that panics takes its batch down — the other
// writers sharing it get an error and none of their rows is kept — and the panic reaches
// the panicking caller. The third writer to run panics, so that two writers share its batch
// whatever order the writers take their turns in.
func TestGroupCommitPanicLosesTheBatch(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		d := openTable(t, engine)
		ctx := context.Background()
		const n = 8
		var ran, culprit atomic.Int32
		culprit.Store(-1)
		errs := lineUp(t, d, n, func(i int) (err error) {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("panicked: %v", p)
				}
			}()
			return d.InTx(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO g (k) VALUES ($1)`, i); err != nil {
					return err
				}
				if ran.Add(1) == 3 {
					culprit.Store(int32(i))
					panic("boom")
				}
				return nil
			})
		})
		c := culprit.Load()
		if c < 0 {
			t.Fatal("no writer panicked")
		}
		if errs[c] == nil || errs[c].Error() != "panicked: boom" {
			t.Errorf("the panicking writer got %v", errs[c])
		}
		committed := count(t, d)
		failed := 0
		for _, err := range errs {
			if err != nil {
				failed++
			}
		}
		if committed+failed != n {
			t.Errorf("%d rows committed and %d writers failed, want them to add up to %d", committed, failed, n)
		}
		if failed < 3 {
			t.Errorf("only %d writers failed: the panic did not take its batch down", failed)
		}
	})
}

// TestGroupCommitCancelledWriterSparesTheOthers: a writer whose context ends while its
// statement runs does not interrupt it — SQLite would roll back the whole shared
// transaction — so every writer of the batch commits.
func TestGroupCommitCancelledWriterSparesTheOthers(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		d := openTable(t, engine)
		const n, slow = 10, 3
		errs := lineUp(t, d, n, func(i int) error {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			return d.InTx(ctx, func(tx *sql.Tx) error {
				if i != slow {
					_, err := tx.ExecContext(ctx, `INSERT INTO g (k) VALUES ($1)`, i)
					return err
				}
				time.AfterFunc(5*time.Millisecond, cancel)
				_, err := tx.ExecContext(ctx, `INSERT INTO g (k) SELECT x FROM (WITH RECURSIVE c(x) AS (SELECT 1000
				UNION ALL SELECT x + 1 FROM c WHERE x < 100000) SELECT x FROM c) AS s WHERE x = 100000`)
				return err
			})
		})
		allCommitted(t, d, errs)
	})
}

// TestGroupCommitFirstWriterFailsAlone: the first writer of a batch writes without a
// savepoint, so its failure rolls back the transaction it began; the writers lined up
// behind it begin another and commit, and only the failed writer's row is missing.
func TestGroupCommitFirstWriterFailsAlone(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		d := openTable(t, engine)
		ctx := context.Background()
		const n = 6
		refused := errors.New("refused")
		first, inside := make(chan error, 1), make(chan struct{})
		go func() {
			first <- d.InTx(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO g (k) VALUES (0)`); err != nil {
					return err
				}
				close(inside) // the others line up behind this writer, who holds the turn
				for deadline := time.Now().Add(10 * time.Second); d.WaitingWrites() < n-1; time.Sleep(time.Millisecond) {
					if time.Now().After(deadline) {
						return fmt.Errorf("only %d of %d writers lined up", d.WaitingWrites(), n-1)
					}
				}
				return refused
			})
		}()
		<-inside
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := 1; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = d.InTx(ctx, func(tx *sql.Tx) error {
					_, err := tx.ExecContext(ctx, `INSERT INTO g (k) VALUES ($1)`, i)
					return err
				})
			}()
		}
		wg.Wait()
		if err := <-first; !errors.Is(err, refused) {
			t.Fatalf("the first writer got %v, want its own error", err)
		}
		for i := 1; i < n; i++ {
			if errs[i] != nil {
				t.Errorf("writer %d: %v", i, errs[i])
			}
		}
		var zero int
		if err := d.Read.QueryRow(`SELECT count(*) FROM g WHERE k = 0`).Scan(&zero); err != nil || zero != 0 {
			t.Errorf("the refused row: count %d, err %v; want it gone", zero, err)
		}
		if got := count(t, d); got != n-1 {
			t.Errorf("%d rows, want %d", got, n-1)
		}
	})
}

// TestGroupCommitFirstWriterHasNoSavepoint: a lone writer runs in the bare transaction.
// Under a savepoint, every statement that changes a page already changed since the
// savepoint opened walks SQLite's whole statement journal when it ends, so a long
// transaction (an import, a demo batch) would grow slower with every row; on PostgreSQL a
// savepoint is a subtransaction, which a lone writer does not need.
func TestGroupCommitFirstWriterHasNoSavepoint(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		d := openTable(t, engine)
		ctx := context.Background()
		var probe error
		err := d.InTx(ctx, func(tx *sql.Tx) error {
			_, probe = tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT settle_member`)
			return nil
		})
		// PostgreSQL fails the whole transaction on the probe's error; SQLite goes on.
		if engine == config.SQLite && err != nil {
			t.Fatal(err)
		}
		if probe == nil || !strings.Contains(probe.Error(), "no such savepoint") &&
			!strings.Contains(probe.Error(), `savepoint "settle_member" does not exist`) {
			t.Fatalf("rolling back to the member savepoint in a lone write: %v, want no such savepoint", probe)
		}
	})
}

// TestGroupCommitLingersUnderLoad: on SQLite, once a transaction was shared by several
// writers, the next one stays open until another writer comes, which joins it; a writer
// whose last transaction was shared by fewer commits at once. The linger here is an hour,
// so a transaction that waited it out would stop the test. (SetLinger is called by a
// writer inside its transaction, or when none runs: the turn's holder reads it.)
func TestGroupCommitLingersUnderLoad(t *testing.T) {
	d := openTable(t, config.SQLite)
	ctx := context.Background()
	insert := func(k int, then func()) error {
		return d.InTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO g (k) VALUES ($1)`, k)
			then()
			return err
		})
	}
	for i, err := range lineUp(t, d, 8, func(i int) error { return insert(i, func() {}) }) {
		if err != nil {
			t.Fatalf("writer %d: %v", i, err)
		}
	}
	d.SetLinger(time.Hour)
	before := d.GroupCommits()
	written := make(chan struct{})
	first := runAsync(func() error { return insert(100, func() { close(written) }) })
	<-written
	// The second writer, last of the transaction, would linger for a third.
	second := runAsync(func() error { return insert(101, func() { d.SetLinger(0) }) })
	for _, done := range []chan error{first, second} {
		if err := waitFor(t, done); err != nil {
			t.Fatal(err)
		}
	}
	if got := d.GroupCommits() - before; got != 1 {
		t.Errorf("two writers after a shared transaction: %d commits, want one they shared", got)
	}
	// The last transaction had two writers: a lone writer does not linger.
	d.SetLinger(time.Hour)
	if err := waitFor(t, runAsync(func() error { return insert(102, func() {}) })); err != nil {
		t.Fatal(err)
	}
	if got := count(t, d); got != 11 {
		t.Errorf("%d rows, want 11", got)
	}
}

// runAsync runs fn in a goroutine and returns where its error will arrive.
func runAsync(fn func() error) chan error {
	done := make(chan error, 1)
	go func() { done <- fn() }()
	return done
}

// waitFor waits for done's error, failing t when it takes more than a minute — a write
// that lingered its hour, or that waits for a turn nobody hands it.
func waitFor(t *testing.T, done chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Minute):
		t.Fatal("a write did not return within a minute")
		return nil
	}
}

// TestGroupCommitAnswersEveryWriterUnderLoad: writers that come and go on their own, some
// of them refused, while transactions begin and commit, are each answered — none waits
// for a turn nobody hands it — and exactly the rows of those that succeeded are committed.
func TestGroupCommitAnswersEveryWriterUnderLoad(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		d := openTable(t, engine)
		ctx := context.Background()
		const writers, each = 32, 40
		var ok atomic.Int32
		done := runAsync(func() error {
			var wg sync.WaitGroup
			errs := make(chan error, writers*each)
			for w := range writers {
				wg.Go(func() {
					for j := range each {
						k := w*each + j
						err := d.InTx(ctx, func(tx *sql.Tx) error {
							if _, err := tx.ExecContext(ctx, `INSERT INTO g (k) VALUES ($1)`, k); err != nil {
								return err
							}
							if k%7 == 0 {
								return fmt.Errorf("writer %d refused", k)
							}
							return nil
						})
						switch {
						case err == nil:
							ok.Add(1)
						case k%7 != 0:
							errs <- fmt.Errorf("writer %d: %w", k, err)
						}
					}
				})
			}
			wg.Wait()
			close(errs)
			return <-errs
		})
		if err := waitFor(t, done); err != nil {
			t.Fatal(err)
		}
		want := writers*each - (writers*each+6)/7
		if int(ok.Load()) != want {
			t.Errorf("%d writers succeeded, want %d", ok.Load(), want)
		}
		if got := count(t, d); got != want {
			t.Errorf("%d rows committed, want %d", got, want)
		}
	})
}

// TestGroupCommitHandsTheTurnOn: a writer that waits for the turn gets it when the turn is
// given back, also when it is the only one waiting, and one that comes afterwards finds it
// free.
func TestGroupCommitHandsTheTurnOn(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		d := openTable(t, engine)
		ctx := context.Background()
		insert := func(k int) error {
			return d.InTx(ctx, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO g (k) VALUES ($1)`, k)
				return err
			})
		}
		release := d.HoldWrites()
		waiting := runAsync(func() error { return insert(1) })
		for deadline := time.Now().Add(10 * time.Second); d.WaitingWrites() < 1; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the writer did not line up")
			}
		}
		release()
		if err := waitFor(t, waiting); err != nil {
			t.Fatal(err)
		}
		if err := waitFor(t, runAsync(func() error { return insert(2) })); err != nil {
			t.Fatal(err)
		}
		if got := count(t, d); got != 2 {
			t.Errorf("%d rows, want 2", got)
		}
	})
}
