// Package app is Settle's composition root: it opens the database, builds every service and
// the HTTP handler, runs the background workers and shuts it all down in order. The command
// line and the tests start Settle through it, so both run the same wiring.
package app

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/riverqueue/river"

	"github.com/settlehq/settle/internal/api"
	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/files"
	"github.com/settlehq/settle/internal/idempotency"
	"github.com/settlehq/settle/internal/invoice"
	"github.com/settlehq/settle/internal/jobs"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/processor/builtin"
	"github.com/settlehq/settle/internal/schedule"
	"github.com/settlehq/settle/internal/telemetry"
	"github.com/settlehq/settle/internal/ui"
)

// App is a running Settle: its configuration, database, services and HTTP handler.
type App struct {
	Config config.Config
	Logger *slog.Logger
	Clock  clock.Clock
	DB     *db.DB
	Auth   *auth.Service
	CRM    *crm.Service
	// Payments records payments and what follows from them.
	Payments *payment.Service
	// Invoices finalizes, voids, sends and prints invoices.
	Invoices *invoice.Service
	// Checkout keeps payment links and charges buyers through them.
	Checkout *checkout.Service
	// Files keeps uploaded logos and dispute evidence.
	Files *files.Store
	// Idempotency remembers Idempotency-Keys and their answers.
	Idempotency *idempotency.Store
	Jobs        *jobs.Client
	Metrics     *telemetry.Metrics
	API         *api.API
	Handler     http.Handler

	// Clocks tell each account its time; Schedule runs the work that falls due on them.
	Clocks    *clock.Accounts
	Schedule  *schedule.Schedule
	Processor *builtin.Processor

	// followupIdle is how long the payment follow-up runner waits when the queue is empty.
	followupIdle time.Duration
}

// Options adjust how an App is built; the zero value is what `settle serve` uses.
type Options struct {
	// JobPollInterval overrides how often idle workers look for jobs and payment follow-ups
	// (tests use a short one).
	JobPollInterval time.Duration
	// Clock overrides the system clock (settle demo writes a year of history through it).
	Clock clock.Clock
}

// Open connects to the configured database, applies pending migrations and builds every
// service. It starts nothing: call Serve.
func Open(ctx context.Context, cfg config.Config, logger *slog.Logger, opts Options) (*App, error) {
	d, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Logger: logger, Clock: cmp.Or[clock.Clock](opts.Clock, clock.System{}), DB: d, Metrics: telemetry.NewMetrics(),
		followupIdle: cmp.Or(opts.JobPollInterval, 200*time.Millisecond)}
	if _, err := Migrate(ctx, d, a.Clock); err != nil {
		d.Close()
		return nil, err
	}
	a.Auth = auth.NewService(d, a.Clock)
	a.CRM = crm.NewService(d, a.Clock, crm.NewRegistry())
	a.Idempotency = idempotency.NewStore(d, a.Clock)
	a.Files = files.New(d, a.Clock)
	if err := a.buildPayments(ctx); err != nil {
		d.Close()
		return nil, err
	}
	a.Payments = payment.New(payment.Deps{DB: d, Clocks: a.Clocks, CRM: a.CRM, Accounts: a.Auth, Processor: a.Processor})
	a.Processor.OnEvent(a.Payments.ApplyEvent)
	a.Metrics.Registry.MustRegister(newFollowupMetrics(a.Payments))
	if err := a.buildInvoices(); err != nil {
		d.Close()
		return nil, err
	}
	a.Checkout = checkout.New(checkout.Deps{DB: d, Clock: a.Clock, Clocks: a.Clocks, CRM: a.CRM, Payments: a.Payments,
		Invoices: a.Invoices, Accounts: a.Auth, BaseURL: cfg.BaseURL})
	a.Checkout.Register(a.Schedule)
	if a.Jobs, err = jobs.New(d, jobs.Options{Logger: logger, Registry: a.registry(), PollInterval: opts.JobPollInterval}); err != nil {
		d.Close()
		return nil, err
	}
	a.Handler = a.handler()
	return a, nil
}

// Migrate applies Settle's migrations, then River's, and returns Settle's that it applied.
func Migrate(ctx context.Context, d *db.DB, c clock.Clock) ([]db.Migration, error) {
	applied, err := d.Migrate(ctx, c.Now)
	if err != nil {
		return applied, fmt.Errorf("migrate: %w", err)
	}
	if err := jobs.Migrate(ctx, d); err != nil {
		return applied, fmt.Errorf("migrate job tables: %w", err)
	}
	return applied, nil
}

func (a *App) handler() http.Handler {
	mux := http.NewServeMux()
	a.API = api.New(api.Deps{Auth: a.Auth, Idempotency: a.Idempotency, CRM: a.CRM, Payments: a.Payments, Invoices: a.Invoices, Checkout: a.Checkout, Files: a.Files, TestClocks: a.Schedule, Logger: a.Logger, Metrics: a.Metrics, Ready: a.Ready, Version: Version()})
	a.API.Register(mux)
	ui.New(ui.Deps{Auth: a.Auth, Logger: a.Logger, Config: a.Config, Clock: a.Clock, TestClocks: a.Schedule,
		CRM: a.CRM, Payments: a.Payments, Checkout: a.Checkout, Invoices: a.Invoices, Files: a.Files, Version: Version()}).Register(mux)
	return a.Metrics.Middleware(a.Logger, mux)
}

// InsertTx adds a job in tx through the app's job client; services built before the client
// enqueue through it.
func (a *App) InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	return a.Jobs.InsertTx(ctx, tx, args, opts)
}

// Ready reports whether the database answers and has the schema this binary expects.
func (a *App) Ready(ctx context.Context) error {
	if err := a.DB.Ping(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	return a.DB.CheckVersion(ctx)
}

// Serve runs the background workers and answers HTTP on ln until ctx is done, then stops
// taking requests, lets in-flight requests and jobs finish within the shutdown timeout, and
// returns.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	if err := a.Jobs.Start(ctx); err != nil {
		ln.Close()
		if ctx.Err() != nil { // asked to stop while starting: nothing went wrong
			return nil
		}
		return fmt.Errorf("start workers: %w", err)
	}
	stopFollowups := a.runFollowups(ctx)
	srv := &http.Server{Handler: a.Handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(a.Logger.Handler(), slog.LevelWarn)}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	var err error
	select {
	case err = <-served:
	case <-ctx.Done():
	}
	return errors.Join(err, a.shutdown(srv, stopFollowups))
}

// runFollowups works the payment follow-up queue in the background until the returned stop
// is called. Stopping undoes the batch in hand, whose events stay queued for the next runner;
// stop returns once the runner has.
func (a *App) runFollowups(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.Payments.RunFollowups(ctx, a.followupIdle, a.Logger)
	}()
	return func() { cancel(); <-done }
}

func (a *App) shutdown(srv *http.Server, stopFollowups func()) error {
	a.Logger.Info("shutting down", "timeout", a.Config.ShutdownTimeout.String())
	ctx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout)
	defer cancel()
	errHTTP := srv.Shutdown(ctx)
	stopFollowups()
	errJobs := a.Jobs.Stop(ctx)
	if errors.Is(errHTTP, http.ErrServerClosed) {
		errHTTP = nil
	}
	return errors.Join(errHTTP, errJobs)
}

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }
