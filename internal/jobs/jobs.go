// Package jobs runs Settle's background work on River, in the same database as the data:
// a job inserted in a transaction exists exactly when that transaction commits.
package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
)

// Client inserts jobs and, once started, works them.
type Client struct {
	river *river.Client[*sql.Tx]
}

// Options configure a Client.
type Options struct {
	Logger *slog.Logger
	// Registry holds the workers and periodic jobs; nil makes an insert-only client.
	Registry *Registry
	// PollInterval is how often idle workers look for new jobs (default 500ms).
	PollInterval time.Duration
	// MaxWorkers bounds the jobs worked at once by this process (default 16).
	MaxWorkers int
}

func driverFor(d *db.DB) riverdriver.Driver[*sql.Tx] {
	if d.Engine == config.SQLite {
		return riversqlite.New(d.Write)
	}
	return riverdatabasesql.New(d.Write)
}

// New builds a client over d. It does not start working jobs; call Start.
func New(d *db.DB, opts Options) (*Client, error) {
	cfg := &river.Config{
		Logger:            opts.Logger,
		PollOnly:          true,
		FetchPollInterval: cmp.Or(opts.PollInterval, 500*time.Millisecond),
		FetchCooldown:     min(cmp.Or(opts.PollInterval, 500*time.Millisecond), 100*time.Millisecond),
		JobTimeout:        5 * time.Minute,
		MaxAttempts:       25,
	}
	if opts.Registry != nil {
		cfg.Workers = opts.Registry.workers
		cfg.PeriodicJobs = opts.Registry.periodic
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cmp.Or(opts.MaxWorkers, 16)}}
	}
	rc, err := river.NewClient(driverFor(d), cfg)
	if err != nil {
		return nil, fmt.Errorf("job client: %w", err)
	}
	return &Client{river: rc}, nil
}

// InsertTx adds a job in tx: it will run once tx commits, and never if tx rolls back.
func (c *Client) InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := c.river.InsertTx(ctx, tx, args, opts); err != nil {
		return fmt.Errorf("insert %s job: %w", args.Kind(), err)
	}
	return nil
}

// Start begins working jobs until Stop.
func (c *Client) Start(ctx context.Context) error {
	return c.river.Start(ctx)
}

// Stop lets running jobs finish until ctx is done, then cancels what is left; cancelled jobs
// are retried later, by this process or another replica.
func (c *Client) Stop(ctx context.Context) error {
	err := c.river.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		cancelCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return c.river.StopAndCancel(cancelCtx)
	}
	return err
}

// Migrate brings River's own tables up to date, each River version in its own transaction
// (PostgreSQL cannot use a new enum value in the transaction that adds it), under the
// migration lock so that replicas starting together take turns.
func Migrate(ctx context.Context, d *db.DB) error {
	m, err := rivermigrate.New(driverFor(d), nil)
	if err != nil {
		return err
	}
	return d.WithMigrationLock(ctx, func() error {
		_, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		return err
	})
}
