package app

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/jobs"
)

// registry lists every job kind this process works, and its periodic jobs.
func (a *App) registry() *jobs.Registry {
	r := jobs.NewRegistry()
	jobs.Add(r, &sessionCleanupWorker{auth: a.Auth})
	r.AddPeriodic(river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return sessionCleanupArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true}))
	return r
}

// sessionCleanupArgs is the hourly job that deletes ended dashboard sessions.
type sessionCleanupArgs struct{}

// Kind names the job in River's table.
func (sessionCleanupArgs) Kind() string { return "auth_session_cleanup" }

type sessionCleanupWorker struct {
	river.WorkerDefaults[sessionCleanupArgs]
	auth *auth.Service
}

func (w *sessionCleanupWorker) Work(ctx context.Context, _ *river.Job[sessionCleanupArgs]) error {
	_, err := w.auth.DeleteExpiredSessions(ctx)
	return err
}
