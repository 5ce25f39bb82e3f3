package schedule_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/schedule"
)

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

type fixture struct {
	db    *db.DB
	base  *clock.Fixed
	sched *schedule.Schedule
	acct  int64
}

// newFixture opens a database with an effects table that handlers write to, so that a run
// that took effect twice shows as two rows.
func newFixture(t *testing.T, engine config.Engine) *fixture {
	t.Helper()
	d := dbtest.Open(t, engine)
	if _, err := d.Write.Exec(`CREATE TABLE effects (work_id BIGINT NOT NULL, subject TEXT NOT NULL, seq BIGINT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: d, base: &clock.Fixed{T: start}}
	f.sched = f.newSchedule()
	acct, _, err := auth.NewService(d, f.base).CreateAccount(context.Background(), auth.FirstRun{AccountName: "Acme", Country: "US",
		Admin: auth.NewUser{Email: "owner@acme.test", Password: "a long password"}})
	if err != nil {
		t.Fatal(err)
	}
	f.acct = acct.ID
	return f
}

// newSchedule is one replica's schedule over the fixture's database.
func (f *fixture) newSchedule() *schedule.Schedule {
	s := schedule.New(f.db, clock.NewAccounts(f.base, f.db.Dialect), slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.Handle("effect", func(ctx context.Context, tx *sql.Tx, w schedule.Work) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO effects (work_id, subject, seq)
			VALUES ($1, $2, (SELECT count(*) FROM effects))`, w.ID, w.Subject)
		return err
	})
	return s
}

func (f *fixture) add(t *testing.T, subject string, due time.Time) {
	t.Helper()
	err := f.db.InTx(context.Background(), func(tx *sql.Tx) error {
		return schedule.Add(context.Background(), tx, schedule.NewWork{AccountID: f.acct, Kind: "effect", Subject: subject,
			DueAt: due, CreatedAt: start})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) effects(t *testing.T) []string {
	t.Helper()
	rows, err := f.db.Read.Query(`SELECT subject FROM effects ORDER BY seq`)
	out, err := db.CollectRows[string](rows, err)(func(r db.Scanner) (string, error) {
		var s string
		return s, r.Scan(&s)
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAdvanceRunsDueWorkInOrderOnce(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		f := newFixture(t, engine)
		f.add(t, "third", start.Add(72*time.Hour))
		f.add(t, "first", start.Add(time.Hour))
		f.add(t, "second", start.Add(48*time.Hour))
		f.add(t, "second", start.Add(48*time.Hour)) // the same work again is one row
		f.add(t, "later", start.Add(30*24*time.Hour))
		adv, err := f.sched.Advance(ctx, f.acct, clock.Advance{By: 72 * time.Hour})
		if err != nil || adv.Ran != 3 {
			t.Fatalf("advance ran %d, %v; want 3", adv.Ran, err)
		}
		if got := f.effects(t); len(got) != 3 || got[0] != "first" || got[1] != "second" || got[2] != "third" {
			t.Fatalf("effects %v, want first, second, third", got)
		}
		if n, err := f.sched.RunDue(ctx, f.acct); n != 0 || err != nil {
			t.Fatalf("running again ran %d, %v", n, err)
		}
		pending, _ := f.sched.Pending(ctx, f.acct)
		if len(pending) != 1 || pending[0].Subject != "later" {
			t.Fatalf("pending %+v, want only later", pending)
		}
	})
}

func TestRefusedAdvanceWritesNothing(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		f := newFixture(t, engine)
		f.add(t, "due", start.Add(time.Hour))
		before := start.Add(-time.Minute)
		cases := []struct {
			name string
			live bool
			adv  clock.Advance
			code string
		}{
			{"backwards", false, clock.Advance{To: &before}, "BACKWARDS"},
			{"to now", false, clock.Advance{To: &start}, "BACKWARDS"},
			{"live mode", true, clock.Advance{By: time.Hour}, "LIVE_MODE"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				if _, err := f.db.Write.Exec(`UPDATE accounts SET test_mode = $2 WHERE id = $1`, f.acct, !tc.live); err != nil {
					t.Fatal(err)
				}
				_, err := f.sched.Advance(ctx, f.acct, tc.adv)
				var inv *problem.InvalidError
				if !errors.As(err, &inv) || inv.Fields[0].Code != tc.code {
					t.Fatalf("advance = %v, want %s", err, tc.code)
				}
				c, _ := f.sched.TestClock(ctx, f.acct)
				if c.AdvancedBy != 0 || len(f.effects(t)) != 0 {
					t.Fatalf("a refused advance changed the clock (%+v) or ran work", c)
				}
			})
		}
	})
}

