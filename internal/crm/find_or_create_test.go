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
// when many ask for the same new email at the same time.
func TestFindOrCreate(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		ctx := context.Background()
		ada, gone := f.liveAndArchived(t)
		cases := []struct {
			name, email string
			account     int64
			want        int64 // 0: a new contact
		}{
			{"existing, any case", "ADA@example.com", f.acct, ada.ID},
			{"new", "new@example.com", f.acct, 0},
			{"archived holder", "gone@example.com", f.acct, 0},
			{"another account's", "ada@example.com", f.other, 0},
		}
		for _, tc := range cases {
			id, created, err := f.svc.FindOrCreate(ctx, tc.account, "contacts", "email",
				crm.Input{Properties: map[string]string{"email": tc.email, "firstname": "Ada"}}, api)
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
		raceForOneEmail(t, f)
	})
}

func raceForOneEmail(t *testing.T, f fixture) {
	t.Helper()
	const n = 16
	ids := make([]int64, n)
	created := make([]bool, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ids[i], created[i], errs[i] = f.svc.FindOrCreate(context.Background(), f.acct, "contacts", "email",
				crm.Input{Properties: map[string]string{"email": "race@example.com"}}, api)
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
