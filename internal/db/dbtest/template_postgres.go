package dbtest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
)

// A PostgreSQL template is shared by every test binary that asks for the same name with the
// same migrations: its database name holds a digest of them (templateName). The first binary
// to ask builds it under an advisory lock; the others copy it. A template no longer current
// is dropped once it is a day old.

// templatePrefix starts the name of every template database.
const templatePrefix = "settle_tpl_"

// staleTemplate is the age after which a template that is not current is dropped.
const staleTemplate = 24 * time.Hour

// templateLock is the advisory lock held while templates are built or dropped.
const templateLock = 7_531_204_991

// templateName names the template for name: the prefix, name and a digest of Settle's
// PostgreSQL migrations, so that a migration added or edited makes a new template. What
// else a template's migrate did (River's job tables) is brought up to date by the tests'
// own migration of their copy, if a newer River adds to it.
func templateName(name string) (string, error) {
	migrations, err := db.Migrations(config.Postgres)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, m := range migrations {
		fmt.Fprintf(h, "%d %s\n%s\n", m.Version, m.Name, m.SQL)
	}
	return templatePrefix + name + "_" + hex.EncodeToString(h.Sum(nil))[:16], nil
}

// buildPostgresTemplate returns the name of name's template database on base's server,
// creating and migrating it first when no finished one is there. A finished template
// accepts no connections, which CREATE DATABASE … TEMPLATE needs.
func buildPostgresTemplate(base, name string, migrate func(context.Context, *db.DB) error) (string, error) {
	ctx := context.Background()
	tpl, err := templateName(name)
	if err != nil {
		return "", err
	}
	admin, err := openAdmin(base)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, templateLock); err != nil {
		return "", err
	}
	defer func() { _, _ = conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, templateLock) }() // or at the session's end
	dropStaleTemplates(ctx, conn, tpl)
	var finished bool
	switch err := conn.QueryRowContext(ctx, `SELECT NOT datallowconn FROM pg_database WHERE datname = $1`, tpl).Scan(&finished); {
	case err == nil && finished:
		return tpl, nil
	case err == nil: // a build that did not finish
		if _, err := conn.ExecContext(ctx, "DROP DATABASE "+tpl+" WITH (FORCE)"); err != nil {
			return "", err
		}
	case err != sql.ErrNoRows:
		return "", err
	}
	return tpl, createTemplate(ctx, conn, base, tpl, migrate)
}

// createTemplate creates database tpl, migrates it and closes it to connections.
func createTemplate(ctx context.Context, conn *sql.Conn, base, tpl string, migrate func(context.Context, *db.DB) error) error {
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+tpl); err != nil {
		return fmt.Errorf("create database: %w", err)
	}
	u, err := withDatabase(base, tpl)
	if err != nil {
		return err
	}
	if err := migrateAt(ctx, u, migrate); err != nil {
		return err
	}
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	if _, err := conn.ExecContext(ctx, "COMMENT ON DATABASE "+tpl+" IS '"+stamp+"'"); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, "ALTER DATABASE "+tpl+" WITH ALLOW_CONNECTIONS false")
	return err
}

// dropStaleTemplates drops the templates other than current made more than staleTemplate
// ago (their comment holds the Unix second they were made at). A failure leaves them for
// another time.
func dropStaleTemplates(ctx context.Context, conn *sql.Conn, current string) {
	rows, err := conn.QueryContext(ctx, `SELECT d.datname, coalesce(shobj_description(d.oid, 'pg_database'), '')
		FROM pg_database d WHERE d.datname LIKE $1 AND d.datname <> $2`, templatePrefix+"%", current)
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name, made string
		if rows.Scan(&name, &made) != nil {
			continue
		}
		if sec, err := strconv.ParseInt(made, 10, 64); err != nil || time.Since(time.Unix(sec, 0)) > staleTemplate {
			stale = append(stale, name)
		}
	}
	rows.Close()
	for _, name := range stale {
		_, _ = conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
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
	t.Cleanup(func() { drop(t, base, "DROP DATABASE "+name+" WITH (FORCE)") })
	u, err := withDatabase(base, name)
	if err != nil {
		t.Fatal(err)
	}
	return u
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
