package db

import (
	"context"
	"database/sql"

	"github.com/settlehq/settle/internal/config"
)

// Dialect holds the few things that differ between SQLite and PostgreSQL in queries that are
// otherwise written once for both: locking, case-insensitive matching and the like.
type Dialect struct {
	Engine config.Engine
}

// migrationLockKey is the PostgreSQL advisory lock that serializes migrations across
// replicas starting at the same time ("settle" in ASCII).
const migrationLockKey = 0x736574746c65

// LockMigrations serializes schema changes for the rest of tx. On SQLite the write
// transaction (BEGIN IMMEDIATE) already excludes every other writer.
func (d Dialect) LockMigrations(ctx context.Context, tx *sql.Tx) error {
	if d.Engine != config.Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLockKey))
	return err
}

// WithMigrationLock runs fn while holding the migration lock for the whole process, for
// migrators that open their own transactions. On SQLite fn runs as is: each of its write
// transactions already excludes every other writer.
func (d *DB) WithMigrationLock(ctx context.Context, fn func() error) error {
	if d.Engine != config.Postgres {
		return fn()
	}
	conn, err := d.Write.Conn(ctx)
	if err != nil {
		return MapError(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, int64(migrationLockKey)); err != nil {
		return MapError(err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(migrationLockKey))
	return fn()
}

// ForUpdate returns the clause that locks the rows a SELECT reads until the transaction ends.
// SQLite has no row locks and needs none: its write transaction holds the database.
func (d Dialect) ForUpdate() string {
	if d.Engine == config.Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// SkipLocked returns the clause with which a SELECT locks the rows it reads and passes over
// those another transaction holds, so that several workers take different rows of a queue.
// SQLite's single writer never finds a row held.
func (d Dialect) SkipLocked() string {
	if d.Engine == config.Postgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// InOnce returns the condition "col is one of the values subquery selects", written so that
// the subquery runs once. PostgreSQL may run an IN subquery again for every row of the outer
// query; one with LIMIT … FOR UPDATE SKIP LOCKED then selects other rows each time, and a
// DELETE … WHERE id IN (it) takes far more rows than its LIMIT (every row of a queue whose
// statistics say it is small), in time that grows with the square of the rows. An array of
// the subquery's values is computed once, before the outer query reads a row.
func (d Dialect) InOnce(col, subquery string) string {
	if d.Engine == config.Postgres {
		return col + " = ANY(ARRAY(" + subquery + "))"
	}
	return col + " IN (" + subquery + ")"
}
