package db_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/problem"
)

// openEmpty opens a new, unmigrated database.
func openEmpty(t *testing.T, engine config.Engine) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), dbtest.URL(t, engine))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestMigrationFoldersMatch(t *testing.T) {
	lite, err := db.Migrations(config.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := db.Migrations(config.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 || len(lite) != len(pg) {
		t.Fatalf("sqlite has %d migrations, postgres %d", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].Version != pg[i].Version || lite[i].Name != pg[i].Name {
			t.Errorf("migration %d: sqlite %03d_%s, postgres %03d_%s", i,
				lite[i].Version, lite[i].Name, pg[i].Version, pg[i].Name)
		}
		if lite[i].Version != i+1 {
			t.Errorf("migration %d has version %d: versions must be 1, 2, 3… without gaps", i, lite[i].Version)
		}
	}
}

func TestMigrate(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		d := openEmpty(t, engine)
		applied, err := d.Migrate(ctx, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		all, _ := db.Migrations(engine)
		if len(applied) != len(all) {
			t.Fatalf("applied %d of %d migrations", len(applied), len(all))
		}
		again, err := d.Migrate(ctx, time.Now)
		if err != nil || len(again) != 0 {
			t.Fatalf("second run applied %d migrations, err %v; want none", len(again), err)
		}
		if err := d.CheckVersion(ctx); err != nil {
			t.Fatalf("CheckVersion after migrate: %v", err)
		}
	})
}

func TestMigrateRefusesNewerDatabase(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		d := openEmpty(t, engine)
		if _, err := d.Migrate(ctx, time.Now); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Write.ExecContext(ctx, `INSERT INTO settle_schema_migrations (version, name, applied_at)
			VALUES (999, 'from_the_future', $1)`, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		_, err := d.Migrate(ctx, time.Now)
		if !errors.Is(err, db.ErrSchemaTooNew) || !strings.Contains(err.Error(), "999") {
			t.Fatalf("Migrate on a newer database: %v; want ErrSchemaTooNew naming version 999", err)
		}
		if err := d.CheckVersion(ctx); !errors.Is(err, db.ErrSchemaTooNew) {
			t.Fatalf("CheckVersion on a newer database: %v", err)
		}
	})
}

func TestFailedMigrationLeavesNothing(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		d := openEmpty(t, engine)
		broken := []db.Migration{
			{Version: 1, Name: "good", SQL: `CREATE TABLE good (id INTEGER PRIMARY KEY)`},
			{Version: 2, Name: "broken", SQL: `CREATE TABLE half (id INTEGER PRIMARY KEY); INSERT INTO nowhere VALUES (1)`},
		}
		applied, err := db.MigrateList(d, ctx, broken, time.Now)
		if err == nil || len(applied) != 1 {
			t.Fatalf("applied %v, err %v; want the first applied and an error", applied, err)
		}
		if !strings.Contains(err.Error(), "002_broken") {
			t.Errorf("error %q does not name the failing migration", err)
		}
		var v int
		if err := d.Read.QueryRowContext(ctx, `SELECT max(version) FROM settle_schema_migrations`).Scan(&v); err != nil || v != 1 {
			t.Fatalf("recorded version %d (err %v), want 1", v, err)
		}
		if _, err := d.Read.ExecContext(ctx, `SELECT * FROM half`); err == nil {
			t.Fatal("table half exists: the failed migration was half applied")
		}
	})
}

func TestUniqueViolationIsConflict(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		d := openEmpty(t, engine)
		if _, err := d.Write.ExecContext(ctx, `CREATE TABLE u (k TEXT PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		insert := func() error {
			return d.InTx(ctx, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO u (k) VALUES ($1)`, "a")
				return err
			})
		}
		if err := insert(); err != nil {
			t.Fatal(err)
		}
		err := insert()
		if !errors.Is(err, problem.ErrConflict) || !db.IsUniqueViolation(err) {
			t.Fatalf("duplicate insert: %v; want ErrConflict", err)
		}
	})
}

