// Package db opens Settle's database — embedded SQLite or PostgreSQL — and owns what differs
// between the two: connection setup, the dialect, migrations and the translation of driver
// errors into the shared problem sentinels.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/problem"
)

// DB is an open database. Writes go through Write; reads that need no transaction may use
// Read. On SQLite, Write is a pool of exactly one connection, so a function holding a
// transaction must not use Write outside that transaction; on PostgreSQL both are one pool.
type DB struct {
	Engine  config.Engine
	Dialect Dialect
	Write   *sql.DB
	Read    *sql.DB
	url     config.DatabaseURL
	// groups share commits between write transactions: SQLite's one, PostgreSQL's lanes.
	groups []*group
	// nextLane is where the next PostgreSQL writer starts looking for a free lane.
	nextLane atomic.Uint32
	// checkpoints copies SQLite's write-ahead log into the database file; nil on PostgreSQL.
	checkpoints *checkpointer
	// failed holds, for each open transaction, the first error of an InTx that joined it.
	failed sync.Map
	// later holds, for each open transaction, what Later and LaterExec queued.
	later sync.Map
	// txConns holds the connection of each open PostgreSQL transaction.
	txConns sync.Map
}

// Open connects to the database that rawURL names, checks that it answers and configures
// its pools. It does not migrate.
func Open(ctx context.Context, rawURL string) (*DB, error) {
	u, err := config.ParseDatabaseURL(rawURL)
	if err != nil {
		return nil, err
	}
	var d *DB
	switch u.Engine {
	case config.SQLite:
		d, err = openSQLite(ctx, u)
	case config.Postgres:
		d, err = openPostgres(ctx, u)
	}
	if err != nil {
		return nil, err
	}
	d.url = u
	d.Dialect = Dialect{Engine: u.Engine}
	return d, nil
}

// Close closes both pools, and stops SQLite's checkpoints first.
func (d *DB) Close() error {
	var err error
	if d.checkpoints != nil {
		err = d.checkpoints.close()
	}
	err = errors.Join(err, d.Write.Close())
	if d.Read != d.Write {
		err = errors.Join(err, d.Read.Close())
	}
	return err
}

// Describe names the database for logs, without secrets.
func (d *DB) Describe() string { return d.url.Redacted() }

// Ping checks that the database answers within two seconds.
func (d *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := d.Read.PingContext(ctx); err != nil {
		return MapError(err)
	}
	return nil
}

// InTx runs fn in one write transaction and commits when fn returns nil. Any error rolls
// everything back; driver errors are translated by MapError.
//
// When ctx already carries a transaction of d (see WithTx), fn joins it: its writes are part
// of the outer transaction, and its error is returned and also fails the outer transaction,
// which will not commit even if a caller in between drops the error. A caller that means to
// recover from a nested failure uses InSavepoint instead. The HTTP layer uses joining to
// store an Idempotency-Key in the same transaction as the write it guards.
//
// Concurrent top-level calls share commits (see group, and lanes on PostgreSQL): fn runs in
// a transaction other callers may also write in (inside a savepoint of its own unless it
// began that transaction), and InTx returns once that transaction has committed. fn must
// therefore do nothing but its writes in tx, and hold no lock another caller's fn waits for
// beyond what its writes take. On SQLite fn may run on another caller's goroutine, the one
// leading the transaction (queue.go); its panic is raised again in InTx's caller.
func (d *DB) InTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if outer, ok := ctx.Value(txKey{d}).(*sql.Tx); ok {
		if err := fn(outer); err != nil {
			err = MapError(err)
			d.failed.LoadOrStore(outer, err)
			return err
		}
		return nil
	}
	shared := func(tx *sql.Tx) (*laterQueue, error) {
		err := d.body(tx, fn)
		held := d.detachLater(tx)
		if err != nil {
			return nil, err
		}
		return held, nil
	}
	if d.Engine == config.SQLite {
		return d.groups[0].submit(ctx, shared)
	}
	if g, entered := d.enterLane(); entered {
		return g.run(ctx, shared)
	}
	return d.ownTx(ctx, func(tx *sql.Tx) error {
		err := d.body(tx, fn)
		if err == nil {
			err = d.flushLater(ctx, tx)
		}
		d.later.Delete(tx)
		return MapError(err)
	})
}

