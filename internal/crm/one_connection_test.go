package crm_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/problem"
)

// onePool is a fixture on PostgreSQL whose pool holds one connection once migrated, and a
// context that gives up after 10 s: a write that asks the pool for a second connection
// while it holds one in its transaction waits for it until then.
func onePool(t *testing.T) (*crm.Service, int64, context.Context) {
	f := newFixture(t, config.Postgres)
	f.db.Write.SetMaxOpenConns(1)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return f.svc, f.acct, ctx
}

// TestConflictsAreExplainedInTheirTransaction: a write refused because a live record holds
// its unique value names that record from inside its own transaction.
func TestConflictsAreExplainedInTheirTransaction(t *testing.T) {
	svc, acct, ctx := onePool(t)
	ada, err := svc.Create(ctx, acct, "contacts", crm.Input{Properties: map[string]string{"email": "ada@example.com"}}, api)
	if err != nil {
		t.Fatal(err)
	}
	grace, err := svc.Create(ctx, acct, "contacts", crm.Input{Properties: map[string]string{"email": "grace@example.com"}}, api)
	if err != nil {
		t.Fatal(err)
	}
	want := "Existing ID: " + ada.IDString()
	_, err = svc.Create(ctx, acct, "contacts", crm.Input{Properties: map[string]string{"email": "ADA@example.com"}}, api)
	if !errors.Is(err, problem.ErrConflict) || !contains(err.Error(), want) {
		t.Errorf("creating a duplicate on one connection: %v", err)
	}
	_, err = svc.Update(ctx, acct, "contacts", grace.IDString(), "", map[string]string{"email": "ada@example.com"}, api)
	if !errors.Is(err, problem.ErrConflict) || !contains(err.Error(), want) {
		t.Errorf("taking a live contact's email on one connection: %v", err)
	}
}

// readingHook reads the record a change is about, through the service, with the context
// its hook method is given.
type readingHook struct{ svc *crm.Service }

func (readingHook) BeforeCreate(context.Context, int64, map[string]string) (map[string]string, error) {
	return nil, nil
}

func (readingHook) AfterCreate(context.Context, *sql.Tx, crm.Created) (bool, error) {
	return false, nil
}

func (h readingHook) BeforeChange(ctx context.Context, accountID int64, rec crm.Record, _ map[string]string) error {
	_, err := h.svc.Get(ctx, accountID, rec.Type.Name, rec.IDString(), "", crm.ReadOptions{Archived: rec.ArchivedAt != nil})
	return err
}

func (readingHook) AfterUpdate(context.Context, *sql.Tx, int64, crm.Record, crm.Record, crm.Source) error {
	return nil
}

// TestHooksReadInTheChangingTransaction: the context a hook's BeforeChange is given carries
// the write's transaction, so what it reads needs no second connection.
func TestHooksReadInTheChangingTransaction(t *testing.T) {
	svc, acct, ctx := onePool(t)
	svc.SetHook("deals", readingHook{svc})
	deal, err := svc.Create(ctx, acct, "deals", crm.Input{Properties: map[string]string{"dealname": "Renewal"}}, api)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Update(ctx, acct, "deals", deal.IDString(), "", map[string]string{"dealname": "Renewal 2027"}, api); err != nil {
		t.Errorf("update: %v", err)
	}
	if err := svc.Archive(ctx, acct, "deals", deal.IDString(), api); err != nil {
		t.Errorf("archive: %v", err)
	}
	if _, err := svc.Restore(ctx, acct, "deals", deal.IDString(), api); err != nil {
		t.Errorf("restore: %v", err)
	}
}
