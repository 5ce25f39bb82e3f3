package processor_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/processor"
)

// TestPendingInTheProcessorsOrder stores a charge's events in the reverse of the order they
// were made, one of them twice and two at the same instant: Pending returns each once, by
// creation time then id, leaves out the applied one and the other charge's, and a second
// Store of an id reports false.
func TestPendingInTheProcessorsOrder(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		d := dbtest.Open(t, engine)
		c := &clock.Fixed{T: time.Date(2026, time.November, 26, 9, 0, 0, 0, time.UTC)}
		acct, _, err := auth.NewService(d, c).CreateAccount(context.Background(), auth.FirstRun{AccountName: "Atelier", Country: "US",
			Admin: auth.NewUser{Email: "owner@atelier.test", Password: "a long enough password"}})
		if err != nil {
			t.Fatal(err)
		}
		ev := func(id, charge string, hours int) delivered {
			return delivered{charge, processor.NewEvent{ID: id, AccountID: acct.ID, Type: processor.EventRefundSucceeded, ObjectID: "re_" + id,
				Data: map[string]string{"charge_id": charge}, CreatedAt: c.T.Add(time.Duration(hours) * time.Hour)}}
		}
		stored := store(t, d, ev("evt_c", "ch_1", 3), ev("evt_b", "ch_1", 2), ev("evt_a", "ch_1", 2), ev("evt_a", "ch_1", 2),
			ev("evt_x", "ch_2", 1), ev("evt_applied", "ch_1", 0))
		if want := []bool{true, true, true, false, true, true}; !slices.Equal(stored, want) {
			t.Fatalf("stored %v; want %v (the second evt_a a no-op)", stored, want)
		}
		if err := d.InTx(context.Background(), func(tx *sql.Tx) error {
			_, err := processor.MarkApplied(context.Background(), tx, acct.ID, "evt_applied", c.T)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		pending, err := processor.Pending(context.Background(), d.Read, acct.ID, "ch_1")
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, e := range pending {
			ids = append(ids, e.ID)
		}
		if want := []string{"evt_a", "evt_b", "evt_c"}; !slices.Equal(ids, want) {
			t.Fatalf("pending %v; want %v", ids, want)
		}
	})
}

// delivered is an event and the charge it concerns.
type delivered struct {
	charge string
	event  processor.NewEvent
}

// store stores each event with its charge, in one transaction each, and reports which were
// new.
func store(t *testing.T, d *db.DB, events ...delivered) []bool {
	t.Helper()
	var out []bool
	for _, e := range events {
		err := d.InTx(context.Background(), func(tx *sql.Tx) error {
			ok, err := processor.Store(context.Background(), tx, e.charge, e.event)
			out = append(out, ok)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}
