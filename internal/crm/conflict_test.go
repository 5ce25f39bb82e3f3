package crm_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/problem"
)

// TestConflictsAreExplainedInTheirTransaction: a write refused because a live record holds
// its unique value names that record from inside its own transaction. On a PostgreSQL pool
// of one connection, a second connection for the explanation would never come, and the
// write would hang until its deadline.
func TestConflictsAreExplainedInTheirTransaction(t *testing.T) {
	d, err := db.Open(context.Background(), dbtest.URL(t, config.Postgres)+"&pool_max_conns=1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(context.Background(), time.Now); err != nil {
		t.Fatal(err)
	}
	clk := clock.System{}
	a, _, err := auth.NewService(d, clk).CreateAccount(context.Background(), auth.FirstRun{AccountName: "Acme", Country: "US",
		Admin: auth.NewUser{Email: "admin@acme.test", Password: "a long password"}})
	if err != nil {
		t.Fatal(err)
	}
	svc := crm.NewService(d, clk, crm.NewRegistry())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ada, err := svc.Create(ctx, a.ID, "contacts", crm.Input{Properties: map[string]string{"email": "ada@example.com"}}, api)
	if err != nil {
		t.Fatal(err)
	}
	grace, err := svc.Create(ctx, a.ID, "contacts", crm.Input{Properties: map[string]string{"email": "grace@example.com"}}, api)
	if err != nil {
		t.Fatal(err)
	}
	want := "Existing ID: " + ada.IDString()
	_, err = svc.Create(ctx, a.ID, "contacts", crm.Input{Properties: map[string]string{"email": "ADA@example.com"}}, api)
	if !errors.Is(err, problem.ErrConflict) || !contains(err.Error(), want) {
		t.Errorf("creating a duplicate on one connection: %v", err)
	}
	_, err = svc.Update(ctx, a.ID, "contacts", grace.IDString(), "", map[string]string{"email": "ada@example.com"}, api)
	if !errors.Is(err, problem.ErrConflict) || !contains(err.Error(), want) {
		t.Errorf("taking a live contact's email on one connection: %v", err)
	}
}
