package db_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// passResult is what a checkpointer pass returned.
type passResult struct {
	logged int
	err    error
}

// TestCheckpointsBesideTheWriter: SQLite's writer leaves its write-ahead log alone however
// long it grows (SQLite's own checkpoint would have copied it after 1,000 pages, and the
// next write would have started it over); a checkpointer pass over a short log copies it
// while a write transaction is open, and a pass over a long one waits for the write
// connection, after which the next write starts the log over.
func TestCheckpointsBesideTheWriter(t *testing.T) {
	d := dbtest.Open(t, config.SQLite)
	d.HaltCheckpoints() // the passes below are the only checkpoints
	ctx := context.Background()
	if _, err := d.Write.ExecContext(ctx, `CREATE TABLE pages (b BLOB NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	write := func(pages int) {
		t.Helper()
		err := d.InTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
				INSERT INTO pages (b) SELECT zeroblob(4000) FROM n`, pages)
			return err
		})
		if err != nil {
			t.Fatalf("writing %d pages: %v", pages, err)
		}
	}
	hold := func() (release func()) { // keeps a write transaction open
		holding, released, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		go func() {
			done <- d.InTx(ctx, func(*sql.Tx) error {
				close(holding)
				<-released
				return nil
			})
		}()
		<-holding
		return func() {
			close(released)
			if err := <-done; err != nil {
				t.Fatalf("the write held open: %v", err)
			}
		}
	}
	pass := func(restartFrames int) <-chan passResult {
		out := make(chan passResult, 1)
		go func() {
			n, err := d.CheckpointPass(ctx, restartFrames)
			out <- passResult{n, err}
		}()
		return out
	}

	write(1200)
	write(1)
	release := hold()
	var got passResult
	select {
	case got = <-pass(1_000_000):
	case <-time.After(10 * time.Second):
		t.Fatal("a pass that lets the log grow waited for the open write")
	}
	release()
	if got.err != nil || got.logged < 1200 {
		t.Fatalf("log after two writes: %d pages, %v; want at least 1,200: the writer left it alone", got.logged, got.err)
	}

	release = hold()
	long := pass(1000)
	select {
	case got = <-long:
		t.Fatalf("a pass over a log longer than its limit ended while a write was open: %+v", got)
	case <-time.After(200 * time.Millisecond):
	}
	release()
	if got = <-long; got.err != nil {
		t.Fatalf("pass over the long log: %v", got.err)
	}
	write(1)
	if got = <-pass(1_000_000); got.err != nil || got.logged > 10 {
		t.Fatalf("log after the next write: %d pages, %v; want it started over", got.logged, got.err)
	}
}

// TestCloseStopsCheckpoints: closing a SQLite database stops its checkpointer, and a
// second database on the same file still opens and writes.
func TestCloseStopsCheckpoints(t *testing.T) {
	path := t.TempDir() + "/settle.db"
	for range 2 {
		d, err := db.Open(context.Background(), "sqlite://"+path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Write.ExecContext(context.Background(), `CREATE TABLE IF NOT EXISTS n (i INTEGER)`); err != nil {
			t.Fatal(err)
		}
		if err := d.Close(); err != nil {
			t.Fatalf("close: %v", err)
		}
	}
}