// ownTx runs body in a transaction of its own on one connection of the pool, kept in
// txConns for flushLater's pipeline, and commits when body returns nil (flushLater has sent
// the COMMIT already and tx.Commit only closes the transaction). It is the PostgreSQL
// writer's way when its lane's turn is slow to come (laneWait).
func (d *DB) ownTx(ctx context.Context, body func(tx *sql.Tx) error) error {
	conn, tx, err := beginOnConn(ctx, d.Write, &d.txConns, false)
	if err != nil {
		return fmt.Errorf("begin: %w", MapError(err))
	}
	defer conn.Close()
	defer d.txConns.Delete(tx)
	if err := body(tx); err != nil {
		_ = tx.Rollback()
		return MapError(err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", MapError(err))
	}
	return nil
}

// InSavepoint is InTx for a caller that recovers from fn's error: joining an outer
// transaction, fn runs inside a savepoint, and its failure undoes fn's writes alone and
// leaves the outer transaction able to commit. It costs two more statements than InTx.
func (d *DB) InSavepoint(ctx context.Context, fn func(tx *sql.Tx) error) error {
	outer, ok := ctx.Value(txKey{d}).(*sql.Tx)
	if !ok {
		return d.InTx(ctx, fn)
	}
	if _, err := outer.ExecContext(ctx, "SAVEPOINT settle_nested"); err != nil {
		return MapError(err)
	}
	before, hadFailed := d.failed.LoadAndDelete(outer)
	queued := d.markLater(outer)
	err := d.body(outer, fn)
	if hadFailed {
		d.failed.Store(outer, before)
	}
	if err != nil {
		d.dropLaterSince(outer, queued)
		if _, rbErr := outer.ExecContext(ctx, "ROLLBACK TO SAVEPOINT settle_nested"); rbErr != nil {
			return errors.Join(err, rbErr)
		}
		return err
	}
	_, err = outer.ExecContext(ctx, "RELEASE SAVEPOINT settle_nested")
	return MapError(err)
}

// body runs fn as the whole of a transaction or savepoint: a failure that a nested InTx
// reported during fn fails it even when fn returned nil.
func (d *DB) body(tx *sql.Tx, fn func(tx *sql.Tx) error) error {
	err := fn(tx)
	nested, failed := d.failed.LoadAndDelete(tx)
	if err == nil && failed {
		err = fmt.Errorf("a nested write failed, so nothing was written: %w", nested.(error))
	}
	return MapError(err)
}

type txKey struct{ d *DB }

// WithTx returns ctx carrying tx, so that every InTx of d under ctx joins tx.
func (d *DB) WithTx(ctx context.Context, tx *sql.Tx) context.Context {
	return context.WithValue(ctx, txKey{d}, tx)
}

// Querier is what both *sql.DB and *sql.Tx provide, so a store method can read inside or
// outside a transaction.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// NotFoundOr returns an ErrNotFound naming what when err is sql.ErrNoRows, and err mapped
// otherwise. Stores use it right after a QueryRow(...).Scan.
func NotFoundOr(err error, what string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return problem.NotFound(what, args...)
	}
	return MapError(err)
}

// Scanner is a row that can be scanned: *sql.Row or *sql.Rows.
type Scanner interface {
	Scan(dest ...any) error
}

// CollectRows scans every row of a query into a slice, closing the rows. Pass the query's
// results straight in: CollectRows(q.QueryContext(ctx, …))(scanThing).
func CollectRows[T any](rows *sql.Rows, err error) func(scan func(Scanner) (T, error)) ([]T, error) {
	return func(scan func(Scanner) (T, error)) ([]T, error) {
		if err != nil {
			return nil, MapError(err)
		}
		defer rows.Close()
		var out []T
		for rows.Next() {
			v, err := scan(rows)
			if err != nil {
				return nil, MapError(err)
			}
			out = append(out, v)
		}
		return out, MapError(rows.Err())
	}
}

// Reader returns what a read under ctx should use: the transaction ctx carries (see WithTx),
// so that a capability reads its own uncommitted writes, or else the read pool.
func (d *DB) Reader(ctx context.Context) Querier {
	if tx, ok := ctx.Value(txKey{d}).(*sql.Tx); ok {
		return tx
	}
	return d.Read
}

// InTxContext reports whether ctx carries a transaction of d.
func (d *DB) InTxContext(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{d}).(*sql.Tx)
	return ok
}