func TestOpenErrors(t *testing.T) {
	cases := []struct {
		name, url, want string
	}{
		{"no scheme", "settle.db", "no scheme"},
		{"unknown scheme", "mysql://localhost/x", "not supported"},
		{"sqlite without path", "sqlite://", "file path"},
		{"postgres without database", "postgres://postgres@127.0.0.1:5432", "names no database"},
		{"unreachable postgres", "postgres://postgres:secret@127.0.0.1:1/test?connect_timeout=2", "cannot reach PostgreSQL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.Open(context.Background(), tc.url)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Open(%q) = %v; want an error containing %q", tc.url, err, tc.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

func TestSQLiteFileIsCreatedWithDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nested", "dir", "settle.db")
	d, err := db.Open(context.Background(), "sqlite://"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(context.Background(), time.Now); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database file not created: %v", err)
	}
	var mode string
	if err := d.Read.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q (%v), want wal", mode, err)
	}
	var fk, sync int
	if err := d.Write.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys = %d (%v), want 1", fk, err)
	}
	if err := d.Write.QueryRow(`PRAGMA synchronous`).Scan(&sync); err != nil || sync != 2 {
		t.Fatalf("synchronous = %d (%v), want 2 (FULL)", sync, err)
	}
	if _, err := d.Read.Exec(`CREATE TABLE x (id INTEGER)`); err == nil {
		t.Fatal("the read pool accepted a write")
	}
}

// TestDeletingAnAccountDeletesItsRows: an account's timeline, property history,
// associations, follow-ups and queued events go with it — by their foreign keys on SQLite,
// by a trigger on accounts on PostgreSQL, where they have none — and another account's
// stay.
func TestDeletingAnAccountDeletesItsRows(t *testing.T) {
	tables := []struct{ name, insert string }{
		{"crm_activities", `INSERT INTO crm_activities (account_id, object_type, object_id, kind, occurred_at, source_type)
			VALUES ($1, 'contacts', 1, 'created', $2, 'API')`},
		{"crm_property_changes", `INSERT INTO crm_property_changes (account_id, object_type, object_id, changed_at, source_type, changes)
			VALUES ($1, 'contacts', 1, $2, 'API', '{}')`},
		{"crm_associations", `INSERT INTO crm_associations (account_id, from_type, from_id, to_type, to_id, type_id, category, created_at)
			VALUES ($1, 'contacts', 1, 'companies', 2, 1, 'HUBSPOT_DEFINED', $2)`},
		{"payment_followups", `INSERT INTO payment_followups (account_id, payment_id, kind, event, ran_at)
			VALUES ($1, 1, 'payment_receipt', 'payment.succeeded', $2)`},
		{"payment_event_queue", `INSERT INTO payment_event_queue (account_id, payment_id, event, kinds, created_at, run_after)
			VALUES ($1, 1, 'payment.succeeded', 'payment_receipt', $2, $2)`},
	}
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		d := openEmpty(t, engine)
		if _, err := d.Migrate(ctx, time.Now); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		var accounts [2]int64
		for i := range accounts {
			err := d.Write.QueryRowContext(ctx, `INSERT INTO accounts (name, country, timezone, default_currency,
				settlement_currency, currencies, processor, created_at, updated_at)
				VALUES ('Shop', 'FR', 'Europe/Paris', 'EUR', 'EUR', 'EUR', 'test', $1, $1) RETURNING id`, now).Scan(&accounts[i])
			if err != nil {
				t.Fatal(err)
			}
			for _, tb := range tables {
				if _, err := d.Write.ExecContext(ctx, tb.insert, accounts[i], now); err != nil {
					t.Fatalf("%s: %v", tb.name, err)
				}
			}
		}
		if _, err := d.Write.ExecContext(ctx, `DELETE FROM accounts WHERE id = $1`, accounts[0]); err != nil {
			t.Fatal(err)
		}
		for _, tb := range tables {
			for i, want := range []int{0, 1} {
				var n int
				if err := d.Read.QueryRowContext(ctx, `SELECT count(*) FROM `+tb.name+` WHERE account_id = $1`, accounts[i]).Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n != want {
					t.Errorf("%s: account %d has %d rows after the first account was deleted, want %d", tb.name, i+1, n, want)
				}
			}
		}
	})
}
