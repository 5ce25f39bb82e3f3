package crm_test

import (
	"context"
	"sync"
	"testing"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// TestFindOrCreate: a contact is found by its email in any case, created when no live
// contact has it (an archived one does not count, nor another account's), and created once
// when many ask for the same new email at the same time — each with or without the lookup
// done ahead (LookUp).
func TestFindOrCreate(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		ctx := context.Background()
		ada, gone := f.liveAndArchived(t)
		cases := []struct {
			name, email string
			account     int64
			want        int64 // 0: a new contact
			ahead       bool  // looked up before
		}{
			{"existing, any case", "ADA@example.com", f.acct, ada.ID, false},
			{"existing, looked up ahead", "Ada@example.com", f.acct, ada.ID, true},
			{"new", "new@example.com", f.acct, 0, false},
			{"new, looked up ahead", "new-ahead@example.com", f.acct, 0, true},
			{"archived holder", "gone@example.com", f.acct, 0, false},
			{"another account's", "ada@example.com", f.other, 0, false},
		}
		for _, tc := range cases {
			prior := lookUp(t, f, tc.account, tc.email, tc.ahead)
			id, created, err := f.svc.FindOrCreate(ctx, tc.account, "contacts", "email",
				crm.Input{Properties: map[string]string{"email": tc.email, "firstname": "Ada"}}, api, prior)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if created != (tc.want == 0) || (tc.want != 0 && id != tc.want) || id == gone.ID {
				t.Errorf("%s: id %d, created %v; want id %d (0: new)", tc.name, id, created, tc.want)
			}
			got, err := f.svc.IDOf(ctx, tc.account, "contacts", "email", tc.email)
			if err != nil || got != id {
				t.Errorf("%s: the live contact with this email is %d (%v), FindOrCreate said %d", tc.name, got, err, id)
			}
		}
		// On PostgreSQL the insert that finds the email taken also names its holder.
		rec, created, err := f.svc.CreateIfAbsent(ctx, f.acct, "contacts",
			crm.Input{Properties: map[string]string{"email": "Ada@Example.com"}}, api)
		holder := ada.ID
		if engine == config.SQLite {
			holder = 0
		}
		if err != nil || created || rec.ID != holder {
			t.Errorf("CreateIfAbsent of a taken email: %d, created %v, %v; want %d", rec.ID, created, err, holder)
		}
		// Looked up ahead and not found, then created by someone else: found after all.
		prior := lookUp(t, f, f.acct, "late@example.com", true)
		late := f.create(t, "contacts", map[string]string{"email": "late@example.com"})
		id, created, err := f.svc.FindOrCreate(ctx, f.acct, "contacts", "email",
			crm.Input{Properties: map[string]string{"email": "late@example.com"}}, api, prior)
		if err != nil || created || id != late.ID {
			t.Errorf("a contact created since the lookup ahead: %d, created %v, %v; want %d", id, created, err, late.ID)
		}
		if engine == config.SQLite {
			lookUpPrepares(t, f)
		}
		// A lookup of another value is no answer for this one.
		id, created, err = f.svc.FindOrCreate(ctx, f.acct, "contacts", "email",
			crm.Input{Properties: map[string]string{"email": "other@example.com"}}, api, lookUp(t, f, f.acct, "ada@example.com", true))
		if err != nil || !created || id == ada.ID {
			t.Errorf("a lookup of Ada's email given for another: %d, created %v, %v; want a new contact", id, created, err)
		}
		raceForOneEmail(t, f, "race@example.com", false)
		raceForOneEmail(t, f, "race-ahead@example.com", true)
	})
}

// lookUp is the lookup of email done ahead for FindOrCreate, or none when ahead is false.
func lookUp(t *testing.T, f fixture, account int64, email string, ahead bool) crm.Lookup {
	t.Helper()
	if !ahead {
		return crm.Lookup{}
	}
	prior, err := f.svc.LookUp(context.Background(), account, "contacts", "email",
		crm.Input{Properties: map[string]string{"email": email}})
	if err != nil {
		t.Errorf("LookUp %s: %v", email, err)
	}
	return prior
}

func raceForOneEmail(t *testing.T, f fixture, email string, ahead bool) {
	t.Helper()
	const n = 16
	ids := make([]int64, n)
	created := make([]bool, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			prior := lookUp(t, f, f.acct, email, ahead)
			ids[i], created[i], errs[i] = f.svc.FindOrCreate(context.Background(), f.acct, "contacts", "email",
				crm.Input{Properties: map[string]string{"email": email}}, api, prior)
		})
	}
	wg.Wait()
	made := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if ids[i] != ids[0] {
			t.Errorf("caller %d got contact %d, caller 0 got %d", i, ids[i], ids[0])
		}
		if created[i] {
			made++
		}
	}
	if made != 1 {
		t.Errorf("%d callers created the contact, want 1", made)
	}
}

// lookUpPrepares: on SQLite, a lookup ahead that finds nothing prepares the create, which
// FindOrCreate then makes; an input that would be refused is refused by the lookup.
func lookUpPrepares(t *testing.T, f fixture) {
	t.Helper()
	ctx := context.Background()
	prepared, err := f.svc.LookUp(ctx, f.acct, "contacts", "email",
		crm.Input{Properties: map[string]string{"email": "prepared@example.com", "firstname": "Prepared"}})
	if err != nil {
		t.Fatal(err)
	}
	id, created, err := f.svc.FindOrCreate(ctx, f.acct, "contacts", "email",
		crm.Input{Properties: map[string]string{"email": "prepared@example.com", "firstname": "Given"}}, api, prepared)
	if err != nil || !created {
		t.Fatalf("a new contact looked up ahead: %d, created %v, %v", id, created, err)
	}
	got, err := f.svc.Get(ctx, f.acct, "contacts", "prepared@example.com", "email", crm.ReadOptions{})
	if err != nil || got.ID != id || got.Values["firstname"] != "Prepared" {
		t.Errorf("a new contact looked up ahead: %d with firstname %q (%v); want %d with the firstname prepared with the lookup",
			got.ID, got.Values["firstname"], err, id)
	}
	if _, err := f.svc.LookUp(ctx, f.acct, "contacts", "email", crm.Input{Properties: map[string]string{
		"email": "bad@example.com", "no_such_property": "x"}}); err == nil {
		t.Error("LookUp of a contact with an unknown property: no error")
	}
}