// TestReplicasRunEachWorkOnce has two replicas' schedules run the same due work from
// several goroutines at once: every row takes effect exactly once.
func TestReplicasRunEachWorkOnce(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		f := newFixture(t, engine)
		for i := range 40 {
			f.add(t, "w"+strconv.Itoa(i), start.Add(-time.Duration(i)*time.Minute))
		}
		replicas := []*schedule.Schedule{f.sched, f.newSchedule()}
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Go(func() {
				if _, err := replicas[i%2].RunAllDue(ctx); err != nil && !errors.Is(err, problem.ErrUnavailable) {
					t.Errorf("run: %v", err)
				}
			})
		}
		wg.Wait()
		if _, err := f.sched.RunAllDue(ctx); err != nil {
			t.Fatal(err)
		}
		got := f.effects(t)
		seen := map[string]int{}
		for _, s := range got {
			seen[s]++
		}
		if len(got) != 40 || len(seen) != 40 {
			t.Fatalf("%d effects for %d distinct rows, want 40 each once", len(got), len(seen))
		}
	})
}

func TestFailedWorkIsRetried(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		f := newFixture(t, engine)
		fail := true
		f.sched.Handle("flaky", func(ctx context.Context, tx *sql.Tx, w schedule.Work) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO effects (work_id, subject, seq) VALUES ($1, 'flaky', 0)`, w.ID); err != nil {
				return err
			}
			if fail {
				return errors.New("the bank is closed")
			}
			return nil
		})
		err := f.db.InTx(ctx, func(tx *sql.Tx) error {
			return schedule.Add(ctx, tx, schedule.NewWork{AccountID: f.acct, Kind: "flaky", Subject: "x", DueAt: start, CreatedAt: start})
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.sched.RunDue(ctx, f.acct); err == nil || len(f.effects(t)) != 0 {
			t.Fatalf("a failing handler: %v, effects %v; want the error and nothing kept", err, f.effects(t))
		}
		var attempts int
		var last string
		_ = f.db.Read.QueryRow(`SELECT attempts, last_error FROM schedule`).Scan(&attempts, &last)
		if attempts != 1 || last == "" {
			t.Fatalf("attempts %d, last error %q", attempts, last)
		}
		fail = false
		if n, err := f.sched.RunDue(ctx, f.acct); n != 1 || err != nil {
			t.Fatalf("retry ran %d, %v", n, err)
		}
	})
}

// TestLiveAccountsRunOnTheirOwnTime checks that a live account's work runs when the system
// clock reaches it, through the same path as test mode.
func TestLiveAccountsRunOnTheirOwnTime(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		f := newFixture(t, engine)
		if _, err := f.db.Write.Exec(`UPDATE accounts SET test_mode = FALSE WHERE id = $1`, f.acct); err != nil {
			t.Fatal(err)
		}
		f.add(t, "soon", start.Add(time.Hour))
		if n, _ := f.sched.RunAllDue(ctx); n != 0 {
			t.Fatalf("ran %d before it was due", n)
		}
		f.base.Advance(time.Hour)
		if n, err := f.sched.RunAllDue(ctx); n != 1 || err != nil {
			t.Fatalf("ran %d, %v once due", n, err)
		}
	})
}
