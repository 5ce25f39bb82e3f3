package db

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/config"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// Migration is one numbered schema change, NNN_name.sql in the engine's folder.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// ErrSchemaTooNew is returned when the database was migrated by a newer Settle than this one.
var ErrSchemaTooNew = errors.New("database schema is newer than this binary")

const migrationsTable = `CREATE TABLE IF NOT EXISTS settle_schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TIMESTAMP NOT NULL
)`

// Migrations returns the embedded migrations of engine in version order.
func Migrations(engine config.Engine) ([]Migration, error) {
	dir := "migrations/" + string(engine)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		m, err := readMigration(dir, e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

func readMigration(dir, file string) (Migration, error) {
	num, name, ok := strings.Cut(strings.TrimSuffix(file, ".sql"), "_")
	v, err := strconv.Atoi(num)
	if !ok || err != nil || len(num) != 3 {
		return Migration{}, fmt.Errorf("migration file %s is not named NNN_name.sql", file)
	}
	b, err := migrationFS.ReadFile(path.Join(dir, file))
	return Migration{Version: v, Name: name, SQL: string(b)}, err
}

// Migrate applies every pending migration, each in its own transaction together with its
// row in settle_schema_migrations. It refuses with ErrSchemaTooNew when the database has a
// version this binary does not know. Replicas starting together are serialized: on
// PostgreSQL by an advisory lock, on SQLite by the write transaction itself.
func (d *DB) Migrate(ctx context.Context, now func() time.Time) ([]Migration, error) {
	all, err := Migrations(d.Engine)
	if err != nil {
		return nil, err
	}
	return d.migrate(ctx, all, now)
}

func (d *DB) migrate(ctx context.Context, all []Migration, now func() time.Time) ([]Migration, error) {
	if _, err := d.Write.ExecContext(ctx, migrationsTable); err != nil {
		return nil, fmt.Errorf("create migrations table: %w", MapError(err))
	}
	var applied []Migration
	for {
		m, err := d.applyNext(ctx, all, now().UTC())
		if err != nil || m == nil {
			return applied, err
		}
		applied = append(applied, *m)
	}
}

// applyNext applies the first pending migration and returns it, or nil when none is pending.
func (d *DB) applyNext(ctx context.Context, all []Migration, now time.Time) (*Migration, error) {
	var next *Migration
	err := d.InTx(ctx, func(tx *sql.Tx) error {
		if err := d.Dialect.LockMigrations(ctx, tx); err != nil {
			return err
		}
		current, err := currentVersion(ctx, tx)
		if err != nil {
			return err
		}
		if err := checkNotNewer(current, all); err != nil {
			return err
		}
		next = firstAfter(all, current)
		if next == nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, next.SQL); err != nil {
			return fmt.Errorf("migration %03d_%s: %w", next.Version, next.Name, err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO settle_schema_migrations (version, name, applied_at)
			VALUES ($1, $2, $3)`, next.Version, next.Name, now)
		return err
	})
	return next, err
}

// CheckVersion reports ErrSchemaTooNew when the database is ahead of this binary and an error
// naming the count of pending migrations when it is behind.
func (d *DB) CheckVersion(ctx context.Context) error {
	all, err := Migrations(d.Engine)
	if err != nil {
		return err
	}
	current, err := currentVersion(ctx, d.Read)
	if err != nil {
		return err
	}
	if err := checkNotNewer(current, all); err != nil {
		return err
	}
	if latest := all[len(all)-1].Version; current < latest {
		return fmt.Errorf("database schema is at version %d, this binary needs %d; run settle migrate", current, latest)
	}
	return nil
}

func currentVersion(ctx context.Context, q Querier) (int, error) {
	var v sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT max(version) FROM settle_schema_migrations`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read schema version (run settle migrate on a new database): %w", MapError(err))
	}
	return int(v.Int64), nil
}

func checkNotNewer(current int, all []Migration) error {
	if latest := all[len(all)-1].Version; current > latest {
		return fmt.Errorf("%w: the database is at schema version %d but this settle knows versions up to %d; run a newer settle binary (downgrades are not supported)",
			ErrSchemaTooNew, current, latest)
	}
	return nil
}

func firstAfter(all []Migration, version int) *Migration {
	for i := range all {
		if all[i].Version > version {
			return &all[i]
		}
	}
	return nil
}
