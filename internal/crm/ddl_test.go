package crm

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
)

var update = flag.Bool("update", false, "rewrite the CRM migration from the object types")

const migrationName = "004_crm_objects.sql"

// TestMigrationMatchesSchema keeps the committed CRM migration equal to what the object
// types describe.
func TestMigrationMatchesSchema(t *testing.T) {
	r := NewRegistry()
	for _, engine := range []config.Engine{config.SQLite, config.Postgres} {
		path := "../db/migrations/" + string(engine) + "/" + migrationName
		want := SchemaSQL(r, engine)
		if *update {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("%s differs from the object types; run go test ./internal/crm -run TestMigrationMatchesSchema -update", path)
		}
	}
}

// TestSQLiteSearchIndexesAreLiveOnly: on a migrated SQLite database, the index of every
// searchable property covers live records only, so that a search's count reads it alone —
// all but the payment's charge id, which finds archived payments too.
func TestSQLiteSearchIndexesAreLiveOnly(t *testing.T) {
	d, err := db.Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "settle.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(context.Background(), time.Now); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, typ := range NewRegistry().Types() {
		for _, p := range typedColumns(typ) {
			if !p.Indexed || p.Unique {
				continue
			}
			name := typ.Table + "_" + p.Column + "_idx"
			var def string
			if err := d.Read.QueryRow(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, name).Scan(&def); err != nil {
				t.Errorf("index %s: %v", name, err)
				continue
			}
			checked++
			live := strings.HasSuffix(def, "WHERE archived_at IS NULL")
			if want := name != "crm_payments_hs_payment_id_idx"; live != want {
				t.Errorf("%s: %s (live-only: %v, want %v)", name, def, live, want)
			}
		}
	}
	if checked < 30 {
		t.Errorf("checked %d indexes; the registry has more searchable properties", checked)
	}
}
