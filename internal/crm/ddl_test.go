package crm

import (
	"flag"
	"os"
	"testing"

	"github.com/settlehq/settle/internal/config"
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
