package db_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// TestPropertyHistoryBecomesOneRowPerWrite: migration 010 folds the rows of
// crm_property_history that one write made (same record, time and source) into one row of
// crm_property_changes, cleared values as null, in the order of the writes.
func TestPropertyHistoryBecomesOneRowPerWrite(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		d := openEmpty(t, engine)
		all, err := db.Migrations(engine)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.MigrateList(d, ctx, all[:9], time.Now); err != nil {
			t.Fatal(err)
		}
		t1 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		t2 := t1.Add(time.Hour)
		exec(t, d, `INSERT INTO accounts (id, name, country, timezone, default_currency, settlement_currency, currencies, processor, created_at, updated_at)
			VALUES (1, 'Acme', 'US', 'UTC', 'USD', 'USD', 'USD', 'settle', $1, $1)`, t1)
		for _, r := range []struct {
			id       int64
			property string
			value    any
			at       time.Time
			source   string
		}{
			{1, "email", "ada@example.com", t1, "API"}, {2, "firstname", "Ada", t1, "API"},
			{3, "firstname", nil, t2, "CRM_UI"},
		} {
			exec(t, d, `INSERT INTO crm_property_history (id, account_id, object_type, object_id, property, value, changed_at, source_type)
				VALUES ($1, 1, 'contacts', 7, $2, $3, $4, $5)`, r.id, r.property, r.value, r.at, r.source)
		}
		if _, err := db.MigrateList(d, ctx, all, time.Now); err != nil {
			t.Fatal(err)
		}
		rows, err := d.Read.QueryContext(ctx, `SELECT object_id, changed_at, source_type, changes FROM crm_property_changes ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var id int64
			var at time.Time
			var source, changes string
			if err := rows.Scan(&id, &at, &source, &changes); err != nil {
				t.Fatal(err)
			}
			var m map[string]*string
			if err := json.Unmarshal([]byte(changes), &m); err != nil {
				t.Fatalf("changes %q: %v", changes, err)
			}
			norm, _ := json.Marshal(m)
			got = append(got, at.UTC().Format(time.RFC3339)+" "+source+" "+string(norm))
		}
		want := []string{`2026-11-01T09:00:00Z API {"email":"ada@example.com","firstname":"Ada"}`,
			`2026-11-01T10:00:00Z CRM_UI {"firstname":null}`}
		if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
			t.Fatalf("crm_property_changes:\n%v\nwant\n%v", got, want)
		}
	})
}

func exec(t *testing.T, d *db.DB, query string, args ...any) {
	t.Helper()
	if _, err := d.Write.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}
