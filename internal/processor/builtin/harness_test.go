package builtin_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/ledger"
	"github.com/settlehq/settle/internal/processor/builtin"
	"github.com/settlehq/settle/internal/schedule"
)

// thursdayBeforeChristmas is 10:00 in New York on 2026-12-24: the next day is a holiday,
// then a weekend.
var thursdayBeforeChristmas = time.Date(2026, 12, 24, 15, 0, 0, 0, time.UTC)

// harness is a database with the built-in processor, its schedule and one account per
// country, on a base clock the test controls.
type harness struct {
	db       *db.DB
	url      string
	base     *clock.Fixed
	clocks   *clock.Accounts
	sched    *schedule.Schedule
	proc     *builtin.Processor
	auth     *auth.Service
	accounts map[string]int64
	logs     *syncBuffer
}

// syncBuffer collects logs written from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newHarness(t *testing.T, engine config.Engine) *harness {
	t.Helper()
	h := &harness{url: dbtest.URL(t, engine), base: &clock.Fixed{T: thursdayBeforeChristmas},
		accounts: map[string]int64{}, logs: &syncBuffer{}}
	d, err := db.Open(context.Background(), h.url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(context.Background(), time.Now); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewJSONHandler(io.MultiWriter(h.logs), &slog.HandlerOptions{Level: slog.LevelDebug}))
	h.db, h.clocks, h.auth = d, clock.NewAccounts(h.base, d.Dialect), auth.NewService(d, h.base)
	h.sched = schedule.New(d, h.clocks, logger)
	l, err := ledger.New(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	h.proc = builtin.New(d, h.clocks, l, logger)
	h.proc.Register(h.sched)
	for _, country := range []string{"US", "GB", "CA"} {
		h.accounts[country] = h.newAccount(t, country)
	}
	return h
}

func (h *harness) newAccount(t *testing.T, country string) int64 {
	t.Helper()
	acct, _, err := h.auth.CreateAccount(context.Background(), auth.FirstRun{AccountName: "Shop " + country, Country: country,
		Admin: auth.NewUser{Email: "owner@" + country + ".test", Password: "a long password"}})
	if err != nil {
		t.Fatal(err)
	}
	return acct.ID
}

// count returns the rows of table.
func (h *harness) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := h.db.Read.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
