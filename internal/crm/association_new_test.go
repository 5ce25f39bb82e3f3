package crm_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"testing"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/problem"
)

// TestLinkNewAndLinkedIDs: LinkNew writes both directions with the default types and a
// timeline entry on each side; LinkedIDs finds the live targets by type, leaves archived ones
// out, and sees nothing of another account; two links of a single-valued type are refused.
func TestLinkNewAndLinkedIDs(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		ctx := context.Background()
		alice := f.create(t, "contacts", map[string]string{"email": "alice@example.com"})
		deal := f.create(t, "deals", map[string]string{"dealname": "Plan"})
		gone := f.create(t, "companies", map[string]string{"name": "Gone Ltd"})
		pay := f.create(t, "commerce_payments", map[string]string{"hs_initial_amount": "10", "hs_initiated_date": "2026-11-25"})
		links := []crm.Link{{Type: "contacts", ID: alice.ID}, {Type: "deals", ID: deal.ID}, {Type: "companies", ID: gone.ID}}
		if err := f.db.InTx(ctx, func(tx *sql.Tx) error {
			return f.svc.LinkNew(ctx, tx, f.acct, "commerce_payments", pay.ID, links, api)
		}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Archive(ctx, f.acct, "companies", gone.IDString(), api); err != nil {
			t.Fatal(err)
		}
		ids, err := f.svc.LinkedIDs(ctx, f.acct, "commerce_payments", pay.ID, []string{"contacts", "deals", "companies", "invoices"})
		if err != nil || !slices.Equal(ids["contacts"], []int64{alice.ID}) || !slices.Equal(ids["deals"], []int64{deal.ID}) ||
			len(ids["companies"]) != 0 || len(ids["invoices"]) != 0 {
			t.Fatalf("linked ids: %v, %v", ids, err)
		}
		back, err := f.svc.Associations(ctx, f.acct, "contacts", alice.IDString(), "commerce_payments", 0, 10)
		if err != nil || len(back.Results) != 1 || back.Results[0].ID != pay.ID || back.Results[0].Types[0].TypeID != 388 {
			t.Fatalf("the inverse link: %+v, %v", back, err)
		}
		acts, err := f.svc.Timeline(ctx, f.acct, "deals", deal.IDString())
		if err != nil || !slices.ContainsFunc(acts, func(a crm.Activity) bool { return a.Kind == "associated" }) {
			t.Fatalf("the deal's timeline has no association entry: %+v, %v", acts, err)
		}
		if ids, _ := f.svc.LinkedIDs(ctx, f.other, "commerce_payments", pay.ID, []string{"contacts"}); len(ids["contacts"]) != 0 {
			t.Fatalf("another account sees the payment's contact: %v", ids)
		}
		bob := f.create(t, "contacts", map[string]string{"email": "bob@example.com"})
		pay2 := f.create(t, "commerce_payments", map[string]string{"hs_initial_amount": "10", "hs_initiated_date": "2026-11-25"})
		err = f.db.InTx(ctx, func(tx *sql.Tx) error {
			return f.svc.LinkNew(ctx, tx, f.acct, "commerce_payments", pay2.ID,
				[]crm.Link{{Type: "contacts", ID: alice.ID}, {Type: "contacts", ID: bob.ID}}, api)
		})
		var invalid *problem.InvalidError
		if !errors.As(err, &invalid) {
			t.Fatalf("two contacts for one payment: %v", err)
		}
	})
}
