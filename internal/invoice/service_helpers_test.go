package invoice_test

import (
	"context"
	"database/sql"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/i18n"
	"github.com/settlehq/settle/internal/invoice"
)

// env is an invoice service over a real database, with one account based in France whose
// clock says 2026-03-27 23:30 UTC: already March 28 in Paris.
type env struct {
	clock     *clock.Fixed
	db        *db.DB
	crm       *crm.Service
	invoices  *invoice.Service
	jobs      *jobLog
	accountID int64
}

// now is the base clock of every env.
var now = time.Date(2026, time.March, 27, 23, 30, 0, 0, time.UTC)

func newEnv(t *testing.T, engine config.Engine) *env {
	t.Helper()
	ctx := context.Background()
	d := dbtest.Open(t, engine)
	c := &clock.Fixed{T: now}
	e := &env{clock: c, db: d, crm: crm.NewService(d, c, crm.NewRegistry()), jobs: &jobLog{}}
	accounts := auth.NewService(d, c)
	acct, _, err := accounts.CreateAccount(ctx, auth.FirstRun{AccountName: "Brasserie Müller", Country: "FR",
		Admin: auth.NewUser{Email: "owner@brasserie.test", Password: "a long enough password"}})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	e.accountID = acct.ID
	e.invoices = invoice.New(invoice.Deps{DB: d, Clocks: clock.NewAccounts(c, d.Dialect), CRM: e.crm, Accounts: accounts,
		Jobs: e.jobs, Catalog: cat})
	return e
}

// otherAccount returns e as seen by a second account, in the same database.
func (e *env) otherAccount(t *testing.T) *env {
	t.Helper()
	accounts := auth.NewService(e.db, e.clock)
	acct, _, err := accounts.CreateAccount(context.Background(), auth.FirstRun{AccountName: "Neighbour", Country: "GB",
		Admin: auth.NewUser{Email: "boss@neighbour.test", Password: "a long enough password"}})
	if err != nil {
		t.Fatal(err)
	}
	other := *e
	other.accountID = acct.ID
	return &other
}

// api is the source of writes made as a client of the CRM API, which hooks apply to.
var api = crm.Source{Type: "API", ID: "test"}

// draft creates a draft invoice through the CRM with line items, each given as its
// properties, associated with it as they are created.
func (e *env) draft(t *testing.T, props map[string]string, lines ...map[string]string) crm.Record {
	t.Helper()
	ctx := context.Background()
	inv, err := e.crm.Create(ctx, e.accountID, invoice.Type, crm.Input{Properties: props}, api)
	if err != nil {
		t.Fatalf("create invoice: %v", err)
	}
	for _, l := range lines {
		in := crm.Input{Properties: l, Associations: []crm.AssociationInput{{ToType: invoice.Type, ToID: inv.IDString()}}}
		if _, err := e.crm.Create(ctx, e.accountID, "line_items", in, api); err != nil {
			t.Fatalf("create line item %v: %v", l, err)
		}
	}
	return inv
}

// line is a line item's properties: a name, a price and a quantity, then more pairs.
func line(name, price, quantity string, more ...string) map[string]string {
	p := map[string]string{"name": name, "price": price, "quantity": quantity}
	for i := 0; i+1 < len(more); i += 2 {
		p[more[i]] = more[i+1]
	}
	return p
}

// jobLog is a job client that remembers every job inserted, whether or not its transaction
// committed; tests that roll back look at the database instead.
type jobLog struct {
	mu   sync.Mutex
	jobs []river.JobArgs
}

func (l *jobLog) InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, _ *river.InsertOpts) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.jobs = append(l.jobs, args)
	return nil
}

func (l *jobLog) all() []river.JobArgs {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]river.JobArgs(nil), l.jobs...)
}

// forEach runs fn on a new env for every engine.
func forEach(t *testing.T, fn func(t *testing.T, e *env)) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) { fn(t, newEnv(t, engine)) })
}
