package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/db"
)

// templatePrefix starts the name of every template database; what follows is the Unix
// second it was made at, so that templates a killed test binary left behind are dropped
// by a later one (staleTemplate).
const templatePrefix = "settle_tpl_"

// staleTemplate is the age after which a template database is dropped: no test binary
// runs that long.
const staleTemplate = time.Hour

// buildPostgresTemplate creates a database on base's server, migrates it and closes it to
// connections, which CREATE DATABASE … TEMPLATE needs. It returns the database's name.
func buildPostgresTemplate(base string, migrate func(context.Context, *db.DB) error) (string, error) {
	ctx := context.Background()
	admin, err := openAdmin(base)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	dropStaleTemplates(ctx, admin)
	name := fmt.Sprintf("%s%d_%s", templatePrefix, time.Now().Unix(), randomHex(4))
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("create database: %w", err)
	}
	u, err := withDatabase(base, name)
	if err != nil {
		return "", err
	}
	d, err := db.Open(ctx, u)
	if err != nil {
		return "", err
	}
	err = migrate(ctx, d)
	if closeErr := d.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return "", err
	}
	// No connection may come in while it is copied: autovacuum's would fail the copy.
	if _, err := admin.ExecContext(ctx, "ALTER DATABASE "+name+" WITH ALLOW_CONNECTIONS false"); err != nil {
		return "", err
	}
	return name, nil
}

// dropStaleTemplates drops the template databases older than staleTemplate. A failure
// leaves them for the next test binary.
func dropStaleTemplates(ctx context.Context, admin *sql.DB) {
	rows, err := admin.QueryContext(ctx, `SELECT datname FROM pg_database WHERE datname LIKE $1`, templatePrefix+"%")
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) != nil {
			continue
		}
		made, _, _ := strings.Cut(strings.TrimPrefix(name, templatePrefix), "_")
		if sec, err := strconv.ParseInt(made, 10, 64); err == nil && time.Since(time.Unix(sec, 0)) > staleTemplate {
			stale = append(stale, name)
		}
	}
	rows.Close()
	for _, name := range stale {
		_, _ = admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}
}

// copyPostgres creates a database from template, dropped when t ends, and returns its URL.
func copyPostgres(t testing.TB, base, template string) string {
	t.Helper()
	admin, err := openAdmin(base)
	if err != nil {
		t.Fatalf("open %s: %v", base, err)
	}
	defer admin.Close()
	name := "t_" + randomHex(8)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE "+template); err != nil {
		t.Fatalf("create database from %s: %v", template, err)
	}
	t.Cleanup(func() { dropDatabase(t, base, name) })
	u, err := withDatabase(base, name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func dropDatabase(t testing.TB, base, name string) {
	admin, err := openAdmin(base)
	if err != nil {
		t.Errorf("open %s: %v", base, err)
		return
	}
	defer admin.Close()
	if _, err := admin.Exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
		t.Errorf("drop database %s: %v", name, err)
	}
}

// withDatabase returns base with its database replaced by name.
func withDatabase(base, name string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("SETTLE_TEST_DATABASE_URL: %w", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}
