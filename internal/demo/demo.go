// Package demo fills an account with a year of realistic activity — companies and their
// contacts, payment links, invoices, payments by card and bank debit in several currencies,
// integration payments, refunds, failed debits and disputes — for people trying Settle and
// for benchmarks that need a large dataset (`settle demo`).
//
// Everything goes through the services the API uses, with the clock moved across the year,
// so the records, their associations and timelines, the ledger and the scheduled work agree
// exactly as after a year of real use, and `settle verify` proves it. Speed comes from
// writing many payments per transaction (their held-back rows merge into multi-row
// statements), not from a second way of writing.
package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/invoice"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/schedule"
)

// Deps are the services the demo writes through; Clock must be the clock they were built
// with.
type Deps struct {
	DB       *db.DB
	Clock    *Clock
	Auth     *auth.Service
	CRM      *crm.Service
	Payments *payment.Service
	Checkout *checkout.Service
	Invoices *invoice.Service
	Schedule *schedule.Schedule
}

// Options say how much to write.
type Options struct {
	// Payments is how many payments to make, at least 1.
	Payments int
	// Days is how far back the history starts; 365 when 0.
	Days int
	// Batch is how many payments share one transaction; 250 when 0.
	Batch int
	// Workers is how many batches are written at once, 1 when 0. Several help PostgreSQL,
	// not SQLite, which has one writer.
	Workers int
	// Seed makes the data repeatable: the same seed on an empty account writes the same
	// amounts, buyers and methods.
	Seed uint64
	// Progress, when set, is told how many payments are done after each batch, one call at
	// a time.
	Progress func(done int)
}

// Result counts what the demo wrote.
type Result struct {
	Payments, Companies, Links, Invoices, Refunds int
	// Contacts and Deals are how many the account gained: those written up front and those
	// the payments made.
	Contacts, Deals int
	// Disputed and Failed are the payments made with a dispute card and with a bank account
	// whose debit fails: their disputes open and their debits fail as the year goes by.
	Disputed, Failed int
	Elapsed          time.Duration
}

// MaxPayments bounds one run.
const MaxPayments = 10_000_000

// Clock is the settable clock the demo moves across the year; the services it writes
// through must be built with it.
type Clock struct{ micros atomic.Int64 }

// NewClock returns a clock showing t.
func NewClock(t time.Time) *Clock {
	c := &Clock{}
	c.Set(t)
	return c
}

// Now returns the time the clock shows.
func (c *Clock) Now() time.Time { return time.UnixMicro(c.micros.Load()).UTC() }

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) { c.micros.Store(t.UnixMicro()) }

// Fill writes opts.Payments payments and what surrounds them into account, spread from
// opts.Days ago until now, and leaves the clock at now.
func Fill(ctx context.Context, d Deps, accountID int64, opts Options) (Result, error) {
	if opts.Payments < 1 || opts.Payments > MaxPayments {
		return Result{}, fmt.Errorf("the number of payments must be between 1 and %d, not %d", MaxPayments, opts.Payments)
	}
	opts.Days = max(opts.Days, 0)
	if opts.Days == 0 {
		opts.Days = 365
	}
	if opts.Batch <= 0 {
		opts.Batch = 250
	}
	opts.Workers = max(opts.Workers, 1)
	started := time.Now()
	end := d.Clock.Now()
	f := &filler{Deps: d, opts: opts, account: accountID, rng: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x5e771e)),
		start: end.AddDate(0, 0, -opts.Days), end: end}
	before, err := f.counts(ctx)
	if err != nil {
		return Result{}, err
	}
	d.Clock.Set(f.start)
	err = f.run(ctx)
	d.Clock.Set(end)
	if err == nil {
		err = f.catchUp(ctx)
	}
	if err == nil {
		var after [2]int
		after, err = f.counts(ctx)
		f.result.Contacts, f.result.Deals = after[0]-before[0], after[1]-before[1]
	}
	f.result.Elapsed = time.Since(started)
	return f.result, err
}

