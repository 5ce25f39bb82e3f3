// Package dbtest gives tests real databases: a temp SQLite file always, and a fresh
// PostgreSQL schema when SETTLE_TEST_DATABASE_URL is set. Every store test runs on both.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/testenv"
)

// Engines returns the engines the current run covers: SQLite always, PostgreSQL when
// SETTLE_TEST_DATABASE_URL is set. Under SETTLE_REQUIRE_ALL=1 a missing PostgreSQL fails t.
func Engines(t testing.TB) []config.Engine {
	t.Helper()
	if os.Getenv("SETTLE_TEST_DATABASE_URL") != "" {
		return []config.Engine{config.SQLite, config.Postgres}
	}
	if testenv.RequireAll() {
		t.Fatal("SETTLE_REQUIRE_ALL=1 but SETTLE_TEST_DATABASE_URL is not set")
	}
	return []config.Engine{config.SQLite}
}

// ForEach runs fn as a subtest per engine, named after it.
func ForEach(t *testing.T, fn func(t *testing.T, engine config.Engine)) {
	t.Helper()
	for _, e := range Engines(t) {
		t.Run(string(e), func(t *testing.T) { fn(t, e) })
	}
}

// URL returns a database URL for a new, empty database of engine, removed when t ends: a file
// in t's temp dir for SQLite, a fresh schema in SETTLE_TEST_DATABASE_URL for PostgreSQL.
func URL(t testing.TB, engine config.Engine) string {
	t.Helper()
	if engine == config.SQLite {
		return "sqlite://" + filepath.Join(t.TempDir(), "settle.db")
	}
	base := os.Getenv("SETTLE_TEST_DATABASE_URL")
	testenv.Need(t, base != "", "SETTLE_TEST_DATABASE_URL is not set (a PostgreSQL URL)")
	schema := "t_" + randomHex(8)
	admin, err := openAdmin(base)
	if err != nil {
		t.Fatalf("open %s: %v", base, err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() { drop(t, base, "DROP SCHEMA "+schema+" CASCADE") })
	return withSearchPath(t, base, schema)
}

// openAdmin opens base for creating and dropping schemas. Settle's own URL parameters
// (pool_max_conns) are left out, which PostgreSQL would refuse.
func openAdmin(base string) (*sql.DB, error) {
	u, err := config.ParseDatabaseURL(base)
	if err != nil {
		return nil, err
	}
	return sql.Open("pgx", u.DSN)
}

// drop runs statement, which drops what a test made, on base's server; a failure fails t.
func drop(t testing.TB, base, statement string) {
	admin, err := openAdmin(base)
	if err != nil {
		t.Errorf("open %s: %v", base, err)
		return
	}
	defer admin.Close()
	if _, err := admin.Exec(statement); err != nil {
		t.Errorf("%s: %v", statement, err)
	}
}

func withSearchPath(t testing.TB, base, schema string) string {
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("SETTLE_TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open returns an open, migrated database of engine, closed when t ends.
func Open(t testing.TB, engine config.Engine) *db.DB {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, MigratedURL(t, engine, "settle", migrate))
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx, time.Now); err != nil {
		t.Fatalf("migrate %s: %v", engine, err)
	}
	return d
}

// migrate applies Settle's own migrations.
func migrate(ctx context.Context, d *db.DB) error {
	_, err := d.Migrate(ctx, time.Now)
	return err
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
