package app

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/invoice"
	"github.com/settlehq/settle/internal/jobs"
	"github.com/settlehq/settle/internal/ledger"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/processor/builtin"
	"github.com/settlehq/settle/internal/schedule"
)

// registry lists every job kind this process works, and its periodic jobs.
func (a *App) registry() *jobs.Registry {
	r := jobs.NewRegistry()
	jobs.Add(r, &housekeepingWorker{tasks: []func(context.Context) (int64, error){
		a.Auth.DeleteExpiredSessions, a.Idempotency.DeleteExpired}})
	r.AddPeriodic(river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return housekeepingArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true}))
	jobs.Add(r, &statisticsWorker{optimize: a.DB.Optimize})
	r.AddPeriodic(river.NewPeriodicJob(river.PeriodicInterval(statisticsInterval(a.DB.Engine)),
		func() (river.JobArgs, *river.InsertOpts) { return statisticsArgs{}, &river.InsertOpts{MaxAttempts: 1} },
		&river.PeriodicJobOpts{RunOnStart: true}))
	jobs.Add(r, &payment.EventWorker{Service: a.Payments})
	jobs.Add(r, &invoice.SendWorker{Service: a.Invoices})
	jobs.Add(r, &scheduleRunWorker{schedule: a.Schedule})
	r.AddPeriodic(river.NewPeriodicJob(river.PeriodicInterval(scheduleInterval),
		func() (river.JobArgs, *river.InsertOpts) { return scheduleRunArgs{}, &river.InsertOpts{MaxAttempts: 1} }, nil))
	return r
}

// housekeepingArgs is the hourly job, also run at start, that deletes what has expired:
// ended dashboard sessions and Idempotency-Keys past their retention.
type housekeepingArgs struct{}

// Kind names the job in River's table.
func (housekeepingArgs) Kind() string { return "housekeeping" }

type housekeepingWorker struct {
	river.WorkerDefaults[housekeepingArgs]
	tasks []func(context.Context) (int64, error)
}

func (w *housekeepingWorker) Work(ctx context.Context, _ *river.Job[housekeepingArgs]) error {
	var errs []error
	for _, task := range w.tasks {
		if _, err := task(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// statisticsInterval is how often the statistics job looks for tables whose query planner
// statistics are missing or far behind their size. On PostgreSQL, every 10 s: a table that
// outgrows its statistics fast — a new database's first thousands of payments, an import — is
// planned badly until they are gathered, ANALYZE reads a sample of at most 30,000 rows and
// blocks no write, and when no table has grown the job costs one catalog query. On SQLite,
// hourly: ANALYZE reads every row of the table and every write waits meanwhile (190–230 ms
// when a benchmark's tables had grown tenfold, 5 s at 1,000,000 payments).
func statisticsInterval(engine config.Engine) time.Duration {
	if engine == config.Postgres {
		return 10 * time.Second
	}
	return time.Hour
}

// statisticsArgs is the periodic job, also run at start, that keeps the database's query
// planner statistics current (db.Optimize).
type statisticsArgs struct{}

// Kind names the job in River's table.
func (statisticsArgs) Kind() string { return "statistics" }

type statisticsWorker struct {
	river.WorkerDefaults[statisticsArgs]
	optimize func(context.Context) error
}

func (w *statisticsWorker) Work(ctx context.Context, _ *river.Job[statisticsArgs]) error {
	return w.optimize(ctx)
}

// buildPayments builds the account clocks, the schedule, the ledger and the built-in
// processor, whose handlers the schedule runs.
func (a *App) buildPayments(ctx context.Context) error {
	l, err := ledger.New(ctx, a.DB)
	if err != nil {
		return err
	}
	a.Clocks = clock.NewAccounts(a.Clock, a.DB.Dialect)
	a.Schedule = schedule.New(a.DB, a.Clocks, a.Logger)
	a.Processor = builtin.New(a.DB, a.Clocks, l, a.Logger)
	a.Processor.Register(a.Schedule)
	return nil
}

// scheduleInterval is how often the schedule runs what has fallen due on every clock.
const scheduleInterval = 5 * time.Second

// scheduleRunArgs is the periodic job that runs due work on every account's clock.
type scheduleRunArgs struct{}

// Kind names the job in River's table.
func (scheduleRunArgs) Kind() string { return "schedule_run_due" }

type scheduleRunWorker struct {
	river.WorkerDefaults[scheduleRunArgs]
	schedule *schedule.Schedule
}

func (w *scheduleRunWorker) Work(ctx context.Context, _ *river.Job[scheduleRunArgs]) error {
	_, err := w.schedule.RunAllDue(ctx)
	return err
}