// counts returns how many contacts and deals the account has.
func (f *filler) counts(ctx context.Context) (n [2]int, err error) {
	for i, table := range []string{"crm_contacts", "crm_deals"} {
		err = errors.Join(err, f.DB.Read.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE account_id = $1`,
			f.account).Scan(&n[i]))
	}
	return n, err
}

// filler is one run of Fill.
type filler struct {
	Deps
	opts       Options
	account    int64
	rng        *rand.Rand // drawn from by the planner only
	start, end time.Time
	tag        string // tells this run's buyers and links from an earlier run's
	catalog    catalog
	buyers     []buyer

	mu     sync.Mutex // guards result and done
	result Result
	done   int
	// running is held by the worker running due work and follow-ups.
	running sync.Mutex
}

// batch is payments [from, from+len(plans)) as planned, and the invoices sent meanwhile
// that are never paid.
type batch struct {
	from   int
	plans  []plan
	unpaid []plan
}

// run plans the batches in order and has opts.Workers make them.
func (f *filler) run(ctx context.Context) error {
	if err := f.prepare(ctx); err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	batches := make(chan batch)
	g.Go(func() error {
		defer close(batches)
		for from := 0; from < f.opts.Payments; from += f.opts.Batch {
			select {
			case batches <- f.planBatch(from, min(f.opts.Batch, f.opts.Payments-from)):
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	for range f.opts.Workers {
		g.Go(func() error {
			for b := range batches {
				if err := f.make(ctx, b); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// make makes a batch's payments and lets time catch up with them: the invoices they pay
// are opened with them; afterwards some card payments are refunded and, unless another
// worker is at it, the work that fell due and the follow-ups run.
func (f *filler) make(ctx context.Context, b batch) error {
	var got Result
	var refundable []paid
	err := f.retry(ctx, func(ctx context.Context) (err error) {
		got = Result{}
		if err = f.openInvoices(ctx, b, &got); err == nil {
			refundable, err = f.pay(ctx, b.plans, &got)
		}
		return err
	})
	if err == nil {
		err = f.retry(ctx, func(ctx context.Context) error {
			got.Refunds = 0
			return f.refund(ctx, b, refundable, &got)
		})
	}
	if err == nil && f.running.TryLock() {
		_, err = f.runDue(ctx)
		f.running.Unlock()
	}
	if err != nil {
		return fmt.Errorf("payments %d to %d: %w", b.from+1, b.from+len(b.plans), err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.result.add(got)
	f.done += len(b.plans)
	if f.opts.Progress != nil {
		f.opts.Progress(f.done)
	}
	return nil
}

// maxAttempts is how many times a transaction is tried.
const maxAttempts = 5

// retry runs fn in a transaction, again from the start when it loses a deadlock or a
// write conflict to another worker's.
func (f *filler) retry(ctx context.Context, fn func(ctx context.Context) error) error {
	var err error
	for range maxAttempts {
		if err = f.inTx(ctx, fn); !errors.Is(err, problem.ErrConflict) {
			return err
		}
	}
	return err
}

// add adds r's counts to the result.
func (r *Result) add(o Result) {
	r.Payments += o.Payments
	r.Invoices += o.Invoices
	r.Refunds += o.Refunds
	r.Disputed += o.Disputed
	r.Failed += o.Failed
}

// catchUp runs what fell due between the last payment and now, until nothing is left.
func (f *filler) catchUp(ctx context.Context) error {
	for {
		ran, err := f.runDue(ctx)
		if err != nil || ran == 0 {
			return err
		}
	}
}

// runDue runs, in one transaction, the scheduled work due on the account's clock (debits
// settling, funds becoming available, disputes opening), then, in another, every queued
// payment follow-up, and returns how much it ran. Two transactions, because the events the
// scheduled work queues are written when its transaction commits (db.Later), so only a
// later transaction sees them.
func (f *filler) runDue(ctx context.Context) (int, error) {
	var scheduled, followed int
	err := f.retry(ctx, func(ctx context.Context) (err error) {
		scheduled, err = f.Schedule.RunDue(ctx, f.account)
		return err
	})
	if err != nil {
		return scheduled, err
	}
	err = f.retry(ctx, func(ctx context.Context) error {
		for followed = 0; ; {
			n, err := f.Payments.DrainFollowups(ctx)
			followed += n
			if err != nil || n == 0 {
				return err
			}
		}
	})
	return scheduled + followed, err
}

// inTx runs fn in one transaction whose context every service call joins.
func (f *filler) inTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return f.DB.InTx(ctx, func(tx *sql.Tx) error { return fn(f.DB.WithTx(ctx, tx)) })
}
