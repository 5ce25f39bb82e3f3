package dbtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/testenv"
)

// A test that starts from a migrated database gets a copy of one migrated once: migrating
// costs from a few hundred milliseconds to a second, most of it in the database; a copy is a
// file write on SQLite and a CREATE DATABASE … TEMPLATE on PostgreSQL. A SQLite template
// lives in the test binary's memory; a PostgreSQL one on the server, shared by the test
// binaries (template_postgres.go).

// templates holds the migrated databases built so far, by engine and name.
var templates sync.Map // engine/name → *template

// template is one migrated database: the files of a SQLite one, by name suffix ("",
// "-wal"), or the name of a PostgreSQL one.
type template struct {
	once     sync.Once
	files    map[string][]byte
	database string
	err      error
}

// MigratedURL returns the URL of a new database of engine, removed when t ends, on which
// migrate has run: a copy of the database migrate built for name — in t's temp dir for
// SQLite, a new database on the server of SETTLE_TEST_DATABASE_URL for PostgreSQL. migrate
// must do the same for a name every time.
func MigratedURL(t testing.TB, engine config.Engine, name string, migrate func(context.Context, *db.DB) error) string {
	t.Helper()
	base := os.Getenv("SETTLE_TEST_DATABASE_URL")
	if engine == config.Postgres {
		testenv.Need(t, base != "", "SETTLE_TEST_DATABASE_URL is not set (a PostgreSQL URL)")
	}
	v, _ := templates.LoadOrStore(string(engine)+"/"+name, &template{})
	tpl := v.(*template)
	tpl.once.Do(func() {
		if engine == config.SQLite {
			tpl.files, tpl.err = buildSQLiteTemplate(migrate)
		} else {
			tpl.database, tpl.err = buildPostgresTemplate(base, name, migrate)
		}
	})
	if tpl.err != nil {
		t.Fatalf("migrated %s template %q: %v", engine, name, tpl.err)
	}
	if engine == config.Postgres {
		return copyPostgres(t, base, tpl.database)
	}
	return copySQLite(t, tpl.files)
}

// copySQLite writes files into t's temp dir and returns the database's URL.
func copySQLite(t testing.TB, files map[string][]byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "settle.db")
	for suffix, b := range files {
		if err := os.WriteFile(path+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return "sqlite://" + path
}

// buildSQLiteTemplate migrates a new SQLite database, closes it and returns its files' contents.
func buildSQLiteTemplate(migrate func(context.Context, *db.DB) error) (map[string][]byte, error) {
	dir, err := os.MkdirTemp("", "settle-template-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "settle.db")
	if err := migrateAt(context.Background(), "sqlite://"+path, migrate); err != nil {
		return nil, err
	}
	return readFiles(path)
}

// migrateAt opens the database at url, runs migrate on it and closes it.
func migrateAt(ctx context.Context, url string, migrate func(context.Context, *db.DB) error) error {
	d, err := db.Open(ctx, url)
	if err != nil {
		return err
	}
	err = migrate(ctx, d)
	if closeErr := d.Close(); err == nil {
		err = closeErr
	}
	return err
}

// readFiles reads path and the files SQLite keeps beside it (its write-ahead log).
func readFiles(path string) (map[string][]byte, error) {
	names, err := filepath.Glob(path + "*")
	if err != nil {
		return nil, err
	}
	files := make(map[string][]byte, len(names))
	for _, name := range names {
		suffix := strings.TrimPrefix(name, path)
		if suffix == "-shm" { // the WAL index, rebuilt from the log by the next opener
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		files[suffix] = b
	}
	if _, ok := files[""]; !ok {
		return nil, fmt.Errorf("no database file at %s", path)
	}
	return files, nil
}
