package payment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// queueEnv is a Service over a fresh database with one account, on a clock the test moves.
type queueEnv struct {
	s       *Service
	clock   *clock.Fixed
	account int64
	mu      sync.Mutex
	failFor map[int64]int // failures still to come, by payment
}

func newQueueEnv(t *testing.T, engine config.Engine) *queueEnv {
	t.Helper()
	d := dbtest.Open(t, engine)
	c := &clock.Fixed{T: time.Date(2026, time.November, 26, 9, 0, 0, 0, time.UTC)}
	accounts := auth.NewService(d, c)
	acct, _, err := accounts.CreateAccount(context.Background(), auth.FirstRun{AccountName: "Atelier", Country: "FR",
		Admin: auth.NewUser{Email: "owner@atelier.test", Password: "a long enough password"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Write.Exec(`CREATE TABLE test_receipts (payment_id BIGINT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	e := &queueEnv{clock: c, account: acct.ID, failFor: map[int64]int{}}
	e.s = New(Deps{DB: d, Clocks: clock.NewAccounts(c, d.Dialect), CRM: crm.NewService(d, c, crm.NewRegistry()), Accounts: accounts})
	e.s.HandleFollowup(KindReceipt, e.receipt)
	return e
}

// receipt is the test's receipt handler: it writes a row in tx, and fails while failFor says
// so.
func (e *queueEnv) receipt(ctx context.Context, tx *sql.Tx, f Followup) error {
	e.mu.Lock()
	fail := e.failFor[f.PaymentID] > 0
	if fail {
		e.failFor[f.PaymentID]--
	}
	e.mu.Unlock()
	if fail {
		return fmt.Errorf("mail server refused payment %d's receipt", f.PaymentID)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO test_receipts (payment_id) VALUES ($1)`, f.PaymentID)
	return err
}

// receipts counts the receipts of each payment in ids that were committed.
func (e *queueEnv) receipts(t *testing.T, ids ...int64) []int {
	t.Helper()
	out := make([]int, len(ids))
	for i, id := range ids {
		if err := e.s.db.Read.QueryRow(`SELECT count(*) FROM test_receipts WHERE payment_id = $1`, id).Scan(&out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// queue records events of payments in one transaction, which fails when fail is set.
func (e *queueEnv) queue(t *testing.T, fail bool, ev Event, payments ...int64) {
	t.Helper()
	err := e.s.db.InTx(context.Background(), func(tx *sql.Tx) error {
		for _, id := range payments {
			p := Payment{ID: id, AccountID: e.account, Processor: ProcessorSettle, Type: "one_time_or_initial"}
			if err := e.s.followups(context.Background(), tx, p, ev); err != nil {
				return err
			}
		}
		if fail {
			return errors.New("the payment's transaction failed")
		}
		return nil
	})
	if (err != nil) != fail {
		t.Fatalf("queue: %v", err)
	}
}

func (e *queueEnv) drain(t *testing.T, wantTaken int, wantErr string) {
	t.Helper()
	n, err := e.s.DrainFollowups(context.Background())
	if n != wantTaken || (err == nil) != (wantErr == "") || (err != nil && !strings.Contains(err.Error(), wantErr)) {
		t.Fatalf("drain took %d events with error %v; want %d and %q", n, err, wantTaken, wantErr)
	}
}

func (e *queueEnv) followupsOf(t *testing.T, payment int64) string {
	t.Helper()
	got, err := e.s.Followups(context.Background(), e.account, payment)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(got, " ")
}

// TestQueuedFollowupsRunOnce queues the events of two committed payments and one whose
// transaction failed: one drain runs the two (and only them), records every follow-up,
// empties the queue, and neither a second drain nor a duplicate delivery runs anything again.
func TestQueuedFollowupsRunOnce(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		e := newQueueEnv(t, engine)
		e.queue(t, false, EventSucceeded, 1, 2)
		e.queue(t, true, EventSucceeded, 3)
		e.drain(t, 2, "")
		want := "payment_notify:payment.succeeded payment_receipt:payment.succeeded payment_webhooks:payment.succeeded payment_workflows:payment.succeeded"
		for _, id := range []int64{1, 2} {
			if got := e.followupsOf(t, id); got != want {
				t.Errorf("payment %d follow-ups %q, want %q", id, got, want)
			}
		}
		if got := e.followupsOf(t, 3); got != "" {
			t.Errorf("the rolled-back payment has follow-ups %q", got)
		}
		e.drain(t, 0, "")
		if err := e.s.RunEvent(context.Background(), Followup{AccountID: e.account, PaymentID: 1, Event: string(EventSucceeded)},
			[]string{KindReceipt}); err != nil {
			t.Fatal(err)
		}
		if got := e.receipts(t, 1, 2, 3); !slices.Equal(got, []int{1, 1, 0}) {
			t.Errorf("receipts of payments 1, 2, 3: %v, want 1 1 0", got)
		}
	})
}

// TestFailingFollowupWaitsAndOthersGoThrough makes one payment's receipt fail: the events
// queued with it still run, the failing one keeps its error and waits two seconds, then runs
// once its handler succeeds.
func TestFailingFollowupWaitsAndOthersGoThrough(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		e := newQueueEnv(t, engine)
		e.failFor[2] = 2 // in the batch, then alone
		e.queue(t, false, EventSucceeded, 1, 2, 3)
		e.drain(t, 3, "mail server refused payment 2's receipt")
		if got := e.receipts(t, 1, 2, 3); !slices.Equal(got, []int{1, 0, 1}) {
			t.Errorf("receipts of payments 1, 2, 3: %v, want 1 0 1", got)
		}
		if got := e.followupsOf(t, 2); got != "" {
			t.Errorf("the failed event recorded follow-ups %q", got)
		}
		var attempts int
		var lastError string
		if err := e.s.db.Read.QueryRow(`SELECT attempts, last_error FROM payment_event_queue WHERE payment_id = 2`).
			Scan(&attempts, &lastError); err != nil {
			t.Fatal(err)
		}
		if attempts != 1 || !strings.Contains(lastError, "mail server refused") {
			t.Errorf("queued event has attempts %d, last error %q", attempts, lastError)
		}
		e.drain(t, 0, "")
		e.clock.Advance(2 * time.Second)
		e.drain(t, 1, "")
		if got := e.receipts(t, 2); got[0] != 1 || !strings.Contains(e.followupsOf(t, 2), "payment_receipt:payment.succeeded") {
			t.Errorf("after the wait: %d receipts, follow-ups %q", got[0], e.followupsOf(t, 2))
		}
	})
}

// TestRunnersShareTheQueue drains 300 events from four runners at once, as replicas do:
// every event's receipt runs exactly once.
func TestRunnersShareTheQueue(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		e := newQueueEnv(t, engine)
		const events = 300
		ids := make([]int64, events)
		for i := range ids {
			ids[i] = int64(i + 1)
		}
		e.queue(t, false, EventSucceeded, ids...)
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					n, err := e.s.DrainFollowups(context.Background())
					if err != nil {
						errs <- err
						return
					}
					if n == 0 {
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		for i, n := range e.receipts(t, ids...) {
			if n != 1 {
				t.Fatalf("payment %d has %d receipts", ids[i], n)
			}
		}
	})
}

// TestDrainTakesOneBatchWhateverTheStatistics: with planner statistics gathered when the
// queue had just been drained — its pages hold only deleted rows, so PostgreSQL then takes
// the queue for empty however long it grows — a drain of a long queue takes one batch, not
// the whole queue (PostgreSQL ran the batch's subquery again for every queued row).
func TestDrainTakesOneBatchWhateverTheStatistics(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		e := newQueueEnv(t, engine)
		const events = 3*FollowupBatch + 7
		ids := make([]int64, 2*events)
		for i := range ids {
			ids[i] = int64(i + 1)
		}
		e.queue(t, false, EventSucceeded, ids[:events]...)
		for range 4 {
			if _, err := e.s.DrainFollowups(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.s.db.Write.Exec(`ANALYZE payment_event_queue`); err != nil {
			t.Fatal(err)
		}
		e.queue(t, false, EventSucceeded, ids[events:]...)
		for _, want := range []int{FollowupBatch, FollowupBatch, FollowupBatch, 7, 0} {
			e.drain(t, want, "")
		}
	})
}
