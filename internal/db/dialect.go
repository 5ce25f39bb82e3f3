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
