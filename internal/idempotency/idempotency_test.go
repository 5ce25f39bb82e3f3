package idempotency_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/idempotency"
	"github.com/settlehq/settle/internal/problem"
)

func TestKeysReplayConflictAndExpire(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		d, clk, acct := newAccount(t, engine)
		store := idempotency.NewStore(d, clk)
		runs := 0
		do := func(hash string, status int) (idempotency.Response, bool, error) {
			return store.Do(ctx, acct.ID, "k", hash, func(context.Context) idempotency.Response {
				runs++
				return idempotency.Response{Status: status, Body: []byte(`{"n":1}`)}
			})
		}
		if _, _, err := do("h1", 500); err != nil || runs != 1 {
			t.Fatalf("first try: %v, runs %d", err, runs)
		}
		if r, replayed, err := do("h1", 201); err != nil || replayed || r.Status != 201 || runs != 2 {
			t.Fatalf("a server error is not remembered, so the retry runs: %+v %v %v runs %d", r, replayed, err, runs)
		}
		if r, replayed, err := do("h1", 201); err != nil || !replayed || string(r.Body) != `{"n":1}` || runs != 2 {
			t.Fatalf("replay: %+v %v %v runs %d", r, replayed, err, runs)
		}
		if _, _, err := do("h2", 201); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("same key, other request: %v", err)
		}
		clk.Advance(idempotency.Retention + time.Minute)
		if n, err := store.DeleteExpired(ctx); err != nil || n != 1 {
			t.Fatalf("DeleteExpired = %d, %v", n, err)
		}
		if _, replayed, err := do("h2", 201); err != nil || replayed || runs != 3 {
			t.Fatalf("an expired key is free again: %v %v runs %d", replayed, err, runs)
		}
	})
}

// TestAnswerKeptWhenTheWriteFails: a request whose write fails in the database (here a
// duplicate key, which aborts a PostgreSQL transaction) and is answered with a client
// error keeps that answer under its key, and none of its writes.
func TestAnswerKeptWhenTheWriteFails(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		d, clk, acct := newAccount(t, engine)
		if _, err := d.Write.Exec(`CREATE TABLE seats (seat TEXT PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		store := idempotency.NewStore(d, clk)
		book := func(key string, seats ...string) (idempotency.Response, bool, error) {
			return store.Do(ctx, acct.ID, key, "h-"+key, func(ctx context.Context) idempotency.Response {
				err := d.InTx(ctx, func(tx *sql.Tx) error {
					for _, s := range seats {
						if _, err := tx.ExecContext(ctx, `INSERT INTO seats (seat) VALUES ($1)`, s); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					return idempotency.Response{Status: 409, Body: []byte(err.Error())}
				}
				return idempotency.Response{Status: 201}
			})
		}
		if r, _, err := book("a", "1A"); err != nil || r.Status != 201 {
			t.Fatalf("first booking: %+v %v", r, err)
		}
		if r, _, err := book("b", "2B", "1A"); err != nil || r.Status != 409 {
			t.Fatalf("booking a taken seat: %+v %v, want 409 stored", r, err)
		}
		if r, replayed, err := book("b", "2B", "1A"); err != nil || !replayed || r.Status != 409 {
			t.Fatalf("replay of the failed booking: %+v %v %v", r, replayed, err)
		}
		var n int
		if err := d.Read.QueryRow(`SELECT count(*) FROM seats`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("seats booked: %d %v, want 1 (2B undone)", n, err)
		}
	})
}

// newAccount opens a database of engine with one account, on a fixed clock.
func newAccount(t *testing.T, engine config.Engine) (*db.DB, *clock.Fixed, auth.Account) {
	t.Helper()
	d := dbtest.Open(t, engine)
	clk := &clock.Fixed{T: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	acct, _, err := auth.NewService(d, clk).CreateAccount(context.Background(), auth.FirstRun{AccountName: "Acme", Country: "US",
		Admin: auth.NewUser{Email: "admin@acme.test", Password: "a long password"}})
	if err != nil {
		t.Fatal(err)
	}
	return d, clk, acct
}
