package crm_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// TestCreateIfAbsent: inside a transaction, creating a contact whose email a live contact
// already has (in another case) writes nothing and reports it (on PostgreSQL with the
// holder's ID), and the transaction goes on
// to commit its other writes; a new email creates the contact.
func TestCreateIfAbsent(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		ctx := context.Background()
		ada := f.create(t, "contacts", map[string]string{"email": "ada@example.com"})
		var again, grace crm.Record
		var againCreated, graceCreated bool
		err := f.db.InTx(ctx, func(tx *sql.Tx) error {
			inner := f.db.WithTx(ctx, tx)
			var err error
			again, againCreated, err = f.svc.CreateIfAbsent(inner, f.acct, "contacts",
				crm.Input{Properties: map[string]string{"email": "ADA@example.com", "firstname": "Other"}}, api)
			if err != nil {
				return err
			}
			grace, graceCreated, err = f.svc.CreateIfAbsent(inner, f.acct, "contacts",
				crm.Input{Properties: map[string]string{"email": "grace@example.com"}}, api)
			return err
		})
		if err != nil {
			t.Fatalf("transaction: %v", err)
		}
		holder := ada.ID // named by PostgreSQL's insert, unknown on SQLite
		if engine == config.SQLite {
			holder = 0
		}
		if againCreated || again.ID != holder {
			t.Errorf("same email: created=%v id %d, want nothing created and id %d", againCreated, again.ID, holder)
		}
		if !graceCreated || grace.ID == 0 {
			t.Fatalf("new email: created=%v id %d", graceCreated, grace.ID)
		}
		got, err := f.svc.Get(ctx, f.acct, "contacts", "ada@example.com", "email", crm.ReadOptions{})
		if err != nil || got.ID != ada.ID || got.Values["firstname"] != "" {
			t.Errorf("the existing contact: %+v %v, want it untouched", got.Record, err)
		}
		if _, err := f.svc.Get(ctx, f.acct, "contacts", grace.IDString(), "", crm.ReadOptions{}); err != nil {
			t.Errorf("the new contact was not committed: %v", err)
		}
	})
}
